// Sharded arrays for the tests of the sharding codec and of the streaming writer: metadata with a
// sharding_indexed codec and reproducible 12-bit data.
#pragma once

#include <random>
#include <string>
#include <vector>

#include "ngff/util/json.hpp"
#include "ngff/zarr/array_metadata.hpp"
#include "ngff/zarr/array_spec.hpp"

namespace ngff::test {

using zarr::ArrayMetadata;
using zarr::Shape;

inline Json sharding_codecs(const Shape& inner, const std::string& location, bool crc,
                            Json inner_codecs = Json::array(
                                {Json{{"name", "bytes"}, {"configuration", {{"endian", "little"}}}},
                                 Json{{"name", "zstd"},
                                      {"configuration", {{"level", 1}, {"checksum", false}}}}})) {
  Json index = Json::array({Json{{"name", "bytes"}, {"configuration", {{"endian", "little"}}}}});
  if (crc) index.push_back(Json{{"name", "crc32c"}});
  return Json::array({Json{{"name", "sharding_indexed"},
                           {"configuration",
                            {{"chunk_shape", inner},
                             {"codecs", inner_codecs},
                             {"index_codecs", index},
                             {"index_location", location}}}}});
}

inline ArrayMetadata sharded_metadata(Shape shape, Shape shard, Json codecs) {
  zarr::ArraySpec s;
  s.shape = std::move(shape);
  s.chunks = std::move(shard);
  s.dtype = zarr::DataType::uint16;
  ArrayMetadata m = zarr::make_array_metadata(s);
  m.codecs = std::move(codecs);
  return m;
}

inline std::vector<uint16_t> pattern(uint64_t n, uint32_t seed) {
  std::vector<uint16_t> v(n);
  std::mt19937 rng(seed);
  for (auto& x : v) x = static_cast<uint16_t>(rng() % 4096);
  return v;
}

}  // namespace ngff::test
