// What is at a path of a Zarr hierarchy: an array or a group, of which Zarr format, explicit or
// implicit (a v3 path with child nodes but no zarr.json of its own).
#pragma once

#include <optional>
#include <string>

#include "ngff/store/store.hpp"

namespace ngff::zarr {

struct ConsolidatedMetadata;

enum class NodeType { array, group };

struct NodeInfo {
  NodeType type;
  int zarr_format;
  bool implicit = false;
};

// What is at `path`: a v3 node (zarr.json), a v2 array (.zarray) or group (.zgroup), or an
// implicit v3 group. nullopt when nothing is there. `consolidated` (may be null) is consulted
// before the store.
std::optional<NodeInfo> probe_node(const Store& store, const std::string& path,
                                   const ConsolidatedMetadata* consolidated = nullptr);
bool node_exists(const Store& store, const std::string& path);

}  // namespace ngff::zarr
