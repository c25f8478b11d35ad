// Reading and writing the metadata documents of nodes: zarr.json (v3), .zarray / .zgroup /
// .zattrs (v2), with errors naming the document's URL. (probe_node and node_exists, which
// callers outside the zarr layer need, are public in ngff/zarr/node.hpp.)
#pragma once

#include <optional>
#include <string>

#include "ngff/store/store.hpp"
#include "ngff/util/json.hpp"
#include "ngff/zarr/array_metadata.hpp"
#include "ngff/zarr/node.hpp"

namespace ngff::zarr {

struct ConsolidatedMetadata;

// "path/zarr.json" (v3) or "path/.zarray" (v2).
std::string metadata_key(int zarr_format, std::string_view path);

// A JSON document from the store, or nullopt when the key is missing. `consolidated` (may be
// null) is consulted first.
std::optional<Json> read_json(const Store& store, const std::string& key,
                              const ConsolidatedMetadata* consolidated = nullptr);
void write_json(Store& store, const std::string& key, const Json& document);

ArrayMetadata read_array_metadata(const Store& store, const std::string& path,
                                  const ConsolidatedMetadata* consolidated = nullptr);
void write_array_metadata(Store& store, const std::string& path, const ArrayMetadata& metadata);

}  // namespace ngff::zarr
