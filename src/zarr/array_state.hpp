// What an Array holds, for the implementation only: the public header keeps it opaque so that the
// codec pipeline, chunk placement and sharding internals are not part of the API.
#pragma once

#include <string>

#include "ngff/zarr/array.hpp"
#include "zarr/chunk_placement.hpp"
#include "zarr/codec_pipeline.hpp"

namespace ngff::zarr {

struct Array::State {
  StorePtr store;
  std::string path;
  ArrayMetadata metadata;
  CodecPipeline pipeline;
};

// Reads of arrays whose chunks are shards: only the index and the needed inner chunks are fetched
// (array_sharded_read.cpp).
void read_sharded(const Array::State& state, const RegionBuffer& out);

}  // namespace ngff::zarr
