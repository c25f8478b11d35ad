// Chunk key encodings: how a chunk's grid index becomes a store key.
//   v3 "default": "c" + sep + "1" + sep + "2"  ("c" alone for 0-d arrays); sep "/" or "."
//   v3 "v2" and every v2 array: "1" + sep + "2" ("0" for 0-d arrays); sep "." or "/"
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ngff/util/json.hpp"

namespace ngff::zarr {

struct ChunkKeyEncoding {
  enum class Kind { default_, v2 };
  Kind kind = Kind::default_;
  char separator = '/';
  // False when the v3 document had no "configuration" (kept so serialising gives it back).
  bool explicit_configuration = true;

  std::string encode(const std::vector<uint64_t>& chunk_index) const;
  // The chunk index a key (relative to the array) names, or nullopt when it is not a chunk key
  // of this encoding for an array of `rank` dimensions.
  std::optional<std::vector<uint64_t>> decode(std::string_view key, size_t rank) const;

  // v3 JSON {"name": "default", "configuration": {"separator": "/"}}; a missing configuration
  // means the encoding's default separator ('/' for default, '.' for v2).
  static ChunkKeyEncoding from_v3_json(const Json& j, std::string_view where);
  Json to_v3_json() const;
};

}  // namespace ngff::zarr
