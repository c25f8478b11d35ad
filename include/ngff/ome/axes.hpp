// OME-NGFF axes (0.4 and 0.5 alike): the dimensions of a multiscale image, each with a name, an
// optional type ("space", "time", "channel" or a custom one) and an optional unit.
//   "axes": [{"name": "t", "type": "time", "unit": "millisecond"}, {"name": "c", "type":
//   "channel"},
//            {"name": "y", "type": "space", "unit": "micrometer"}, {"name": "x", "type": "space"}]
// Rules (MUST): 2 to 5 axes with unique names; 2 or 3 of type space, and they come last; at most
// one time axis, and it comes first; at most one channel axis and at most one custom (or untyped)
// axis, between the two.
// Before 0.4 axes had no objects: 0.3 lists their names (["t", "c", "z", "y", "x"] or a subset,
// in that order), 0.1 and 0.2 have no "axes" (the data is 5D, t c z y x). Such names are typed
// by the letter (t time, c channel, z y x space) and have no unit.
// 0.6 axes (RFC-5) belong to coordinate systems (coordinate_systems.hpp) and may also say whether
// they are "discrete" and give a "longName"; their types add "array", "coordinate" and
// "displacement".
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
  std::optional<bool> discrete{};          // 0.6
  std::optional<std::string> long_name{};  // 0.6 "longName"
  Json extra = Json::object();             // other members, kept

  bool is_space() const { return type == "space"; }
  bool is_time() const { return type == "time"; }
  bool is_channel() const { return type == "channel"; }
  bool is_array() const { return type == "array"; }  // 0.6: an array index axis
  // Neither space, time nor channel (untyped included).
  bool is_custom() const { return !is_space() && !is_time() && !is_channel(); }

  // One axis object (no cross-axis rules). Throws ValidationError naming `where`. `rfc5` (0.6)
  // reads "discrete" and "longName" (and wants a non-empty name); before 0.6 they are extra
  // members like any other.
  static Axis from_json(const Json& json, std::string_view where, bool rfc5 = false);
  Json to_json() const;

  bool operator==(const Axis&) const = default;
};

// Parses an "axes" array and checks the rules above; `where` is its JSON path.
std::vector<Axis> axes_from_json(const Json& json, std::string_view where);
Json axes_to_json(const std::vector<Axis>& axes);

// The axis named `name` ("t", "c", "z", "y" or "x") as OME-NGFF 0.1-0.3 mean it: typed, no unit.
Axis legacy_axis(std::string_view name);
// The axes of OME-NGFF 0.1 and 0.2 images: t, c, z, y, x.
std::vector<Axis> legacy_5d_axes();
// Parses OME-NGFF 0.3 "axes", a list of names: each one of t, c, z, y, x, unique, in that order,
// and then the rules above (2 to 5 axes, 2 or 3 of them spatial). `where` is its JSON path.
std::vector<Axis> axes_from_names(const Json& json, std::string_view where);

// Checks the rules above on axes built in code; throws ValidationError naming `where`.
void validate_axes(const std::vector<Axis>& axes, std::string_view where);

// Problems with the SHOULDs: an axis without type, a space or time unit outside the spec's lists.
// One "<path>: <message>" line each, appended to `out`.
void axes_warnings(const std::vector<Axis>& axes, std::string_view where,
                   std::vector<std::string>& out);

}  // namespace ngff::ome
