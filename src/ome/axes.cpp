#include "ngff/ome/axes.hpp"

#include <set>

#include "json_path.hpp"
#include "ome/units.hpp"

namespace ngff::ome {

using detail::fail;
using detail::index_path;
using detail::key_path;

Axis Axis::from_json(const Json& json, std::string_view where, bool rfc5) {
  detail::expect_object(json, where);
  Axis axis;
  axis.name = detail::as_string(detail::required(json, "name", where), key_path(where, "name"));
  axis.type = detail::optional_string(json, "type", where);
  axis.unit = detail::optional_string(json, "unit", where);
  if (!rfc5) {
    axis.extra = detail::extra_members(json, {"name", "type", "unit"});
    return axis;
  }
  if (axis.name.empty()) fail(key_path(where, "name"), "expected a non-empty axis name");
  axis.discrete = detail::optional_bool(json, "discrete", where);
  axis.long_name = detail::optional_string(json, "longName", where);
  axis.extra = detail::extra_members(json, {"name", "type", "unit", "discrete", "longName"});
  return axis;
}

Json Axis::to_json() const {
  Json j = Json::object();
  j["name"] = name;
  if (type) j["type"] = *type;
  if (unit) j["unit"] = *unit;
  if (discrete) j["discrete"] = *discrete;
  if (long_name) j["longName"] = *long_name;
  detail::merge_extra(j, extra);
  return j;
}

std::vector<Axis> axes_from_json(const Json& json, std::string_view where) {
  detail::expect_array(json, where);
  std::vector<Axis> axes;
  axes.reserve(json.size());
  for (size_t i = 0; i < json.size(); ++i)
    axes.push_back(Axis::from_json(json[i], index_path(where, i)));
  validate_axes(axes, where);
  return axes;
}

Json axes_to_json(const std::vector<Axis>& axes) {
  Json j = Json::array();
  for (const Axis& axis : axes) j.push_back(axis.to_json());
  return j;
}

namespace {

// The axis names of OME-NGFF 0.1-0.3, in the order they must come in.
constexpr std::string_view kLegacyNames = "tczyx";

}  // namespace

Axis legacy_axis(std::string_view name) {
  Axis axis;
  axis.name = std::string(name);
  if (name == "t")
    axis.type = "time";
  else if (name == "c")
    axis.type = "channel";
  else
    axis.type = "space";
  return axis;
}

std::vector<Axis> legacy_5d_axes() {
  std::vector<Axis> axes;
  for (char name : kLegacyNames) axes.push_back(legacy_axis(std::string_view(&name, 1)));
  return axes;
}

std::vector<Axis> axes_from_names(const Json& json, std::string_view where) {
  detail::expect_array(json, where);
  std::vector<Axis> axes;
  size_t previous = 0;  // the position in kLegacyNames after the previous axis
  for (size_t i = 0; i < json.size(); ++i) {
    std::string path = index_path(where, i);
    if (json[i].is_object())
      fail(path,
           "expected an axis name (OME-NGFF 0.3 axes are names: \"t\", \"c\", \"z\", \"y\" "
           "or \"x\"; axis objects came with 0.4), got " +
               detail::describe(json[i]));
    std::string name = detail::as_string(json[i], path);
    size_t at = name.size() == 1 ? kLegacyNames.find(name[0]) : std::string_view::npos;
    if (at == std::string_view::npos)
      fail(path, "unknown axis name '" + name + "' (OME-NGFF 0.3 axes are t, c, z, y, x)");
    if (at < previous)
      fail(path, "axis '" + name +
                     "' out of order (OME-NGFF 0.3 axes are unique and ordered t, "
                     "c, z, y, x)");
    previous = at + 1;
    axes.push_back(legacy_axis(name));
  }
  validate_axes(axes, where);
  return axes;
}

namespace {

std::string type_list(const std::vector<Axis>& axes) {
  std::string out = "[";
  for (size_t i = 0; i < axes.size(); ++i) {
    if (i) out += ", ";
    out += axes[i].type ? *axes[i].type : "(none)";
  }
  return out + "]";
}

}  // namespace

void validate_axes(const std::vector<Axis>& axes, std::string_view where) {
  if (axes.size() < 2 || axes.size() > 5)
    fail(where, "expected 2 to 5 axes, got " + std::to_string(axes.size()));
  std::set<std::string_view> names;
  size_t space = 0, time = 0, channel = 0, custom = 0;
  for (size_t i = 0; i < axes.size(); ++i) {
    const Axis& axis = axes[i];
    if (!names.insert(axis.name).second)
      fail(key_path(index_path(where, i), "name"), "duplicate axis name '" + axis.name + "'");
    space += axis.is_space();
    time += axis.is_time();
    channel += axis.is_channel();
    custom += axis.is_custom();
  }
  std::string types = " (axis types " + type_list(axes) + ")";
  if (space < 2 || space > 3)
    fail(where, "expected 2 or 3 axes of type 'space', got " + std::to_string(space) + types);
  if (time > 1) fail(where, "at most one axis of type 'time' is allowed" + types);
  if (channel > 1) fail(where, "at most one axis of type 'channel' is allowed" + types);
  if (custom > 1)
    fail(where, "at most one axis of a custom type (or without type) is allowed" + types);
  for (size_t i = axes.size() - space; i < axes.size(); ++i)
    if (!axes[i].is_space())
      fail(key_path(index_path(where, i), "type"),
           "the axes of type 'space' must come last" + types);
  for (size_t i = 1; i < axes.size(); ++i)
    if (axes[i].is_time())
      fail(key_path(index_path(where, i), "type"),
           "the axis of type 'time' must come first" + types);
}

void axes_warnings(const std::vector<Axis>& axes, std::string_view where,
                   std::vector<std::string>& out) {
  for (size_t i = 0; i < axes.size(); ++i) {
    const Axis& axis = axes[i];
    std::string path = key_path(index_path(where, i), "unit");
    if (!axis.type)
      out.push_back(key_path(index_path(where, i), "type") + ": axis '" + axis.name +
                    "' SHOULD have a type");
    if (!axis.unit) continue;
    if (axis.is_space() && !is_space_unit(*axis.unit))
      out.push_back(path + ": '" + *axis.unit + "' is not one of the spec's space units");
    else if (axis.is_time() && !is_time_unit(*axis.unit))
      out.push_back(path + ": '" + *axis.unit + "' is not one of the spec's time units");
  }
}

}  // namespace ngff::ome
