#include "existing_child.hpp"

#include "json_path.hpp"
#include "ngff/error.hpp"
#include "ngff/zarr/node.hpp"
#include "store/key.hpp"

namespace ngff::ome::detail {

std::string existing_child(const Store& store, const std::string& path, const std::string& name,
                           const std::string& json_path, std::string_view what) {
  std::string child;
  try {
    child = join_key(path, normalize_node_path(name));
  } catch (const InvalidKey& e) {
    fail(json_path, e.what());
  }
  if (!zarr::node_exists(store, child))
    fail(json_path, std::string(what) + " '" + name + "' has no group at " + store.key_url(child));
  return child;
}

}  // namespace ngff::ome::detail
