// JSON helpers shared by every metadata parser: parsing with errors that name the document, and
// typed field access with errors that name the JSON path.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "ngff/store/bytes.hpp"

namespace ngff {

using Json = nlohmann::json;

// Parses a metadata document. Python's json module writes bare NaN, Infinity and -Infinity (for
// example inside attributes); those are not JSON, but are read as the doubles they mean, and
// dump_json writes them back as the same bare tokens. Throws MetadataError naming `where`.
Json parse_json(std::string_view text, std::string_view where);
inline Json parse_json(ByteView bytes, std::string_view where) {
  return parse_json(as_string_view(bytes), where);
}

// Serialises metadata the way zarr-python does: 4-space indentation, UTF-8 kept; non-finite
// doubles as bare NaN / Infinity / -Infinity, as Python writes them.
std::string dump_json(const Json& j);

// Typed access: throws MetadataError "<where>: '<key>' must be <what>".
const Json& require_field(const Json& object, std::string_view key, std::string_view where);
std::string require_string(const Json& object, std::string_view key, std::string_view where);
uint64_t as_uint(const Json& value, std::string_view where);

}  // namespace ngff
