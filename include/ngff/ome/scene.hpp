// OME-NGFF 0.6 (RFC-5) "scene" metadata: coordinate transformations between images of a
// hierarchy (and coordinate systems of the scene's own), read only.
//   {"ome": {"version": "0.6", "scene": {
//      "coordinateSystems": [{"name": "world", "axes": [...]}],
//      "coordinateTransformations": [{"type": "translation", "translation": [0, 348],
//          "input": {"path": "tile_1", "name": "physical"}, "output": {"name": "world"}}]}}}
// Rules: at least one transformation; input and output name a system, of the scene when "path"
// is absent (it must exist) or of the image group at "path"; parameters fit the dimensions
// known; every system is connected to every other by transformations.
#pragma once

#include <string_view>
#include <vector>

#include "ngff/ome/coordinate_systems.hpp"
#include "ngff/ome/coordinate_transformations.hpp"
#include "ngff/util/json.hpp"

namespace ngff::ome {

struct Scene {
  std::vector<CoordinateSystem> coordinate_systems;
  std::vector<Transformation> coordinate_transformations;
  Json extra = Json::object();

  // Parses the "scene" object (`where` is its JSON path). Throws ValidationError naming it.
  static Scene from_json(const Json& json, std::string_view where);
  Json to_json() const;
  // SHOULD-level problems (input/output spelled as strings): "<path>: <message>" each.
  std::vector<std::string> warnings(std::string_view where) const;

  bool operator==(const Scene&) const = default;
};

}  // namespace ngff::ome
