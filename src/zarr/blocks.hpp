// Walking an array in blocks made of whole chunks, for streaming work (convert, pyramids) whose
// memory must stay bounded.
#pragma once

#include <cstdint>
#include <functional>

#include "ngff/zarr/region.hpp"

namespace ngff::zarr {

// A block shape made of whole `chunks`, grown from the last dimension outwards while
// `bytes_per_element` * elements stays within `budget` (at least one chunk), so that blocks
// cover contiguous rows of chunks.
Shape block_shape(const Shape& shape, const Shape& chunks, uint64_t bytes_per_element,
                  uint64_t budget);

// `unit` (the output's write unit) grown, along each dimension where it pays, to a common
// multiple with `source_unit` (what the source decodes at once: a TIFF tile, a Zarr chunk), so
// that blocks of it decode each source unit once. A dimension pays when the decodes saved (a
// unit of extent s meets 1 + (s - gcd(s, u)) / u blocks of extent u) are at least the factor
// the block grows by; those that pay are aligned cheapest first while the unit stays within
// `limit` bytes (a source unit split along the others is decoded once per block it meets).
// `unit` itself when it alone exceeds `limit` or `source_unit` is empty. Never past `shape`
// rounded up to `unit`: a unit covering a whole extent already holds whole tiles.
Shape aligned_unit(const Shape& unit, const Shape& source_unit, const Shape& shape,
                   uint64_t bytes_per_element, uint64_t limit);

// The bytes a block of a streaming pass may take under `budget`: the budget is a ceiling, not a
// target. Past enough units (chunks, `unit_bytes` each) that the `in_flight` blocks encoded at
// once give every core one, and past 4 MiB (so that per-block costs stay small), a larger block
// gains only memory (on 2 cores, blocks of two 2 MiB chunks converted a 2 GiB TIFF stack as fast
// as blocks of ten, at half the peak RSS).
uint64_t useful_block_budget(uint64_t budget, uint64_t unit_bytes, uint64_t in_flight = 1);

// Calls `f` for each block of `block` tiling `shape` (edge blocks clipped), in C order.
void for_each_block(const Shape& shape, const Shape& block,
                    const std::function<void(const Region&)>& f);

// The blocks of `block` (clipped to `shard`) tiling `shape`, shard by shard: the shards of
// `shard` in C order, and the blocks inside each in C order, so that a sharded array written
// through a StreamingWriter completes one shard before starting the next.
void for_each_block_by_shard(const Shape& shape, const Shape& shard, const Shape& block,
                             const std::function<void(const Region&)>& f);

}  // namespace ngff::zarr
