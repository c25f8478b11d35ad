// The names of Zarr's metadata documents: v3's zarr.json, v2's .zarray, .zgroup and .zattrs, and
// v2's consolidated .zmetadata. The store layer tells them from chunks by name (the cache keeps
// them, the zip writer puts them first, a copy writes them last); this is their one list.
#pragma once

#include <algorithm>
#include <array>
#include <string_view>

namespace ngff {

inline constexpr std::string_view kZarrJson = "zarr.json";
inline constexpr std::array<std::string_view, 5> kMetadataDocumentNames = {
    kZarrJson, ".zarray", ".zgroup", ".zattrs", ".zmetadata"};

// The last segment of a key: "a/b/zarr.json" -> "zarr.json".
inline std::string_view key_name(std::string_view key) {
  return key.substr(key.rfind('/') + 1);
}

// Whether `name` is exactly one of the names above.
inline bool is_metadata_name(std::string_view name) {
  return std::ranges::find(kMetadataDocumentNames, name) != kMetadataDocumentNames.end();
}

// Whether `key` names a metadata document, by its last segment.
inline bool is_metadata_document(std::string_view key) {
  return is_metadata_name(key_name(key));
}

}  // namespace ngff
