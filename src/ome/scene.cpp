#include "ngff/ome/scene.hpp"

#include <map>
#include <numeric>

#include "json_path.hpp"

namespace ngff::ome {

using detail::fail;
using detail::index_path;
using detail::key_path;

namespace {

// A node of the transformation graph: a system of the scene ("" path) or of a group.
std::string node_key(const SystemRef& ref) {
  return ref.path.value_or("") + '\n' + ref.name.value_or("");
}

}  // namespace

Scene Scene::from_json(const Json& json, std::string_view where) {
  detail::expect_object(json, where);
  Scene scene;
  if (const Json* systems = detail::find(json, "coordinateSystems"))
    scene.coordinate_systems =
        coordinate_systems_from_json(*systems, key_path(where, "coordinateSystems"), false);
  std::string list_path = key_path(where, "coordinateTransformations");
  scene.coordinate_transformations = transformations_from_json(
      detail::required(json, "coordinateTransformations", where), list_path, TransformPlace::scene);
  // Graph nodes: the scene's systems, then whatever the transformations reference.
  std::map<std::string, size_t> index;
  std::vector<size_t> parent;
  auto node = [&](const std::string& key) {
    auto [it, added] = index.emplace(key, parent.size());
    if (added) parent.push_back(parent.size());
    return it->second;
  };
  auto root = [&](size_t i) {
    while (parent[i] != i) i = parent[i] = parent[parent[i]];
    return i;
  };
  for (const CoordinateSystem& system : scene.coordinate_systems)
    node(node_key(SystemRef{system.name, std::nullopt, false, Json::object()}));
  for (size_t i = 0; i < scene.coordinate_transformations.size(); ++i) {
    const Transformation& t = scene.coordinate_transformations[i];
    std::string path = index_path(list_path, i);
    auto ndim_of = [&](const SystemRef& ref, std::string_view side) -> std::optional<size_t> {
      if (ref.path && !ref.path->empty()) return std::nullopt;  // a system of another group
      const CoordinateSystem* system = find_coordinate_system(scene.coordinate_systems, *ref.name);
      if (!system)
        fail(key_path(key_path(path, side), "name"), "no coordinate system named '" + *ref.name +
                                                         "' in the scene (give its 'path' when "
                                                         "it belongs to an image)");
      return system->ndim();
    };
    check_dimensions(t, ndim_of(*t.input, "input"), ndim_of(*t.output, "output"), path);
    parent[root(node(node_key(*t.input)))] = root(node(node_key(*t.output)));
  }
  // Every system, the scene's and those it references, on one connected graph.
  for (const auto& [key, i] : index)
    if (root(i) != root(0)) {
      std::string name = key.substr(key.find('\n') + 1), group = key.substr(0, key.find('\n'));
      fail(where, "coordinate system '" + name + "'" +
                      (group.empty() ? "" : " of '" + group + "'") +
                      " is connected to the others by no transformation (the systems of a scene "
                      "form one connected graph)");
    }
  scene.extra = detail::extra_members(json, {"coordinateSystems", "coordinateTransformations"});
  return scene;
}

Json Scene::to_json() const {
  Json j = Json::object();
  if (!coordinate_systems.empty())
    j["coordinateSystems"] = coordinate_systems_to_json(coordinate_systems);
  j["coordinateTransformations"] = transformations_to_json(coordinate_transformations);
  detail::merge_extra(j, extra);
  return j;
}

std::vector<std::string> Scene::warnings(std::string_view where) const {
  std::vector<std::string> out;
  std::string list_path = key_path(where, "coordinateTransformations");
  for (size_t i = 0; i < coordinate_transformations.size(); ++i)
    transformation_warnings(coordinate_transformations[i], index_path(list_path, i), out);
  return out;
}

}  // namespace ngff::ome
