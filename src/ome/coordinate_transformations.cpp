#include "ngff/ome/coordinate_transformations.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <set>

#include "json_path.hpp"
#include "ngff/error.hpp"

namespace ngff::ome {

using detail::fail;
using detail::index_path;
using detail::key_path;
using Type = Transformation::Type;

namespace {

struct TypeName {
  Type type;
  std::string_view name;
};

constexpr std::array<TypeName, 12> kTypes = {{
    {Type::identity, "identity"},
    {Type::map_axis, "mapAxis"},
    {Type::project_axis, "projectAxis"},
    {Type::translation, "translation"},
    {Type::scale, "scale"},
    {Type::affine, "affine"},
    {Type::rotation, "rotation"},
    {Type::sequence, "sequence"},
    {Type::by_dimension, "byDimension"},
    {Type::bijection, "bijection"},
    {Type::displacements, "displacements"},
    {Type::coordinates, "coordinates"},
}};

// The largest axis index the 0.6 schema allows (5 axes at most).
constexpr int64_t kMaxAxisIndex = 4;
// How far a rotation may be from orthonormal with determinant 1 (JSON decimals).
constexpr double kRotationTolerance = 1e-6;

SystemRef ref_from_json(const Json& json, std::string_view where, bool string_is_path,
                        bool closed) {
  SystemRef ref;
  if (json.is_string()) {
    ref.from_string = true;
    (string_is_path ? ref.path : ref.name) = json.get<std::string>();
    return ref;
  }
  detail::expect_object(json, where);
  ref.name = detail::optional_string(json, "name", where);
  ref.path = detail::optional_string(json, "path", where);
  ref.extra = detail::extra_members(json, {"name", "path"});
  if (closed && !ref.extra.empty())
    fail(key_path(where, ref.extra.begin().key()),
         "unexpected member (a scene's input/output has only 'name' and 'path')");
  return ref;
}

// input/output as `place` wants them.
void parse_refs(Transformation& t, const Json& json, std::string_view where, TransformPlace place) {
  const bool nested = place == TransformPlace::nested;
  for (bool is_input : {true, false}) {
    std::string_view key = is_input ? "input" : "output";
    const Json* value = detail::find(json, key);
    if (!value) {
      if (!nested)
        fail(where, "missing required field '" + std::string(key) +
                        "' (a coordinate transformation names its input and output)");
      continue;
    }
    std::string path = key_path(where, key);
    bool string_is_path = place == TransformPlace::dataset && is_input;
    SystemRef ref = ref_from_json(*value, path, string_is_path, place == TransformPlace::scene);
    if (place == TransformPlace::dataset && is_input && !ref.path)
      fail(path, "a dataset's transformation takes its input from the array: expected 'path'");
    if (!nested && !(place == TransformPlace::dataset && is_input) && !ref.name)
      fail(path, "missing required field 'name' (the coordinate system)");
    (is_input ? t.input : t.output) = std::move(ref);
  }
}

std::vector<double> numbers(const Json& json, std::string_view where) {
  detail::expect_array(json, where);
  std::vector<double> out;
  for (size_t i = 0; i < json.size(); ++i)
    out.push_back(detail::as_number(json[i], index_path(where, i)));
  return out;
}

std::vector<std::vector<double>> matrix_of(const Json& json, std::string_view where) {
  detail::expect_array(json, where);
  if (json.empty()) fail(where, "expected a matrix (an array of rows), got an empty array");
  std::vector<std::vector<double>> rows;
  for (size_t i = 0; i < json.size(); ++i) {
    std::string path = index_path(where, i);
    if (!json[i].is_array())
      fail(path, "expected a matrix row (an array of numbers), got " + detail::describe(json[i]));
    rows.push_back(numbers(json[i], path));
    if (rows.back().size() != rows.front().size())
      fail(path, "expected " + std::to_string(rows.front().size()) + " values like row 0, got " +
                     std::to_string(rows.back().size()));
  }
  return rows;
}

// An array of axis indices: unique, in [0, max], `min_items` to `max_items` of them.
std::vector<int64_t> indices(const Json& json, std::string_view where, size_t min_items,
                             size_t max_items, int64_t max) {
  detail::expect_array(json, where);
  if (json.size() < min_items || json.size() > max_items)
    fail(where, "expected " + std::to_string(min_items) + " to " + std::to_string(max_items) +
                    " axis indices, got " + std::to_string(json.size()));
  std::vector<int64_t> out;
  std::set<int64_t> seen;
  for (size_t i = 0; i < json.size(); ++i) {
    std::string path = index_path(where, i);
    int64_t v = detail::as_integer(json[i], path);
    if (v < 0 || v > max)
      fail(path,
           "expected an axis index in 0.." + std::to_string(max) + ", got " + std::to_string(v));
    if (!seen.insert(v).second) fail(path, "duplicate axis index " + std::to_string(v));
    out.push_back(v);
  }
  return out;
}

// A matrix or a path to one (affine, rotation): exactly one of them.
void matrix_or_path(Transformation& t, const Json& json, std::string_view where,
                    std::string_view key) {
  const Json* values = detail::find(json, key);
  t.path = detail::optional_string(json, "path", where);
  if (values && t.path)
    fail(where, "a " + std::string(key) + " transformation has either '" + std::string(key) +
                    "' or 'path', not both");
  if (!values && !t.path)
    fail(where, "missing required field '" + std::string(key) + "' (or 'path' to a Zarr array)");
  if (values) t.matrix = matrix_of(*values, key_path(where, key));
}

void check_rotation(const std::vector<std::vector<double>>& m, std::string_view where) {
  size_t n = m.size();
  if (n < 2 || n > 5 || m[0].size() != n)
    fail(where, "expected a square matrix of 2 to 5 rows, got " + std::to_string(n) + " x " +
                    std::to_string(m[0].size()));
  for (size_t i = 0; i < n; ++i)
    for (size_t j = 0; j < n; ++j) {
      double dot = 0;
      for (size_t k = 0; k < n; ++k) dot += m[i][k] * m[j][k];
      if (std::fabs(dot - (i == j ? 1.0 : 0.0)) > kRotationTolerance)
        fail(where, "a rotation matrix must be orthonormal (rows " + std::to_string(i) + " and " +
                        std::to_string(j) + " have dot product " + detail::describe(dot) + ")");
    }
  // Orthonormal: the determinant is +-1; by elimination with partial pivoting.
  std::vector<std::vector<double>> a = m;
  double det = 1;
  for (size_t c = 0; c < n; ++c) {
    size_t pivot = c;
    for (size_t r = c + 1; r < n; ++r)
      if (std::fabs(a[r][c]) > std::fabs(a[pivot][c])) pivot = r;
    if (pivot != c) {
      std::swap(a[pivot], a[c]);
      det = -det;
    }
    det *= a[c][c];
    if (a[c][c] == 0) break;
    for (size_t r = c + 1; r < n; ++r) {
      double f = a[r][c] / a[c][c];
      for (size_t k = c; k < n; ++k) a[r][k] -= f * a[c][k];
    }
  }
  if (std::fabs(det - 1) > kRotationTolerance)
    fail(where, "a rotation matrix must have determinant 1, got " + detail::describe(det) +
                    " (a reflection)");
}

Type parse_type(const Json& json, std::string_view where) {
  std::string path = key_path(where, "type");
  std::string type = detail::as_string(detail::required(json, "type", where), path);
  for (const TypeName& t : kTypes)
    if (t.name == type) return t.type;
  fail(path, "unsupported coordinate transformation type '" + type +
                 "' (expected identity, mapAxis, projectAxis, translation, scale, affine, "
                 "rotation, sequence, byDimension, bijection, displacements or coordinates)");
}

// A dataset's transformation: a scale, an identity, or a sequence of a scale then a translation.
void check_dataset_form(const Transformation& t, std::string_view where) {
  if (t.type == Type::scale || t.type == Type::identity) return;
  if (t.type == Type::sequence && t.children.size() == 2 && t.children[0].type == Type::scale &&
      t.children[1].type == Type::translation)
    return;
  std::string got = to_string(t.type);
  if (t.type == Type::sequence) {
    got += " [";
    for (size_t i = 0; i < t.children.size(); ++i)
      got += (i ? ", " : "") + to_string(t.children[i].type);
    got += "]";
  }
  fail(key_path(where, "type"),
       "a dataset's transformation must be a scale, an identity or a sequence of a scale then a "
       "translation, got " +
           got);
}

}  // namespace

std::string to_string(Type type) {
  for (const TypeName& t : kTypes)
    if (t.type == type) return std::string(t.name);
  return "?";
}

Json SystemRef::to_json() const {
  Json j = Json::object();
  if (name) j["name"] = *name;
  if (path) j["path"] = *path;
  detail::merge_extra(j, extra);
  return j;
}

namespace {

Transformation make_vector(Type type, std::vector<double> values) {
  Transformation t;
  t.type = type;
  t.vector = std::move(values);
  return t;
}

}  // namespace

Transformation Transformation::make_scale(std::vector<double> scale) {
  return make_vector(Type::scale, std::move(scale));
}

Transformation Transformation::make_translation(std::vector<double> translation) {
  return make_vector(Type::translation, std::move(translation));
}

Transformation Transformation::make_sequence(std::vector<Transformation> children) {
  Transformation t;
  t.type = Type::sequence;
  t.children = std::move(children);
  return t;
}

Transformation Transformation::from_json(const Json& json, std::string_view where,
                                         TransformPlace place) {
  detail::expect_object(json, where);
  Transformation t;
  t.type = parse_type(json, where);
  t.name = detail::optional_string(json, "name", where);
  parse_refs(t, json, where, place);
  std::vector<std::string_view> known = {"type", "name", "input", "output"};
  auto child = [&](const Json& value, const std::string& child_path) {
    return Transformation::from_json(value, child_path, TransformPlace::nested);
  };
  switch (t.type) {
    case Type::identity:
      break;
    case Type::map_axis: {
      t.map_axis = indices(detail::required(json, "mapAxis", where), key_path(where, "mapAxis"), 2,
                           5, kMaxAxisIndex);
      known.emplace_back("mapAxis");
      break;
    }
    case Type::project_axis: {
      for (std::string_view key : {"droppedInputs", "createdOutputs"}) {
        if (const Json* v = detail::find(json, key))
          (key == "droppedInputs" ? t.dropped_inputs : t.created_outputs) =
              indices(*v, key_path(where, key), 1, 3, kMaxAxisIndex);
        known.emplace_back(key);
      }
      if (t.dropped_inputs.empty() && t.created_outputs.empty())
        fail(where, "a projectAxis transformation needs 'droppedInputs' or 'createdOutputs'");
      break;
    }
    case Type::scale:
    case Type::translation: {
      std::string key = to_string(t.type);
      std::string path = key_path(where, key);
      t.vector = numbers(detail::required(json, key, where), path);
      if (t.type == Type::scale)
        for (size_t i = 0; i < t.vector.size(); ++i)
          if (!(t.vector[i] > 0))
            fail(index_path(path, i),
                 "expected a positive scale, got " + detail::describe(t.vector[i]));
      known.emplace_back(t.type == Type::scale ? "scale" : "translation");
      break;
    }
    case Type::affine:
      matrix_or_path(t, json, where, "affine");
      known.insert(known.end(), {"affine", "path"});
      break;
    case Type::rotation:
      matrix_or_path(t, json, where, "rotation");
      if (!t.path) check_rotation(t.matrix, key_path(where, "rotation"));
      known.insert(known.end(), {"rotation", "path"});
      break;
    case Type::sequence: {
      std::string path = key_path(where, "transformations");
      const Json& items = detail::required(json, "transformations", where);
      detail::expect_array(items, path);
      if (items.empty()) fail(path, "expected at least one transformation, got none");
      for (size_t i = 0; i < items.size(); ++i)
        t.children.push_back(child(items[i], index_path(path, i)));
      known.emplace_back("transformations");
      break;
    }
    case Type::by_dimension: {
      std::string path = key_path(where, "transformations");
      const Json& items = detail::required(json, "transformations", where);
      detail::expect_array(items, path);
      if (items.empty()) fail(path, "expected at least one transformation, got none");
      for (size_t i = 0; i < items.size(); ++i) {
        std::string item = index_path(path, i);
        detail::expect_object(items[i], item);
        t.children.push_back(child(detail::required(items[i], "transformation", item),
                                   key_path(item, "transformation")));
        auto axes = [&](std::string_view key) {
          const Json& v = detail::required(items[i], key, item);
          return indices(v, key_path(item, key), 1, 5, kMaxAxisIndex);
        };
        t.by_dimension_axes.emplace_back(axes("inputAxes"), axes("outputAxes"));
      }
      known.emplace_back("transformations");
      break;
    }
    case Type::bijection:
      for (std::string_view key : {"forward", "inverse"})
        t.children.push_back(child(detail::required(json, key, where), key_path(where, key)));
      known.insert(known.end(), {"forward", "inverse"});
      break;
    case Type::displacements:
    case Type::coordinates: {
      t.path = detail::as_string(detail::required(json, "path", where), key_path(where, "path"));
      t.interpolation = detail::optional_string(json, "interpolation", where);
      if (t.interpolation && *t.interpolation != "nearest" && *t.interpolation != "linear" &&
          *t.interpolation != "cubic")
        fail(key_path(where, "interpolation"),
             "expected nearest, linear or cubic, got '" + *t.interpolation + "'");
      known.insert(known.end(), {"path", "interpolation"});
      break;
    }
  }
  Json extra = Json::object();
  for (auto it = json.begin(); it != json.end(); ++it) {
    bool is_known = false;
    for (std::string_view k : known) is_known |= k == it.key();
    if (!is_known || it->is_null()) extra[it.key()] = *it;
  }
  t.extra = std::move(extra);
  if (place == TransformPlace::dataset) check_dataset_form(t, where);
  return t;
}

Json Transformation::to_json() const {
  Json j = Json::object();
  j["type"] = to_string(type);
  if (name) j["name"] = *name;
  if (input) j["input"] = input->to_json();
  if (output) j["output"] = output->to_json();
  switch (type) {
    case Type::identity:
      break;
    case Type::map_axis:
      j["mapAxis"] = map_axis;
      break;
    case Type::project_axis:
      if (!dropped_inputs.empty()) j["droppedInputs"] = dropped_inputs;
      if (!created_outputs.empty()) j["createdOutputs"] = created_outputs;
      break;
    case Type::scale:
    case Type::translation:
      j[to_string(type)] = vector;
      break;
    case Type::affine:
    case Type::rotation:
      if (path)
        j["path"] = *path;
      else
        j[to_string(type)] = matrix;
      break;
    case Type::sequence: {
      j["transformations"] = transformations_to_json(children);
      break;
    }
    case Type::by_dimension: {
      Json items = Json::array();
      for (size_t i = 0; i < children.size(); ++i) {
        Json item = {{"transformation", children[i].to_json()}};
        if (i < by_dimension_axes.size()) {
          item["inputAxes"] = by_dimension_axes[i].first;
          item["outputAxes"] = by_dimension_axes[i].second;
        }
        items.push_back(std::move(item));
      }
      j["transformations"] = std::move(items);
      break;
    }
    case Type::bijection:
      if (children.size() == 2) {
        j["forward"] = children[0].to_json();
        j["inverse"] = children[1].to_json();
      }
      break;
    case Type::displacements:
    case Type::coordinates:
      if (path) j["path"] = *path;
      if (interpolation) j["interpolation"] = *interpolation;
      break;
  }
  detail::merge_extra(j, extra);
  return j;
}

std::vector<Transformation> transformations_from_json(const Json& json, std::string_view where,
                                                      TransformPlace place) {
  detail::expect_array(json, where);
  if (json.empty()) fail(where, "expected at least one coordinate transformation, got none");
  std::vector<Transformation> out;
  for (size_t i = 0; i < json.size(); ++i)
    out.push_back(Transformation::from_json(json[i], index_path(where, i), place));
  return out;
}

Json transformations_to_json(const std::vector<Transformation>& transformations) {
  Json j = Json::array();
  for (const Transformation& t : transformations) j.push_back(t.to_json());
  return j;
}

namespace {

void expect_ndim(std::optional<size_t> ndim, size_t n, std::string_view side, std::string_view what,
                 std::string_view where) {
  if (ndim && *ndim != n)
    fail(where, std::string(what) + " for " + std::to_string(n) + " dimensions, but the " +
                    std::string(side) + " coordinate system has " + std::to_string(*ndim) +
                    " axes");
}

void check_index_range(const std::vector<int64_t>& values, std::optional<size_t> ndim,
                       std::string_view side, std::string_view where) {
  if (!ndim) return;
  for (size_t i = 0; i < values.size(); ++i)
    if (static_cast<size_t>(values[i]) >= *ndim)
      fail(index_path(where, i), "axis index " + std::to_string(values[i]) + " out of range: the " +
                                     std::string(side) + " has " + std::to_string(*ndim) + " axes");
}

}  // namespace

std::optional<size_t> check_dimensions(const Transformation& t, std::optional<size_t> in,
                                       std::optional<size_t> out, std::string_view where) {
  switch (t.type) {
    case Type::identity:
      if (in && out && *in != *out)
        fail(where, "an identity maps " + std::to_string(*in) + " input axes to " +
                        std::to_string(*out) + " output axes");
      return in ? in : out;
    case Type::scale:
    case Type::translation: {
      std::string what = to_string(t.type) + " of " + std::to_string(t.vector.size()) + " values";
      std::string path = key_path(where, to_string(t.type));
      expect_ndim(in, t.vector.size(), "input", what, path);
      expect_ndim(out, t.vector.size(), "output", what, path);
      return t.vector.size();
    }
    case Type::map_axis: {
      std::string path = key_path(where, "mapAxis");
      std::string what = "mapAxis of " + std::to_string(t.map_axis.size()) + " indices";
      expect_ndim(in, t.map_axis.size(), "input", what, path);
      expect_ndim(out, t.map_axis.size(), "output", what, path);
      // Unique indices below their count: a permutation.
      check_index_range(t.map_axis, t.map_axis.size(), "input", path);
      return t.map_axis.size();
    }
    case Type::project_axis: {
      check_index_range(t.dropped_inputs, in, "input", key_path(where, "droppedInputs"));
      check_index_range(t.created_outputs, out, "output", key_path(where, "createdOutputs"));
      if (!in) return out;
      if (t.dropped_inputs.size() > *in)
        fail(key_path(where, "droppedInputs"), "drops more axes than the input has");
      size_t m = *in - t.dropped_inputs.size() + t.created_outputs.size();
      if (out && *out != m)
        fail(where, "projectAxis maps " + std::to_string(*in) + " input axes to " +
                        std::to_string(m) + ", but the output has " + std::to_string(*out));
      return m;
    }
    case Type::affine: {
      if (t.path) return out;
      size_t rows = t.matrix.size(), cols = t.matrix[0].size();
      std::string path = key_path(where, "affine");
      if (cols < 2)
        fail(path, "an affine row has N+1 values (N >= 1), got " + std::to_string(cols));
      std::string what = "affine of " + std::to_string(rows) + " x " + std::to_string(cols);
      expect_ndim(in, cols - 1, "input", what, path);
      if (out && *out != rows)
        fail(path, what + " gives " + std::to_string(rows) + " outputs, but the output " +
                       "coordinate system has " + std::to_string(*out) + " axes");
      return rows;
    }
    case Type::rotation: {
      if (t.path) {
        if (in && out && *in != *out)
          fail(where, "a rotation maps N axes to N, got " + std::to_string(*in) + " and " +
                          std::to_string(*out));
        return in ? in : out;
      }
      std::string what = "rotation of " + std::to_string(t.matrix.size()) + " x " +
                         std::to_string(t.matrix.size());
      std::string path = key_path(where, "rotation");
      expect_ndim(in, t.matrix.size(), "input", what, path);
      expect_ndim(out, t.matrix.size(), "output", what, path);
      return t.matrix.size();
    }
    case Type::sequence: {
      std::optional<size_t> current = in;
      std::string path = key_path(where, "transformations");
      for (size_t i = 0; i < t.children.size(); ++i)
        current = check_dimensions(t.children[i], current, std::nullopt, index_path(path, i));
      if (current && out && *current != *out)
        fail(where, "the sequence ends with " + std::to_string(*current) +
                        " dimensions, but the output coordinate system has " +
                        std::to_string(*out) + " axes");
      return current ? current : out;
    }
    case Type::by_dimension: {
      std::string path = key_path(where, "transformations");
      std::vector<int> covered(out.value_or(0), 0);
      for (size_t i = 0; i < t.children.size() && i < t.by_dimension_axes.size(); ++i) {
        std::string item = index_path(path, i);
        const auto& [inputs, outputs] = t.by_dimension_axes[i];
        check_index_range(inputs, in, "input", key_path(item, "inputAxes"));
        check_index_range(outputs, out, "output", key_path(item, "outputAxes"));
        for (size_t k = 0; k < outputs.size() && out; ++k)
          if (++covered[static_cast<size_t>(outputs[k])] > 1)
            fail(index_path(key_path(item, "outputAxes"), k),
                 "output axis " + std::to_string(outputs[k]) +
                     " appears in more than one byDimension item");
        check_dimensions(t.children[i], inputs.size(), outputs.size(),
                         key_path(item, "transformation"));
      }
      for (size_t d = 0; d < covered.size(); ++d)
        if (!covered[d])
          fail(path,
               "output axis " + std::to_string(d) + " is in no byDimension item's outputAxes");
      return out;
    }
    case Type::bijection:
      if (in && out && *in != *out)
        fail(where, "a bijection maps N axes to N, got " + std::to_string(*in) + " and " +
                        std::to_string(*out));
      if (t.children.size() == 2) {
        check_dimensions(t.children[0], in, out, key_path(where, "forward"));
        check_dimensions(t.children[1], out, in, key_path(where, "inverse"));
      }
      return in ? in : out;
    case Type::displacements:
    case Type::coordinates:
      return out;
  }
  return out;
}

void transformation_warnings(const Transformation& t, std::string_view where,
                             std::vector<std::string>& out) {
  for (bool is_input : {true, false}) {
    const auto& ref = is_input ? t.input : t.output;
    if (ref && ref->from_string)
      out.push_back(key_path(where, is_input ? "input" : "output") +
                    ": a plain string is RFC-5's spelling; OME-NGFF 0.6 wants an object (" +
                    (ref->path ? "{\"path\": ...}" : "{\"name\": ...}") + ")");
  }
  std::string children = t.type == Type::bijection ? "" : key_path(where, "transformations");
  for (size_t i = 0; i < t.children.size(); ++i) {
    std::string path = t.type == Type::bijection ? key_path(where, i == 0 ? "forward" : "inverse")
                       : t.type == Type::by_dimension
                           ? key_path(index_path(children, i), "transformation")
                           : index_path(children, i);
    transformation_warnings(t.children[i], path, out);
  }
}

Affine Affine::identity(size_t ndim) {
  Affine a;
  a.in_ndim = ndim;
  a.matrix.assign(ndim, std::vector<double>(ndim + 1, 0.0));
  for (size_t i = 0; i < ndim; ++i) a.matrix[i][i] = 1.0;
  return a;
}

bool Affine::is_axis_aligned() const {
  if (out_ndim() != in_ndim) return false;
  for (size_t i = 0; i < out_ndim(); ++i)
    for (size_t j = 0; j < in_ndim; ++j)
      if (i != j && matrix[i][j] != 0) return false;
  return true;
}

std::vector<double> Affine::diagonal() const {
  std::vector<double> d;
  for (size_t i = 0; i < out_ndim() && i < in_ndim; ++i) d.push_back(matrix[i][i]);
  return d;
}

std::vector<double> Affine::translation() const {
  std::vector<double> t;
  for (const auto& row : matrix) t.push_back(row[in_ndim]);
  return t;
}

Json Affine::to_json() const {
  return matrix;
}

Affine compose(const Affine& first, const Affine& second) {
  if (first.out_ndim() != second.in_ndim)
    throw UsageError("compose: an affine of " + std::to_string(first.out_ndim()) +
                     " outputs followed by one of " + std::to_string(second.in_ndim) + " inputs");
  Affine r;
  r.in_ndim = first.in_ndim;
  r.matrix.assign(second.out_ndim(), std::vector<double>(first.in_ndim + 1, 0.0));
  for (size_t i = 0; i < second.out_ndim(); ++i) {
    for (size_t j = 0; j <= first.in_ndim; ++j) {
      double v = j == first.in_ndim ? second.matrix[i][second.in_ndim] : 0.0;
      for (size_t k = 0; k < second.in_ndim; ++k) v += second.matrix[i][k] * first.matrix[k][j];
      r.matrix[i][j] = v;
    }
  }
  return r;
}

std::optional<Affine> as_affine(const Transformation& t, size_t in_ndim) {
  const size_t n = in_ndim;
  Affine a = Affine::identity(n);
  switch (t.type) {
    case Type::identity:
      return a;
    case Type::scale:
    case Type::translation:
      if (t.vector.size() != n) return std::nullopt;
      for (size_t i = 0; i < n; ++i) {
        if (t.type == Type::scale)
          a.matrix[i][i] = t.vector[i];
        else
          a.matrix[i][n] = t.vector[i];
      }
      return a;
    case Type::affine:
    case Type::rotation:
      if (t.path || t.matrix.empty()) return std::nullopt;
      if (t.type == Type::rotation) {
        if (t.matrix.size() != n) return std::nullopt;
        for (size_t i = 0; i < n; ++i)
          for (size_t j = 0; j < n; ++j) a.matrix[i][j] = t.matrix[i][j];
        return a;
      }
      if (t.matrix[0].size() != n + 1) return std::nullopt;
      a.matrix = t.matrix;
      return a;
    case Type::map_axis:
      if (t.map_axis.size() != n) return std::nullopt;
      for (size_t i = 0; i < n; ++i) {
        a.matrix[i].assign(n + 1, 0.0);
        a.matrix[i][static_cast<size_t>(t.map_axis[i])] = 1.0;
      }
      return a;
    case Type::project_axis: {
      if (t.dropped_inputs.size() > n) return std::nullopt;
      size_t m = n - t.dropped_inputs.size() + t.created_outputs.size();
      std::set<int64_t> dropped(t.dropped_inputs.begin(), t.dropped_inputs.end());
      std::set<int64_t> created(t.created_outputs.begin(), t.created_outputs.end());
      a.matrix.assign(m, std::vector<double>(n + 1, 0.0));
      size_t next_input = 0;
      for (size_t i = 0; i < m; ++i) {
        if (created.contains(static_cast<int64_t>(i))) continue;
        while (next_input < n && dropped.contains(static_cast<int64_t>(next_input))) ++next_input;
        if (next_input >= n) return std::nullopt;
        a.matrix[i][next_input++] = 1.0;
      }
      return a;
    }
    case Type::sequence: {
      for (const Transformation& child : t.children) {
        auto next = as_affine(child, a.out_ndim());
        if (!next) return std::nullopt;
        a = compose(a, *next);
      }
      return a;
    }
    case Type::by_dimension: {
      size_t m = 0;
      for (const auto& axes : t.by_dimension_axes)
        for (int64_t o : axes.second) m = std::max(m, static_cast<size_t>(o) + 1);
      a.matrix.assign(m, std::vector<double>(n + 1, 0.0));
      std::vector<bool> covered(m, false);
      for (size_t i = 0; i < t.children.size() && i < t.by_dimension_axes.size(); ++i) {
        const auto& [inputs, outputs] = t.by_dimension_axes[i];
        auto sub = as_affine(t.children[i], inputs.size());
        if (!sub || sub->out_ndim() != outputs.size()) return std::nullopt;
        for (size_t r = 0; r < outputs.size(); ++r) {
          auto row = static_cast<size_t>(outputs[r]);
          covered[row] = true;
          for (size_t c = 0; c < inputs.size(); ++c) {
            auto col = static_cast<size_t>(inputs[c]);
            if (col >= n) return std::nullopt;
            a.matrix[row][col] = sub->matrix[r][c];
          }
          a.matrix[row][n] = sub->matrix[r][inputs.size()];
        }
      }
      for (bool c : covered)
        if (!c) return std::nullopt;
      return a;
    }
    case Type::bijection:
    case Type::displacements:
    case Type::coordinates:
      return std::nullopt;
  }
  return std::nullopt;
}

namespace {

// Numbers in their shortest round-trip spelling ("348", "0.866"), lists as "[a, b]".
std::string compact(const std::vector<double>& values) {
  std::string out = "[";
  for (size_t i = 0; i < values.size(); ++i) {
    std::array<char, 32> buffer{};
    auto end = std::to_chars(buffer.data(), buffer.data() + buffer.size(), values[i]).ptr;
    out += (i ? ", " : "") + std::string(buffer.data(), end);
  }
  return out + "]";
}

std::string compact(const std::vector<int64_t>& values) {
  std::vector<double> as_doubles;
  as_doubles.reserve(values.size());
  for (int64_t v : values) as_doubles.push_back(static_cast<double>(v));
  return compact(as_doubles);
}

std::string compact(const std::vector<std::vector<double>>& rows) {
  std::string out = "[";
  for (size_t i = 0; i < rows.size(); ++i) out += (i ? ", " : "") + compact(rows[i]);
  return out + "]";
}

std::string describe_one(const Transformation& t) {
  std::string out = to_string(t.type);
  switch (t.type) {
    case Type::identity:
      break;
    case Type::scale:
    case Type::translation:
      out += " " + compact(t.vector);
      break;
    case Type::affine:
    case Type::rotation:
      out += t.path ? " (stored at '" + *t.path + "')" : " " + compact(t.matrix);
      break;
    case Type::map_axis:
      out += " " + compact(t.map_axis);
      break;
    case Type::project_axis:
      if (!t.dropped_inputs.empty()) out += " dropped " + compact(t.dropped_inputs);
      if (!t.created_outputs.empty()) out += " created " + compact(t.created_outputs);
      break;
    case Type::sequence: {
      out += "[";
      for (size_t i = 0; i < t.children.size(); ++i)
        out += (i ? ", " : "") + describe_one(t.children[i]);
      out += "]";
      break;
    }
    case Type::by_dimension: {
      out += "[";
      for (size_t i = 0; i < t.children.size() && i < t.by_dimension_axes.size(); ++i)
        out += (i ? ", " : "") + compact(t.by_dimension_axes[i].first) + " -> " +
               compact(t.by_dimension_axes[i].second) + ": " + describe_one(t.children[i]);
      out += "]";
      break;
    }
    case Type::bijection:
      if (t.children.size() == 2)
        out += "[forward " + describe_one(t.children[0]) + ", inverse " +
               describe_one(t.children[1]) + "]";
      break;
    case Type::displacements:
    case Type::coordinates:
      if (t.path) out += " (field at '" + *t.path + "')";
      if (t.interpolation) out += ", " + *t.interpolation;
      break;
  }
  return out;
}

std::string describe_ref(const std::optional<SystemRef>& ref) {
  if (!ref) return "?";
  std::string out = ref->name.value_or("");
  if (ref->path) out += (out.empty() ? "" : " in ") + std::string("'") + *ref->path + "'";
  return out;
}

}  // namespace

std::string describe_chain(const Transformation& t) {
  std::string out;
  if (t.input || t.output) out = describe_ref(t.input) + " -> " + describe_ref(t.output) + ": ";
  return out + describe_one(t);
}

}  // namespace ngff::ome
