// Reading and writing the metadata documents of nodes: zarr.json (v3), .zarray / .zgroup /
// .zattrs (v2), with errors naming the document's URL.
#pragma once

#include <optional>
#include <string>

#include "ngff/store/store.hpp"
#include "ngff/util/json.hpp"
#include "ngff/zarr/array_metadata.hpp"

namespace ngff::zarr {

struct ConsolidatedMetadata;

enum class NodeType { array, group };

struct NodeInfo {
  NodeType type;
  int zarr_format;
  bool implicit = false;  // a v3 path with child nodes but no zarr.json of its own
};

// "path/zarr.json" (v3) or "path/.zarray" (v2).
std::string metadata_key(int zarr_format, std::string_view path);

// A JSON document from the store, or nullopt when the key is missing. `consolidated` (may be
// null) is consulted first.
std::optional<Json> read_json(const Store& store, const std::string& key,
                              const ConsolidatedMetadata* consolidated = nullptr);
void write_json(Store& store, const std::string& key, const Json& document);

// What is at `path`: a v3 node (zarr.json), a v2 array (.zarray) or group (.zgroup), or an
// implicit v3 group. nullopt when nothing is there.
std::optional<NodeInfo> probe_node(const Store& store, const std::string& path,
                                   const ConsolidatedMetadata* consolidated = nullptr);
bool node_exists(const Store& store, const std::string& path);

ArrayMetadata read_array_metadata(const Store& store, const std::string& path,
                                  const ConsolidatedMetadata* consolidated = nullptr);
void write_array_metadata(Store& store, const std::string& path, const ArrayMetadata& metadata);

}  // namespace ngff::zarr
