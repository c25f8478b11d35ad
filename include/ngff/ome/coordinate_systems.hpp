// OME-NGFF 0.6 (RFC-5) coordinate systems: named lists of axes that coordinate transformations
// (coordinate_transformations.hpp) map between.
//   "coordinateSystems": [{"name": "intrinsic", "axes": [{"name": "y", "type": "space",
//                          "unit": "micrometer"}, {"name": "x", "type": "space"}]}, ...]
// Rules (0.6 schemas and spec text): names non-empty and unique among the systems of one list;
// 1 to 5 axes with non-empty unique names, of which either 2 or 3 are of type "space" or (not
// both) at least 2 are of type "array". Inside a multiscale a system also has 2 to 5 axes and,
// when it has space axes, the order of 0.5 (time first, then one channel or custom axis, then
// the space axes; axes.hpp).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "ngff/ome/axes.hpp"
#include "ngff/util/json.hpp"

namespace ngff::ome {

struct CoordinateSystem {
  std::string name;
  std::vector<Axis> axes;
  Json extra = Json::object();  // other members, kept

  size_t ndim() const { return axes.size(); }
  std::vector<std::string> axis_names() const;

  // One system object (its axes checked by validate_system_axes). Throws ValidationError naming
  // `where`.
  static CoordinateSystem from_json(const Json& json, std::string_view where);
  Json to_json() const;

  bool operator==(const CoordinateSystem&) const = default;
};

// Parses a "coordinateSystems" array (`where` is its JSON path): unique names; `in_multiscale`
// adds the multiscale rules above and wants at least one system.
std::vector<CoordinateSystem> coordinate_systems_from_json(const Json& json, std::string_view where,
                                                           bool in_multiscale);
Json coordinate_systems_to_json(const std::vector<CoordinateSystem>& systems);

// The system called `name`, or nullptr.
const CoordinateSystem* find_coordinate_system(const std::vector<CoordinateSystem>& systems,
                                               std::string_view name);

// The axes rules of any 0.6 coordinate system (above); throws ValidationError naming `where`.
void validate_system_axes(const std::vector<Axis>& axes, std::string_view where);
// The rules of a coordinate system inside a multiscale (above).
void validate_multiscale_system_axes(const std::vector<Axis>& axes, std::string_view where);

}  // namespace ngff::ome
