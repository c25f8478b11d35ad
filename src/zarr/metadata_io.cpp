#include "zarr/metadata_io.hpp"

#include "ngff/error.hpp"
#include "ngff/zarr/array.hpp"
#include "store/key.hpp"

namespace ngff::zarr {

std::string metadata_key(int zarr_format, std::string_view path) {
  return join_key(path, zarr_format == 3 ? "zarr.json" : ".zarray");
}

std::optional<Json> read_json(const Store& store, const std::string& key,
                              const ConsolidatedMetadata* consolidated) {
  if (consolidated)
    if (const Json* doc = consolidated->find(key)) return *doc;
  auto bytes = store.get(key);
  if (!bytes) return std::nullopt;
  return parse_json(*bytes, store.key_url(key));
}

void write_json(Store& store, const std::string& key, const Json& document) {
  store.set(key, as_bytes(dump_json(document)));
}

namespace {

// Whether a zarr.json exists below `path` (searching `depth` levels), stopping at the first.
// A store that cannot list (HTTP) cannot find implicit groups: only nodes with metadata count.
bool has_descendant_node(const Store& store, const std::string& path, int depth) {
  if (depth == 0 || !store.is_listable()) return false;
  for (const auto& name : store.list_dir(path)) {
    std::string child = join_key(path, name);
    if (name == "zarr.json") return true;
    if (name != "zarr.json" && has_descendant_node(store, child, depth - 1)) return true;
  }
  return false;
}

}  // namespace

std::optional<NodeInfo> probe_node(const Store& store, const std::string& path,
                                   const ConsolidatedMetadata* consolidated) {
  if (auto doc = read_json(store, join_key(path, "zarr.json"), consolidated)) {
    std::string where = store.key_url(join_key(path, "zarr.json"));
    if (!doc->is_object() || !doc->contains("node_type"))
      throw MetadataError(where + ": missing required field 'node_type'");
    const Json& t = (*doc)["node_type"];
    if (t == "array") return NodeInfo{NodeType::array, 3};
    if (t == "group") return NodeInfo{NodeType::group, 3};
    throw MetadataError(where + ": 'node_type' must be \"array\" or \"group\", got " + t.dump());
  }
  if (consolidated ? consolidated->find(join_key(path, ".zarray")) != nullptr
                   : store.exists(join_key(path, ".zarray")))
    return NodeInfo{NodeType::array, 2};
  if (consolidated ? consolidated->find(join_key(path, ".zgroup")) != nullptr
                   : store.exists(join_key(path, ".zgroup")))
    return NodeInfo{NodeType::group, 2};
  // v3 implicit group: some descendant has a zarr.json.
  if (has_descendant_node(store, path, 8)) return NodeInfo{NodeType::group, 3, true};
  return std::nullopt;
}

bool node_exists(const Store& store, const std::string& path) {
  return store.exists(join_key(path, "zarr.json")) || store.exists(join_key(path, ".zarray")) ||
         store.exists(join_key(path, ".zgroup"));
}

ArrayMetadata read_array_metadata(const Store& store, const std::string& path,
                                  const ConsolidatedMetadata* consolidated) {
  std::string v3_key = join_key(path, "zarr.json");
  if (auto doc = read_json(store, v3_key, consolidated)) {
    std::string where = store.key_url(v3_key);
    if (doc->is_object() && doc->value("node_type", "") == "group")
      throw MetadataError(where + ": expected an array but found a group");
    return ArrayMetadata::from_v3_json(*doc, where);
  }
  std::string v2_key = join_key(path, ".zarray");
  if (auto doc = read_json(store, v2_key, consolidated)) {
    auto attrs = read_json(store, join_key(path, ".zattrs"), consolidated);
    return ArrayMetadata::from_v2_json(*doc, attrs ? *attrs : Json(), store.key_url(v2_key));
  }
  if (read_json(store, join_key(path, ".zgroup"), consolidated))
    throw MetadataError(store.key_url(path) + ": expected an array but found a group");
  throw KeyNotFound("no Zarr array at " + store.key_url(path) +
                    " (neither zarr.json nor .zarray exists)");
}

void write_array_metadata(Store& store, const std::string& path, const ArrayMetadata& m) {
  if (m.zarr_format == 3) {
    write_json(store, join_key(path, "zarr.json"), m.to_json());
    return;
  }
  write_json(store, join_key(path, ".zarray"), m.to_json());
  if (m.attributes.is_object()) write_json(store, join_key(path, ".zattrs"), m.attributes);
}

}  // namespace ngff::zarr
