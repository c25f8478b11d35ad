// OME-NGFF 0.6 (RFC-5, spec 0.6rc0) coordinate transformations: functions of points from an
// input coordinate system to an output one (the 0.4/0.5 scale/translation lists are
// transforms.hpp).
//   {"type": "affine", "input": {"name": "intrinsic"}, "output": {"name": "world"},
//    "affine": [[0.866, -0.5, 10.0], [0.5, 0.866, -4.0]]}
// Types: identity; mapAxis (a permutation: output i is input mapAxis[i]); projectAxis
// (droppedInputs / createdOutputs); translation, scale (vectors, scale > 0); affine (M rows of
// N+1) and rotation (N x N, orthonormal, determinant 1), inline or by "path" to a Zarr array;
// sequence (applied first to last); byDimension (children on subsets of the axes: inputAxes,
// outputAxes); bijection (forward, inverse); displacements and coordinates (fields stored at
// "path", read, never applied). input/output are {"name", "path"} objects, required except on
// the children of sequence, bijection and byDimension. RFC-5's spelling, a plain string, is read
// as {"path": s} for a dataset's input and {"name": s} otherwise, and written as the object; a
// warning says so (transformation_warnings).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ngff/util/json.hpp"

namespace ngff::ome {

// A reference to a coordinate system: by name in the same document, or by name in the group at
// path (or, for a dataset transform's input, the array at path).
struct SystemRef {
  std::optional<std::string> name;
  std::optional<std::string> path;
  bool from_string = false;  // spelled as a plain string (RFC-5), not as an object
  Json extra = Json::object();

  Json to_json() const;
  bool operator==(const SystemRef&) const = default;
};

// Where a transformation list lives, which decides what its input/output must say.
enum class TransformPlace {
  dataset,     // multiscales[i].datasets[j]: input {"path"}, output {"name"}
  multiscale,  // multiscales[i].coordinateTransformations: both {"name"[, "path"]}
  scene,       // scene.coordinateTransformations: both {"name"[, "path"]}
  nested,      // a child of sequence/bijection/byDimension: input/output optional
};

struct Transformation {
  enum class Type {
    identity,
    map_axis,
    project_axis,
    translation,
    scale,
    affine,
    rotation,
    sequence,
    by_dimension,
    bijection,
    displacements,
    coordinates,
  };
  Type type = Type::identity;
  std::optional<std::string> name;
  std::optional<SystemRef> input, output;
  std::vector<double> vector;                            // scale, translation
  std::vector<std::vector<double>> matrix;               // affine, rotation (inline); rows
  std::vector<int64_t> map_axis;                         // mapAxis
  std::vector<int64_t> dropped_inputs, created_outputs;  // projectAxis
  std::optional<std::string> path;                       // affine/rotation parameters, fields
  std::optional<std::string> interpolation;              // displacements, coordinates
  // sequence: its transformations; bijection: {forward, inverse}; byDimension: the items'
  // transformations, with their axes in by_dimension_axes (inputAxes, outputAxes).
  std::vector<Transformation> children;
  std::vector<std::pair<std::vector<int64_t>, std::vector<int64_t>>> by_dimension_axes;
  Json extra = Json::object();  // other members, kept

  static Transformation make_scale(std::vector<double> scale);
  static Transformation make_translation(std::vector<double> translation);
  static Transformation make_sequence(std::vector<Transformation> children);

  // One transformation at `place` (the schema rules of its type and of the place, and what needs
  // no coordinate system: rotation orthonormal, unique and in-range indices). Throws
  // ValidationError naming `where`.
  static Transformation from_json(const Json& json, std::string_view where,
                                  TransformPlace place = TransformPlace::multiscale);
  Json to_json() const;

  bool operator==(const Transformation&) const = default;
};

// "identity", "mapAxis", "projectAxis", ..., as the JSON spells them.
std::string to_string(Transformation::Type type);

// Parses a "coordinateTransformations" array of `place` (at least one item).
std::vector<Transformation> transformations_from_json(const Json& json, std::string_view where,
                                                      TransformPlace place);
Json transformations_to_json(const std::vector<Transformation>& transformations);

// Checks the parameters of `t` against the dimensions of its input and output systems
// (nullopt: unknown, e.g. a system in another group) and returns its output dimension when
// known: scale/translation N values, affine M rows of N+1, rotation N x N, mapAxis a
// permutation of N, projectAxis indices in range and N - dropped + created = M, byDimension
// every output axis in exactly one item (when M is known) and each item's parameters as long as
// its axes, bijection N = M. Throws ValidationError naming `where`.
std::optional<size_t> check_dimensions(const Transformation& t, std::optional<size_t> in_ndim,
                                       std::optional<size_t> out_ndim, std::string_view where);

// SHOULD-level problems (input/output spelled as strings): "<path>: <message>" each.
void transformation_warnings(const Transformation& t, std::string_view where,
                             std::vector<std::string>& out);

// An affine map of points, rows of an out x (in + 1) matrix (the last column the translation).
struct Affine {
  size_t in_ndim = 0;
  std::vector<std::vector<double>> matrix;

  size_t out_ndim() const { return matrix.size(); }
  static Affine identity(size_t ndim);
  // Whether the linear part is diagonal with in = out: a scale and a translation per axis.
  bool is_axis_aligned() const;
  std::vector<double> diagonal() const;     // the scale of an axis-aligned affine
  std::vector<double> translation() const;  // the last column
  Json to_json() const;                     // the "affine" member's value
  bool operator==(const Affine&) const = default;
};

// `t` as an affine of `in_ndim` inputs when it has a closed form in its JSON (identity, scale,
// translation, inline affine and rotation, mapAxis, projectAxis, and sequences and byDimensions
// of them); nullopt for parameters stored by path, fields, bijections.
std::optional<Affine> as_affine(const Transformation& t, size_t in_ndim);
// `second` after `first` (first's out_ndim must equal second's in_ndim; UsageError otherwise).
Affine compose(const Affine& first, const Affine& second);

// One line for `ngff info`: "intrinsic -> world: affine [[...]]", a sequence as
// "sequence[scale [2, 0.5], translation [0, 10]]".
std::string describe_chain(const Transformation& t);

}  // namespace ngff::ome
