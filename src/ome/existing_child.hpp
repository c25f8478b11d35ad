// A child node that OME metadata names by path (a plate's well, a well's field, a bioformats2raw
// series): checked to be a usable path with a node there. Internal to the OME layer.
#pragma once

#include <string>
#include <string_view>

#include "ngff/store/store.hpp"

namespace ngff::ome::detail {

// The key path of the child `name` under `path`, or a ValidationError at `json_path` when the
// name is not a usable path or nothing is there (`what` says what was expected: "well", "field",
// "series").
std::string existing_child(const Store& store, const std::string& path, const std::string& name,
                           const std::string& json_path, std::string_view what);

}  // namespace ngff::ome::detail
