// Moving decoded chunks into a caller's region buffer, shared by whole-chunk reads (Array) and
// inner-chunk reads of shards (sharding codec, sharded Array reads).
#pragma once

#include <functional>

#include "ngff/store/bytes.hpp"
#include "ngff/zarr/region.hpp"

namespace ngff::zarr {

// A caller's C-order, native-order buffer holding `region` of an array.
struct RegionBuffer {
  std::byte* data;
  Region region;
  size_t element_size;
  const std::byte* fill_element;  // what missing chunks read as
};

// Decodes a whole chunk into `dst` (the full chunk, C order); returns false when the chunk is
// missing (dst is then left untouched).
using ChunkDecoder = std::function<bool(MutableByteView dst)>;

// Places the chunk whose box in array coordinates is `box` (its full shape, which may reach past
// the array's edge) into `out`: decoded straight into the output when the chunk is one
// contiguous run of it, else through thread_scratch(`slot`).
void place_chunk(const RegionBuffer& out, const Region& box, const ChunkDecoder& decode,
                 int slot = 0);

// A buffer of `bytes` owned by the calling thread and kept across calls, so the hot path does not
// fault in fresh pages for every chunk. Nested users take separate slots (0: array chunks, 1 + d:
// inner chunks of a shard at nesting depth d); a parallel loop nested inside a chunk must run in
// an isolated task arena so that a waiting thread does not pick up an outer chunk and reuse the
// slot it is still holding.
MutableByteView thread_scratch(size_t bytes, int slot = 0);

constexpr int kScratchSlots = 4;

// The chunk indices of a grid of `chunk_shape` whose boxes meet `region`, in C order.
std::vector<Shape> chunks_in(const Region& region, const Shape& chunk_shape);

// The box of chunk `index` in a grid of `chunk_shape` (starting at `origin`, zero by default).
Region chunk_box(const Shape& index, const Shape& chunk_shape, const Shape& origin = {});

}  // namespace ngff::zarr
