#include "multiscales_v06.hpp"

#include <numeric>

#include "json_path.hpp"
#include "ngff/error.hpp"

namespace ngff::ome::detail {

namespace {

using Type = Transformation::Type;

constexpr std::string_view kIntrinsic = "intrinsic";

bool is_local(const SystemRef& ref) {
  return !ref.path || ref.path->empty();
}

// The scale[/translation] of a dataset's 0.6 transformation (checked: scale, identity, or
// sequence[scale, translation]) on `ndim` axes.
std::vector<Transform> dataset_transforms(const Transformation& t, size_t ndim) {
  if (t.type == Type::identity) return {Transform::make_scale(std::vector<double>(ndim, 1.0))};
  if (t.type == Type::scale) return {Transform::make_scale(t.vector)};
  return {Transform::make_scale(t.children[0].vector),
          Transform::make_translation(t.children[1].vector)};
}

Dataset dataset_from_json(const Json& json, std::string_view where, std::string& intrinsic,
                          const std::vector<CoordinateSystem>& systems) {
  expect_object(json, where);
  Dataset d;
  d.path = as_string(required(json, "path", where), key_path(where, "path"));
  std::string list_path = key_path(where, "coordinateTransformations");
  const Json& list = required(json, "coordinateTransformations", where);
  expect_array(list, list_path);
  if (list.size() != 1)
    fail(list_path,
         "expected exactly one transformation (from the array to the intrinsic "
         "coordinate system), got " +
             std::to_string(list.size()));
  std::string path = index_path(list_path, 0);
  Transformation t = Transformation::from_json(list[0], path, TransformPlace::dataset);
  if (*t.input->path != d.path)
    fail(key_path(key_path(path, "input"), "path"),
         "expected the dataset's path '" + d.path + "', got '" + *t.input->path + "'");
  const std::string& output = *t.output->name;
  std::string output_path = key_path(key_path(path, "output"), "name");
  if (intrinsic.empty()) {
    intrinsic = output;
  } else if (output != intrinsic) {
    fail(output_path, "every dataset's output must be the same (intrinsic) coordinate system: '" +
                          intrinsic + "' before, '" + output + "' here");
  }
  const CoordinateSystem* system = find_coordinate_system(systems, output);
  if (!system) fail(output_path, "no coordinate system named '" + output + "' in this multiscale");
  // The array has as many dimensions as the intrinsic system has axes.
  check_dimensions(t, system->ndim(), system->ndim(), path);
  d.transforms = dataset_transforms(t, system->ndim());
  d.transformation = std::move(t);
  d.extra = extra_members(json, {"path", "coordinateTransformations"});
  return d;
}

// The multiscale-level transformations: the intrinsic system on one side, a system of the
// multiscale (or, by path, of a child labels group: then identity/scale/translation) on the
// other, parameters fitting both.
void check_multiscale_transformation(const Transformation& t, const Multiscale& m,
                                     std::string_view where) {
  bool in_intrinsic = is_local(*t.input) && t.input->name == m.intrinsic;
  bool out_intrinsic = is_local(*t.output) && t.output->name == m.intrinsic;
  if (!in_intrinsic && !out_intrinsic)
    fail(where, "one of input and output must be the intrinsic coordinate system '" + m.intrinsic +
                    "' (the datasets' output)");
  auto ndim_of = [&](const SystemRef& ref, std::string_view side) -> std::optional<size_t> {
    std::string path = key_path(where, side);
    if (!is_local(ref)) {
      if (t.type != Type::identity && t.type != Type::scale && t.type != Type::translation)
        fail(key_path(where, "type"),
             "a transformation to a coordinate system of a labels group ('" + *ref.path +
                 "') must be identity, scale or translation, got " + to_string(t.type));
      return std::nullopt;
    }
    const CoordinateSystem* system = find_coordinate_system(m.coordinate_systems, *ref.name);
    if (!system)
      fail(key_path(path, "name"),
           "no coordinate system named '" + *ref.name + "' in this multiscale");
    return system->ndim();
  };
  std::optional<size_t> in = ndim_of(*t.input, "input");
  std::optional<size_t> out = ndim_of(*t.output, "output");
  check_dimensions(t, in, out, where);
}

// Graph connectedness: every system reachable from the intrinsic one through the multiscale's
// transformations (either direction).
void check_connected(const Multiscale& m, std::string_view where) {
  std::vector<size_t> parent(m.coordinate_systems.size());
  std::iota(parent.begin(), parent.end(), size_t{0});
  auto root = [&](size_t i) {
    while (parent[i] != i) i = parent[i] = parent[parent[i]];
    return i;
  };
  auto index_of = [&](const SystemRef& ref) -> std::optional<size_t> {
    if (!is_local(ref) || !ref.name) return std::nullopt;
    for (size_t i = 0; i < m.coordinate_systems.size(); ++i)
      if (m.coordinate_systems[i].name == *ref.name) return i;
    return std::nullopt;
  };
  for (const Transformation& t : m.coordinate_transformations) {
    auto a = index_of(*t.input), b = index_of(*t.output);
    if (a && b) parent[root(*a)] = root(*b);
  }
  size_t intrinsic = 0;
  for (size_t i = 0; i < m.coordinate_systems.size(); ++i)
    if (m.coordinate_systems[i].name == m.intrinsic) intrinsic = i;
  for (size_t i = 0; i < m.coordinate_systems.size(); ++i)
    if (root(i) != root(intrinsic))
      fail(key_path(index_path(key_path(where, "coordinateSystems"), i), "name"),
           "coordinate system '" + m.coordinate_systems[i].name +
               "' is connected to the intrinsic one ('" + m.intrinsic +
               "') by no transformation (the systems of a multiscale form one connected graph)");
}

// The effective scale and translation of dataset i written as its 0.6 transformation.
Transformation dataset_transformation(const Multiscale& m, size_t i, const std::string& intrinsic) {
  const Dataset& d = m.datasets[i];
  std::vector<double> scale = m.scale(i), translation = m.translation(i);
  if (d.transformation) {  // as read, while it still says the same
    std::vector<Transform> read = dataset_transforms(*d.transformation, m.ndim());
    if (scale_of(read, m.ndim()) == scale && translation_of(read, m.ndim()) == translation &&
        d.transformation->input && d.transformation->input->path == d.path &&
        d.transformation->output && d.transformation->output->name == intrinsic)
      return *d.transformation;
  }
  // A sequence when the dataset (or a 0.4/0.5 multiscale) has a translation, even of zeros, so
  // that 0.5 -> 0.6 -> 0.5 gives back the same lists; otherwise the bare scale.
  bool translated = false;
  for (const auto* list : {&d.transforms, &m.transforms})
    for (const Transform& tr : *list) translated |= tr.kind == Transform::Kind::translation;
  Transformation t = translated ? Transformation::make_sequence(
                                      {Transformation::make_scale(std::move(scale)),
                                       Transformation::make_translation(std::move(translation))})
                                : Transformation::make_scale(std::move(scale));
  t.input = SystemRef{std::nullopt, d.path, false, Json::object()};
  t.output = SystemRef{intrinsic, std::nullopt, false, Json::object()};
  return t;
}

}  // namespace

Multiscale multiscale_v06_from_json(const Json& json, std::string_view where) {
  Multiscale m;
  m.name = optional_string(json, "name", where);
  m.type = optional_string(json, "type", where);
  m.coordinate_systems = coordinate_systems_from_json(required(json, "coordinateSystems", where),
                                                      key_path(where, "coordinateSystems"), true);
  std::string datasets_path = key_path(where, "datasets");
  const Json& datasets = required(json, "datasets", where);
  expect_array(datasets, datasets_path);
  if (datasets.empty()) fail(datasets_path, "expected at least one dataset, got none");
  for (size_t i = 0; i < datasets.size(); ++i)
    m.datasets.push_back(dataset_from_json(datasets[i], index_path(datasets_path, i), m.intrinsic,
                                           m.coordinate_systems));
  m.axes = m.intrinsic_system()->axes;
  if (const Json* list = find(json, "coordinateTransformations")) {
    std::string path = key_path(where, "coordinateTransformations");
    m.coordinate_transformations =
        transformations_from_json(*list, path, TransformPlace::multiscale);
    for (size_t i = 0; i < m.coordinate_transformations.size(); ++i)
      check_multiscale_transformation(m.coordinate_transformations[i], m, index_path(path, i));
  }
  check_connected(m, where);
  if (const Json* metadata = find(json, "metadata")) m.metadata = *metadata;
  m.extra = extra_members(json, {"name", "type", "coordinateSystems", "datasets",
                                 "coordinateTransformations", "metadata"});
  return m;
}

Json multiscale_v06_to_json(const Multiscale& m) {
  std::string intrinsic = m.intrinsic.empty() ? std::string(kIntrinsic) : m.intrinsic;
  std::vector<CoordinateSystem> systems = m.coordinate_systems;
  bool found = false;
  for (CoordinateSystem& system : systems)
    if (system.name == intrinsic) {
      system.axes = m.axes;  // the model's axes are the intrinsic system's
      found = true;
    }
  if (!found) systems.insert(systems.begin(), CoordinateSystem{intrinsic, m.axes, Json::object()});
  Json j = Json::object();
  if (m.name) j["name"] = *m.name;
  j["coordinateSystems"] = coordinate_systems_to_json(systems);
  Json ds = Json::array();
  for (size_t i = 0; i < m.datasets.size(); ++i) {
    Json d = {{"path", m.datasets[i].path},
              {"coordinateTransformations",
               Json::array({dataset_transformation(m, i, intrinsic).to_json()})}};
    merge_extra(d, m.datasets[i].extra);
    ds.push_back(std::move(d));
  }
  j["datasets"] = std::move(ds);
  if (!m.coordinate_transformations.empty())
    j["coordinateTransformations"] = transformations_to_json(m.coordinate_transformations);
  if (m.type) j["type"] = *m.type;
  if (!m.metadata.is_null()) j["metadata"] = m.metadata;
  merge_extra(j, m.extra);
  return j;
}

void v06_as_v05(const Multiscale& m, std::string_view where, std::vector<Axis>& axes,
                std::vector<Transform>& transforms) {
  axes = m.axes;
  transforms.clear();
  std::string list_path = key_path(where, "coordinateTransformations");
  auto refuse = [&](size_t i, const std::string& why) {
    throw ValidationError(index_path(list_path, i) + ": " + why +
                          " cannot be written as OME-NGFF 0.5 (only scale and translation)");
  };
  if (m.coordinate_transformations.size() > 1)
    refuse(1, "a second multiscale-level transformation (" +
                  to_string(m.coordinate_transformations[1].type) + ")");
  if (m.coordinate_transformations.empty()) return;
  const Transformation& t = m.coordinate_transformations[0];
  bool from_intrinsic = t.input && is_local(*t.input) && t.input->name == m.intrinsic && t.output &&
                        is_local(*t.output);
  std::optional<Affine> affine = from_intrinsic ? as_affine(t, m.ndim()) : std::optional<Affine>{};
  const CoordinateSystem* target =
      from_intrinsic ? find_coordinate_system(m.coordinate_systems, *t.output->name) : nullptr;
  bool folds = affine && affine->is_axis_aligned() && target && target->ndim() == m.ndim();
  if (folds) {
    for (double s : affine->diagonal()) folds &= s > 0;
  }
  if (!folds) {
    std::string what = to_string(t.type);
    if (t.type == Type::sequence || t.type == Type::by_dimension) what = describe_chain(t);
    if (!from_intrinsic) what += " (not from the intrinsic coordinate system)";
    refuse(0, what);
  }
  axes = target->axes;
  transforms.push_back(Transform::make_scale(affine->diagonal()));
  std::vector<double> translation = affine->translation();
  bool translated = false;
  for (double v : translation) translated |= v != 0;
  if (translated) transforms.push_back(Transform::make_translation(std::move(translation)));
}

void multiscale_v06_warnings(const Multiscale& m, std::string_view where,
                             std::vector<std::string>& out) {
  std::string systems_path = key_path(where, "coordinateSystems");
  for (size_t i = 0; i < m.coordinate_systems.size(); ++i)
    if (m.coordinate_systems[i].name != m.intrinsic)  // the intrinsic one is the 0.5 axes
      axes_warnings(m.coordinate_systems[i].axes, key_path(index_path(systems_path, i), "axes"),
                    out);
  std::string datasets_path = key_path(where, "datasets");
  for (size_t i = 0; i < m.datasets.size(); ++i)
    if (m.datasets[i].transformation)
      transformation_warnings(
          *m.datasets[i].transformation,
          index_path(key_path(index_path(datasets_path, i), "coordinateTransformations"), 0), out);
  std::string list_path = key_path(where, "coordinateTransformations");
  for (size_t i = 0; i < m.coordinate_transformations.size(); ++i)
    transformation_warnings(m.coordinate_transformations[i], index_path(list_path, i), out);
}

}  // namespace ngff::ome::detail
