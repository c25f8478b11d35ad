// A Zarr group (v2 .zgroup + .zattrs, v3 zarr.json with node_type "group", or a v3 implicit
// group): attributes and children. v2 consolidated metadata (.zmetadata) is used when present.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "ngff/store/store.hpp"
#include "ngff/zarr/array.hpp"
#include "ngff/zarr/node.hpp"

namespace ngff::zarr {

struct ChildNode {
  std::string name;
  NodeInfo info;
};

class Group {
 public:
  // Opens the group at `path`. Throws KeyNotFound when there is no node, MetadataError when the
  // node is an array or its metadata is not understood.
  static Group open(const StorePtr& store, std::string_view path = "");
  // Writes the metadata of a new group (zarr_format 2 or 3). An existing group is kept (its
  // attributes replaced) unless `overwrite`, which erases it first; an existing array is an error.
  static Group create(StorePtr store, std::string_view path, int zarr_format,
                      const Json& attributes = Json::object(), bool overwrite = false);

  int zarr_format() const { return state_->zarr_format; }
  bool is_implicit() const { return state_->implicit; }
  const Json& attributes() const { return state_->attributes; }
  void set_attributes(const Json& attributes);
  const StorePtr& store() const { return state_->store; }
  const std::string& path() const { return state_->path; }
  std::string url() const { return state_->store->key_url(state_->path); }

  // Child arrays and groups, sorted by name.
  std::vector<ChildNode> children() const;
  Array open_array(std::string_view name) const;
  Group open_group(std::string_view name) const;
  Group create_group(std::string_view name, const Json& attributes = Json::object()) const;
  Array create_array(std::string_view name, ArrayMetadata metadata, bool overwrite = false) const;

  // The consolidated metadata of the hierarchy, when the root has .zmetadata (else null).
  const ConsolidatedMetadata* consolidated() const { return state_->consolidated.get(); }

 private:
  struct State {
    StorePtr store;
    std::string path;
    int zarr_format = 3;
    bool implicit = false;
    Json attributes = Json::object();
    Json extra = Json::object();  // other keys of a v3 zarr.json, kept on rewrite
    std::shared_ptr<const ConsolidatedMetadata> consolidated;
  };
  explicit Group(std::shared_ptr<State> s) : state_(std::move(s)) {}
  void write_metadata() const;
  std::shared_ptr<State> state_;
};

// Reads v2 .zmetadata at the root of `store` under `path` (nullptr when absent).
std::shared_ptr<const ConsolidatedMetadata> read_consolidated(const Store& store,
                                                              const std::string& path);

}  // namespace ngff::zarr
