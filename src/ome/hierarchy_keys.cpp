#include "ome/hierarchy_keys.hpp"

#include <deque>
#include <set>

#include "ngff/error.hpp"
#include "ngff/ome/bioformats2raw.hpp"
#include "ngff/util/json.hpp"
#include "ngff/zarr/array_metadata.hpp"
#include "store/key.hpp"

namespace ngff::ome {
namespace {

class Walk {
 public:
  explicit Walk(const Store& store) : store_(store) {}

  std::vector<std::string> run(const std::string& root) {
    visit(root, /*is_root=*/true);
    while (!queue_.empty()) {
      std::string path = queue_.front();
      queue_.pop_front();
      visit(path, false);
    }
    return {keys_.begin(), keys_.end()};
  }

 private:
  std::optional<Json> document(const std::string& key) {
    auto bytes = store_.get(key);
    if (!bytes) return std::nullopt;
    keys_.insert(key);
    return parse_json(*bytes, store_.key_url(key));
  }

  void enqueue(const std::string& path) {
    if (seen_.insert(path).second) queue_.push_back(path);
  }

  void visit(const std::string& path, bool is_root) {
    seen_.insert(path);
    if (auto v3 = document(join_key(path, "zarr.json"))) {
      if (v3->value("node_type", "") == "array") {
        add_chunks(path, zarr::ArrayMetadata::from_v3_json(*v3, store_.key_url(path)));
      } else {
        const Json& attributes = v3->contains("attributes") ? (*v3)["attributes"] : Json();
        group_children(path, attributes.is_object() && attributes.contains("ome")
                                 ? attributes["ome"]
                                 : attributes);
        consolidated_children(path, *v3);
      }
      return;
    }
    auto attributes = document(join_key(path, ".zattrs"));
    if (auto zarray = document(join_key(path, ".zarray"))) {
      add_chunks(path, zarr::ArrayMetadata::from_v2_json(*zarray, attributes ? *attributes : Json(),
                                                         store_.key_url(path)));
      return;
    }
    document(join_key(path, ".zgroup"));
    if (is_root) consolidated_v2(path);
    if (attributes) group_children(path, *attributes);
  }

  // Hostile or odd paths in metadata (no valid key) are not followed.
  void group_children(const std::string& path, const Json& ome) {
    for (const OmeChild& child : ome_children(store_, path, ome))
      if (!child.path.empty()) enqueue(child.path);
  }

  // zarr-python 3's consolidated metadata inside zarr.json names every descendant.
  void consolidated_children(const std::string& path, const Json& v3) {
    if (!v3.contains("consolidated_metadata") || !v3["consolidated_metadata"].is_object()) return;
    const Json& m = v3["consolidated_metadata"];
    if (m.contains("metadata") && m["metadata"].is_object())
      for (const auto& [child, doc] : m["metadata"].items()) enqueue_name(path, child);
  }

  // v2 .zmetadata: every metadata document of the tree.
  void consolidated_v2(const std::string& path) {
    auto doc = document(join_key(path, ".zmetadata"));
    if (!doc || !doc->contains("metadata") || !(*doc)["metadata"].is_object()) return;
    for (const auto& [key, value] : (*doc)["metadata"].items()) {
      std::string node = parent_key(key);
      if (!node.empty()) enqueue_name(path, node);
    }
  }

  // `relative` (a path from metadata) below `path`; an invalid one is not followed.
  void enqueue_name(const std::string& path, const std::string& relative) {
    try {
      enqueue(join_key(path, normalize_node_path(relative)));
    } catch (const InvalidKey&) {
    }
  }

  void add_chunks(const std::string& path, const zarr::ArrayMetadata& m) {
    zarr::Shape grid = m.grid_shape();
    std::vector<uint64_t> index(grid.size(), 0);
    for (uint64_t n : grid)
      if (n == 0) return;
    while (true) {
      keys_.insert(join_key(path, m.chunk_key_encoding.encode(index)));
      size_t d = grid.size();
      while (d > 0 && ++index[d - 1] == grid[d - 1]) index[--d] = 0;
      if (d == 0) return;
    }
  }

  const Store& store_;
  std::set<std::string> keys_;
  std::set<std::string> seen_;
  std::deque<std::string> queue_;
};

}  // namespace

std::vector<OmeChild> ome_children(const Store& store, const std::string& path, const Json& ome) {
  std::vector<OmeChild> out;
  if (!ome.is_object()) return out;
  // The child `name` of the group at `base`, named at `where` (a JSON path).
  auto add = [&](OmeChild::Role role, const std::string& base, const Json& name,
                 std::string where) {
    std::string child;
    if (name.is_string()) {
      try {
        child = join_key(base, normalize_node_path(name.get<std::string>()));
      } catch (const InvalidKey&) {
        child.clear();
      }
    }
    out.push_back({role, name, std::move(child), std::move(where)});
  };
  // Each object of `list` (at `list_path`) names a child by its member `field`.
  auto each = [&](OmeChild::Role role, const Json& list, const std::string& list_path,
                  const char* field) {
    if (!list.is_array()) return;
    for (size_t i = 0; i < list.size(); ++i) {
      std::string item_path = list_path + "[" + std::to_string(i) + "]";
      if (list[i].is_object() && list[i].contains(field))
        add(role, path, list[i][field], item_path + "." + field);
      else
        add(role, path, Json(), std::move(item_path));  // no name: reported by whoever needs it
    }
  };
  if (ome.contains("multiscales") && ome["multiscales"].is_array()) {
    const Json& multiscales = ome["multiscales"];
    for (size_t m = 0; m < multiscales.size(); ++m)
      if (multiscales[m].is_object() && multiscales[m].contains("datasets"))
        each(OmeChild::Role::level, multiscales[m]["datasets"],
             "multiscales[" + std::to_string(m) + "].datasets", "path");
    add(OmeChild::Role::labels_group, path, "labels", "");  // an image may have a labels group
  }
  if (ome.contains("labels") && ome["labels"].is_array()) {
    const Json& labels = ome["labels"];
    for (size_t i = 0; i < labels.size(); ++i)
      add(OmeChild::Role::label, path, labels[i], "labels[" + std::to_string(i) + "]");
  }
  if (ome.contains("plate") && ome["plate"].is_object() && ome["plate"].contains("wells"))
    each(OmeChild::Role::well, ome["plate"]["wells"], "plate.wells", "path");
  if (ome.contains("well") && ome["well"].is_object() && ome["well"].contains("images"))
    each(OmeChild::Role::field, ome["well"]["images"], "well.images", "path");
  if (ome.contains("bioformats2raw.layout")) {
    add(OmeChild::Role::ome_group, path, "OME", "");
    for (const std::string& series : numbered_series(store, path))
      add(OmeChild::Role::series, path, series, "");
  }
  if (ome.contains("series") && ome["series"].is_array()) {
    const Json& series = ome["series"];
    for (size_t i = 0; i < series.size(); ++i)
      add(OmeChild::Role::series, parent_key(path), series[i], "series[" + std::to_string(i) + "]");
  }
  return out;
}

std::vector<std::string> walk_hierarchy_keys(const Store& store, const std::string& path) {
  auto keys = Walk(store).run(path);
  if (keys.empty())
    throw KeyNotFound("no Zarr metadata at " + store.key_url(path) +
                      " (and the store cannot list its keys)");
  return keys;
}

std::vector<std::string> node_keys(const Store& store, const std::string& path) {
  try {
    return store.list(path);
  } catch (const StoreError&) {
    return walk_hierarchy_keys(store, path);
  }
}

}  // namespace ngff::ome
