// Building the metadata of a new array from what a user asks for (shape, chunks, dtype,
// compression, format), the same way for v2 and v3.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "ngff/zarr/array_metadata.hpp"

namespace ngff::zarr {

struct ArraySpec {
  int zarr_format = 3;
  Shape shape{};
  Shape chunks{};  // empty: chosen by default_chunks(); the inner chunks when sharded
  // v3 only: the shard shape (a multiple of `chunks`), stored with the sharding_indexed codec
  // whose inner chunks carry the compression; empty for no sharding.
  Shape shards{};
  bool shard_index_at_start = false;
  DataType dtype = DataType::uint8;
  std::optional<FillValue> fill_value{};  // default: zero
  // The bytes->bytes codecs as v3 JSON (see parse_codec_spelling). For v2 the last one becomes
  // the compressor and the others filters.
  Json compression = Json::array();
  Endian endian = Endian::little;
  // v3 dimension_names (one name or null per dimension), or empty for none.
  std::vector<std::optional<std::string>> dimension_names{};
  Json attributes = Json::object();
  // Chunk key separator: '/' (default; required by OME-Zarr 0.4 for v2) or '.'.
  char separator = '/';
};

ArrayMetadata make_array_metadata(const ArraySpec& spec);

// Chunks of about `target_bytes` (default 1 MiB), splitting the last dimensions evenly.
Shape default_chunks(const Shape& shape, DataType dtype, uint64_t target_bytes = 1 << 20);

// The bytes->bytes codecs of an existing array as v3 JSON (its compression, without the
// array->array and array->bytes stages), for keeping them when converting.
// For a sharded array, the bytes->bytes codecs of its inner chunks.
Json compression_of(const ArrayMetadata& metadata);

// The inner chunk shape of a sharded v3 array (sharding_indexed as its array->bytes codec), or
// nullopt when it is not sharded.
std::optional<Shape> inner_chunk_shape(const ArrayMetadata& metadata);

}  // namespace ngff::zarr
