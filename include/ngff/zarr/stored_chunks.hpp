// Which chunks of an array are stored, from the store's listing. Work on sparse arrays
// (segmentations, mosaics, plates with empty wells) then costs what the stored chunks cost, not
// what the chunk grid would: a 1,000,000 x 1,000,000 array with 9 chunks converts like 9 chunks.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "ngff/zarr/array.hpp"
#include "ngff/zarr/region.hpp"

namespace ngff::zarr {

// Calls `f(key, index)` for every key stored below the array, metadata documents excepted; `index`
// is the chunk (shard, when sharded) the key names, or nullopt for a key that is not a chunk key
// of this array or lies outside its grid. Throws StoreError when the store cannot list.
void for_each_stored_key(
    const Array& array,
    const std::function<void(const std::string& key, const std::optional<Shape>& index)>& f);

// The boxes of the stored chunks (shards), clipped to the array, in C order; every element
// outside them reads as the fill value. nullopt when the store cannot list (HTTP).
std::optional<std::vector<Region>> stored_chunk_boxes(const Array& array);

}  // namespace ngff::zarr
