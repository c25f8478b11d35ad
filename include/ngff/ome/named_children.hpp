// The child nodes that a group's OME attributes name: for readers of stores that cannot list
// (HTTP), where a group's children are known only from its metadata.
//   image         multiscales[*].datasets[*].path, and "labels" (probed: it may not exist)
//   labels group  labels[*]
//   well          well.images[*].path
// Attributes may be 0.4 (top level) or 0.5 (under "ome"). Names are returned as written (they
// may be nested paths); anything malformed is skipped, as validation reports it elsewhere.
#pragma once

#include <string>
#include <vector>

#include "ngff/util/json.hpp"

namespace ngff::ome {

std::vector<std::string> named_children(const Json& attributes);

}  // namespace ngff::ome
