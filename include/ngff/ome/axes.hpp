// OME-NGFF axes (0.4 and 0.5 alike): the dimensions of a multiscale image, each with a name, an
// optional type ("space", "time", "channel" or a custom one) and an optional unit.
//   "axes": [{"name": "t", "type": "time", "unit": "millisecond"}, {"name": "c", "type":
//   "channel"},
//            {"name": "y", "type": "space", "unit": "micrometer"}, {"name": "x", "type": "space"}]
// Rules (MUST): 2 to 5 axes with unique names; 2 or 3 of type space, and they come last; at most
// one time axis, and it comes first; at most one channel axis and at most one custom (or untyped)
// axis, between the two.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ngff/util/json.hpp"

namespace ngff::ome {

struct Axis {
  std::string name;
  std::optional<std::string> type;  // "space", "time", "channel" or custom; absent = custom
  std::optional<std::string> unit;
  Json extra = Json::object();  // other members, kept

  bool is_space() const { return type == "space"; }
  bool is_time() const { return type == "time"; }
  bool is_channel() const { return type == "channel"; }
  // Neither space, time nor channel (untyped included).
  bool is_custom() const { return !is_space() && !is_time() && !is_channel(); }

  // One axis object (no cross-axis rules). Throws ValidationError naming `where`.
  static Axis from_json(const Json& json, std::string_view where);
  Json to_json() const;

  bool operator==(const Axis&) const = default;
};

// Parses an "axes" array and checks the rules above; `where` is its JSON path.
std::vector<Axis> axes_from_json(const Json& json, std::string_view where);
Json axes_to_json(const std::vector<Axis>& axes);

// Checks the rules above on axes built in code; throws ValidationError naming `where`.
void validate_axes(const std::vector<Axis>& axes, std::string_view where);

// Problems with the SHOULDs: an axis without type, a space or time unit outside the spec's lists.
// One "<path>: <message>" line each, appended to `out`.
void axes_warnings(const std::vector<Axis>& axes, std::string_view where,
                   std::vector<std::string>& out);

}  // namespace ngff::ome
