// OME-NGFF 0.4 / 0.5 coordinate transformations ("coordinateTransformations"), which map the
// voxel grid of a dataset to physical coordinates:
//   [{"type": "scale", "scale": [1.0, 0.5, 0.5]}, {"type": "translation", "translation": [0, 2,
//   2]}]
// A transformation gives its values inline or by "path" (a binary file, read elsewhere).
// In a multiscale (per dataset, and optionally for the whole multiscale) the list MUST be exactly
// one scale, optionally followed by one translation, each with one value per axis.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ngff/util/json.hpp"

namespace ngff::ome {

struct Transform {
  enum class Kind { identity, scale, translation };
  Kind kind = Kind::identity;
  std::vector<double> values;       // the "scale" / "translation" array (empty for identity)
  std::optional<std::string> path;  // instead of values: the path of a binary file
  Json extra = Json::object();      // other members, kept

  static Transform make_scale(std::vector<double> values);
  static Transform make_translation(std::vector<double> values);

  // One transformation object. Throws ValidationError naming `where`.
  static Transform from_json(const Json& json, std::string_view where);
  Json to_json() const;

  bool operator==(const Transform&) const = default;
};

// "identity", "scale", "translation".
std::string to_string(Transform::Kind kind);

// Parses a multiscale's or dataset's "coordinateTransformations" (`where` is its JSON path) and
// checks it is one scale then at most one translation, with `ndim` values each.
std::vector<Transform> scale_translation_from_json(const Json& json, std::string_view where,
                                                   size_t ndim);
Json transforms_to_json(const std::vector<Transform>& transforms);

// The scale-then-optional-translation rule on transforms built in code.
void validate_scale_translation(const std::vector<Transform>& transforms, size_t ndim,
                                std::string_view where);

// The scale and translation of a validated scale[/translation] list: `ndim` values, defaulting to
// 1 and 0 (an empty list is the identity). Throws ValidationError when the values are given by
// path (they must be read from the store first).
std::vector<double> scale_of(const std::vector<Transform>& transforms, size_t ndim);
std::vector<double> translation_of(const std::vector<Transform>& transforms, size_t ndim);

}  // namespace ngff::ome
