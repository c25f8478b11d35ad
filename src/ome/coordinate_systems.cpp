#include "ngff/ome/coordinate_systems.hpp"

#include <set>

#include "json_path.hpp"

namespace ngff::ome {

using detail::fail;
using detail::index_path;
using detail::key_path;

std::vector<std::string> CoordinateSystem::axis_names() const {
  std::vector<std::string> names;
  for (const Axis& axis : axes) names.push_back(axis.name);
  return names;
}

CoordinateSystem CoordinateSystem::from_json(const Json& json, std::string_view where) {
  detail::expect_object(json, where);
  CoordinateSystem system;
  std::string name_path = key_path(where, "name");
  system.name = detail::as_string(detail::required(json, "name", where), name_path);
  if (system.name.empty()) fail(name_path, "expected a non-empty coordinate system name");
  std::string axes_path = key_path(where, "axes");
  const Json& axes = detail::required(json, "axes", where);
  detail::expect_array(axes, axes_path);
  for (size_t i = 0; i < axes.size(); ++i)
    system.axes.push_back(Axis::from_json(axes[i], index_path(axes_path, i), true));
  validate_system_axes(system.axes, axes_path);
  system.extra = detail::extra_members(json, {"name", "axes"});
  return system;
}

Json CoordinateSystem::to_json() const {
  Json j = Json::object();
  j["name"] = name;
  j["axes"] = axes_to_json(axes);
  detail::merge_extra(j, extra);
  return j;
}

std::vector<CoordinateSystem> coordinate_systems_from_json(const Json& json, std::string_view where,
                                                           bool in_multiscale) {
  detail::expect_array(json, where);
  if (in_multiscale && json.empty())
    fail(where, "expected at least one coordinate system, got none");
  std::vector<CoordinateSystem> systems;
  std::set<std::string> names;
  for (size_t i = 0; i < json.size(); ++i) {
    std::string path = index_path(where, i);
    CoordinateSystem system = CoordinateSystem::from_json(json[i], path);
    if (!names.insert(system.name).second)
      fail(key_path(path, "name"), "duplicate coordinate system name '" + system.name + "'");
    if (in_multiscale) validate_multiscale_system_axes(system.axes, key_path(path, "axes"));
    systems.push_back(std::move(system));
  }
  return systems;
}

Json coordinate_systems_to_json(const std::vector<CoordinateSystem>& systems) {
  Json j = Json::array();
  for (const CoordinateSystem& system : systems) j.push_back(system.to_json());
  return j;
}

const CoordinateSystem* find_coordinate_system(const std::vector<CoordinateSystem>& systems,
                                               std::string_view name) {
  for (const CoordinateSystem& system : systems)
    if (system.name == name) return &system;
  return nullptr;
}

namespace {

size_t count_type(const std::vector<Axis>& axes, std::string_view type) {
  size_t n = 0;
  for (const Axis& axis : axes) n += axis.type == type;
  return n;
}

}  // namespace

void validate_system_axes(const std::vector<Axis>& axes, std::string_view where) {
  if (axes.empty() || axes.size() > 5)
    fail(where, "expected 1 to 5 axes, got " + std::to_string(axes.size()));
  std::set<std::string_view> names;
  for (size_t i = 0; i < axes.size(); ++i)
    if (!names.insert(axes[i].name).second)
      fail(key_path(index_path(where, i), "name"), "duplicate axis name '" + axes[i].name + "'");
  // axes.schema: oneOf "2 or 3 space axes" and "at least 2 array axes".
  size_t space = count_type(axes, "space");
  bool spatial = space >= 2 && space <= 3;
  bool array = count_type(axes, "array") >= 2;
  if (spatial && array)
    fail(where,
         "a coordinate system has either 2-3 axes of type 'space' or 2 or more of type "
         "'array', not both");
  if (!spatial && !array)
    fail(where, "expected 2 or 3 axes of type 'space' (or 2 or more of type 'array'), got " +
                    std::to_string(space) + " of type 'space'");
}

void validate_multiscale_system_axes(const std::vector<Axis>& axes, std::string_view where) {
  if (axes.size() < 2) fail(where, "expected 2 to 5 axes, got " + std::to_string(axes.size()));
  // The ordering rules are about space, time and channel axes; an array-index system (the 0.6
  // schema's other branch) has none to order.
  if (count_type(axes, "space") > 0) validate_axes(axes, where);
}

}  // namespace ngff::ome
