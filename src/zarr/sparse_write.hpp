// Writing only where the data is: the chunks of an array that can differ from its fill value,
// for copies and pyramid levels of sparse sources (see ngff/zarr/stored_chunks.hpp).
#pragma once

#include <cstddef>
#include <functional>
#include <vector>

#include "ngff/zarr/array.hpp"
#include "ngff/zarr/region.hpp"

namespace ngff::zarr {

// A chunk of the grid and the boxes that meet it (indices into the boxes asked about).
struct TouchedChunk {
  Shape index;
  std::vector<size_t> boxes;
  bool operator==(const TouchedChunk&) const = default;
};

// The chunks of the grid `chunks` over `shape` that intersect any of `boxes`, in C order, each
// once, with the boxes meeting each.
std::vector<TouchedChunk> chunks_touching(const Shape& shape, const Shape& chunks,
                                          const std::vector<Region>& boxes);

// Produces the chunk `region` (clipped to the array) into a C-order buffer; `parts` are the boxes
// meeting the chunk, clipped to it: outside them the chunk is the fill value.
using ProduceChunk =
    std::function<void(const Region& region, const std::vector<Region>& parts, std::byte* out)>;

// Writes the chunks (shards) of `dst` that intersect `boxes`, each computed by `produce`, for a
// source that reads as dst's fill value everywhere outside `boxes`; the other chunks stay
// unwritten, i.e. fill value. Chunks are produced a batch at a time on all cores, the batch sized
// so that `bytes_per_element` of working memory per output element stays within `budget`.
// `report` gets each chunk's bytes, and at the end the bytes of the chunks skipped.
// Returns false, having done nothing, when dst already stores chunks or its store cannot list, or
// when the touched chunks are more than half of the grid (a dense walk costs no more then, and
// streams better).
bool write_touched_chunks(const Array& dst, const std::vector<Region>& boxes,
                          uint64_t bytes_per_element, uint64_t budget, const ProduceChunk& produce,
                          const std::function<void(uint64_t)>& report);

}  // namespace ngff::zarr
