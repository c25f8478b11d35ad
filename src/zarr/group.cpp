#include "ngff/zarr/group.hpp"

#include <set>

#include "ngff/error.hpp"
#include "store/key.hpp"
#include "zarr/metadata_io.hpp"

namespace ngff::zarr {

namespace {

// zarr-python 3's consolidated metadata of a v3 group, inline in its zarr.json:
//   "consolidated_metadata": {"kind": "inline", "must_understand": false,
//                             "metadata": {"raw": {zarr.json of raw}, "sub/b": {...}}}
// Used only where the store cannot list (HTTP): there it is the one way to find children.
// Empty metadata (zarr-python writes it so for nested groups) counts as none.
std::shared_ptr<const ConsolidatedMetadata> read_inline_consolidated(const Store& store,
                                                                     const std::string& path) {
  std::string key = join_key(path, "zarr.json");
  auto doc = read_json(store, key);
  if (!doc || !doc->is_object() || !doc->contains("consolidated_metadata")) return nullptr;
  const Json& cm = (*doc)["consolidated_metadata"];
  if (!cm.is_object() || cm.value("kind", "") != "inline" || !cm.contains("metadata") ||
      !cm["metadata"].is_object() || cm["metadata"].empty())
    return nullptr;
  auto c = std::make_shared<ConsolidatedMetadata>();
  for (const auto& [k, v] : cm["metadata"].items()) {
    validate_key(k);
    c->documents[join_key(join_key(path, k), "zarr.json")] = v;
  }
  return c;
}

}  // namespace

std::shared_ptr<const ConsolidatedMetadata> read_consolidated(const Store& store,
                                                              const std::string& path) {
  std::string key = join_key(path, ".zmetadata");
  auto doc = read_json(store, key);
  if (!doc) return store.is_listable() ? nullptr : read_inline_consolidated(store, path);
  std::string where = store.key_url(key);
  if (!doc->is_object() || !doc->contains("metadata") || !(*doc)["metadata"].is_object())
    throw MetadataError(where + ": expected an object with a 'metadata' object");
  auto c = std::make_shared<ConsolidatedMetadata>();
  for (const auto& [k, v] : (*doc)["metadata"].items()) {
    validate_key(k);
    c->documents[join_key(path, k)] = v;
  }
  return c;
}

Group Group::open(const StorePtr& store, std::string_view path_in) {
  std::string path = normalize_node_path(path_in);
  auto state = std::make_shared<State>();
  state->store = store;
  state->path = path;
  state->consolidated = read_consolidated(*store, path);
  auto info = probe_node(*store, path, state->consolidated.get());
  if (!info) throw KeyNotFound("no Zarr group at " + store->key_url(path));
  if (info->type != NodeType::group)
    throw MetadataError(store->key_url(path) + ": expected a group but found an array");
  state->zarr_format = info->zarr_format;
  state->implicit = info->implicit;
  if (info->zarr_format == 3 && !info->implicit) {
    std::string key = join_key(path, "zarr.json");
    Json doc = *read_json(*store, key, state->consolidated.get());
    std::string where = store->key_url(key);
    if (doc["zarr_format"] != 3)
      throw MetadataError(where + ": 'zarr_format' must be 3, got " + doc["zarr_format"].dump());
    for (const auto& [k, v] : doc.items()) {
      if (k == "zarr_format" || k == "node_type") continue;
      if (k == "attributes") {
        if (!v.is_object()) throw MetadataError(where + ": 'attributes' must be an object");
        state->attributes = v;
      } else if (k == "consolidated_metadata" || (v.is_object() && v.contains("must_understand") &&
                                                  v["must_understand"] == false)) {
        state->extra[k] = v;
      } else {
        throw MetadataError(where + ": unknown key '" + k +
                            "' (not marked \"must_understand\": false)");
      }
    }
  } else if (info->zarr_format == 2) {
    std::string key = join_key(path, ".zgroup");
    Json doc = *read_json(*store, key, state->consolidated.get());
    if (!doc.is_object() || doc.value("zarr_format", 0) != 2)
      throw MetadataError(store->key_url(key) + ": 'zarr_format' must be 2");
    if (auto attrs = read_json(*store, join_key(path, ".zattrs"), state->consolidated.get())) {
      if (!attrs->is_object())
        throw MetadataError(store->key_url(join_key(path, ".zattrs")) + ": expected an object");
      state->attributes = *attrs;
    }
  }
  return Group(std::move(state));
}

Group Group::create(StorePtr store, std::string_view path_in, int zarr_format,
                    const Json& attributes, bool overwrite) {
  std::string path = normalize_node_path(path_in);
  if (zarr_format != 2 && zarr_format != 3)
    throw UsageError("zarr_format must be 2 or 3, got " + std::to_string(zarr_format));
  if (!attributes.is_object()) throw UsageError("group attributes must be a JSON object");
  if (!store->is_writable()) throw StoreError("store " + store->url() + " is read-only");
  if (auto info = probe_node(*store, path); info && !info->implicit) {
    if (overwrite) {
      store->erase_prefix(path);
    } else if (info->type == NodeType::array) {
      throw StoreError("an array already exists at " + store->key_url(path));
    }
  }
  auto state = std::make_shared<State>();
  state->store = std::move(store);
  state->path = path;
  state->zarr_format = zarr_format;
  state->attributes = attributes;
  Group g(std::move(state));
  g.write_metadata();
  return g;
}

void Group::write_metadata() const {
  Store& store = *state_->store;
  if (state_->zarr_format == 3) {
    Json doc{{"zarr_format", 3}, {"node_type", "group"}, {"attributes", state_->attributes}};
    for (const auto& [k, v] : state_->extra.items()) doc[k] = v;
    write_json(store, join_key(state_->path, "zarr.json"), doc);
  } else {
    write_json(store, join_key(state_->path, ".zgroup"), Json{{"zarr_format", 2}});
    write_json(store, join_key(state_->path, ".zattrs"), state_->attributes);
  }
}

void Group::set_attributes(const Json& attributes) {
  if (!attributes.is_object()) throw UsageError("attributes must be a JSON object");
  state_->attributes = attributes;
  state_->implicit = false;
  write_metadata();
}

std::vector<ChildNode> Group::children() const {
  std::vector<ChildNode> out;
  const Store& store = *state_->store;
  std::set<std::string> names;
  if (state_->consolidated) {
    std::string base = state_->path.empty() ? "" : state_->path + "/";
    for (const auto& [key, doc] : state_->consolidated->documents.items()) {
      if (key.compare(0, base.size(), base) != 0) continue;
      std::string rest = key.substr(base.size());
      auto slash = rest.find('/');
      if (slash != std::string::npos) names.insert(rest.substr(0, slash));
    }
  } else {
    for (const auto& name : store.list_dir(state_->path)) names.insert(name);
  }
  for (const auto& name : names) {
    if (name.empty() || name[0] == '.' || name == "zarr.json") continue;
    std::string child = join_key(state_->path, name);
    try {
      validate_key(child);
    } catch (const InvalidKey&) {
      continue;
    }
    if (auto info = probe_node(store, child, state_->consolidated.get()))
      out.push_back({name, *info});
  }
  return out;
}

Array Group::open_array(std::string_view name) const {
  return Array::open(state_->store, join_key(state_->path, name), state_->consolidated.get());
}

Group Group::open_group(std::string_view name) const {
  Group g = Group::open(state_->store, join_key(state_->path, name));
  return g;
}

Group Group::create_group(std::string_view name, const Json& attributes) const {
  return Group::create(state_->store, join_key(state_->path, name), state_->zarr_format,
                       attributes);
}

Array Group::create_array(std::string_view name, ArrayMetadata metadata, bool overwrite) const {
  return Array::create(state_->store, join_key(state_->path, name), std::move(metadata), overwrite);
}

}  // namespace ngff::zarr
