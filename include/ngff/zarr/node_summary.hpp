// A JSON description of a node for `ngff info`: shape, dtype, chunks, codecs, bytes stored and
// compression ratio of arrays; attributes and children of groups (recursively).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "ngff/store/store.hpp"
#include "ngff/util/json.hpp"

namespace ngff::zarr {

class Array;

struct SummaryOptions {
  // Sum the sizes of stored chunks (lists the array's keys; costs one listing per array).
  bool measure_storage = true;
  // How deep to describe children of groups (0 = the node only).
  int max_depth = 64;
  // For stores that cannot list (HTTP) and groups without consolidated metadata: the names of
  // children that a group's attributes mention (the OME layer knows which), probed by name.
  // Without it such groups show no children. Unlistable stores never measure storage.
  std::function<std::vector<std::string>(const Json& attributes)> child_names{};
};

Json summarize_node(const StorePtr& store, const std::string& path,
                    const SummaryOptions& options = {});
Json summarize_array(const Array& array, const SummaryOptions& options = {});

}  // namespace ngff::zarr
