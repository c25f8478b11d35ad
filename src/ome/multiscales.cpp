#include "ngff/ome/multiscales.hpp"

#include <cmath>

#include "json_path.hpp"
#include "multiscales_v06.hpp"
#include "ngff/error.hpp"

namespace ngff::ome {

using detail::fail;
using detail::index_path;
using detail::key_path;

Dataset Dataset::make(std::string path, std::vector<double> scale,
                      std::vector<double> translation) {
  Dataset d;
  d.path = std::move(path);
  d.transforms.push_back(Transform::make_scale(std::move(scale)));
  if (!translation.empty())
    d.transforms.push_back(Transform::make_translation(std::move(translation)));
  return d;
}

Dataset Dataset::from_json(const Json& json, std::string_view where, size_t ndim, Version version) {
  detail::expect_object(json, where);
  Dataset d;
  d.path = detail::as_string(detail::required(json, "path", where), key_path(where, "path"));
  if (version >= Version::v0_4)
    d.transforms =
        scale_translation_from_json(detail::required(json, "coordinateTransformations", where),
                                    key_path(where, "coordinateTransformations"), ndim);
  d.extra = detail::extra_members(json, {"path", "coordinateTransformations"});
  return d;
}

Json Dataset::to_json() const {
  Json j = Json::object();
  j["path"] = path;
  j["coordinateTransformations"] = transforms_to_json(transforms);
  detail::merge_extra(j, extra);
  return j;
}

std::vector<std::string> Multiscale::axis_names() const {
  std::vector<std::string> names;
  for (const Axis& axis : axes) names.push_back(axis.name);
  return names;
}

std::optional<size_t> Multiscale::axis_index(std::string_view axis_name) const {
  for (size_t i = 0; i < axes.size(); ++i)
    if (axes[i].name == axis_name) return i;
  return std::nullopt;
}

std::vector<double> Multiscale::scale(size_t dataset) const {
  if (dataset >= datasets.size())
    throw UsageError("dataset " + std::to_string(dataset) + " out of range (the multiscale has " +
                     std::to_string(datasets.size()) + ")");
  std::vector<double> s = scale_of(datasets[dataset].transforms, ndim());
  std::vector<double> s_ms = scale_of(transforms, ndim());
  for (size_t d = 0; d < s.size(); ++d) s[d] *= s_ms[d];
  return s;
}

std::vector<double> Multiscale::translation(size_t dataset) const {
  if (dataset >= datasets.size())
    throw UsageError("dataset " + std::to_string(dataset) + " out of range (the multiscale has " +
                     std::to_string(datasets.size()) + ")");
  std::vector<double> t = translation_of(datasets[dataset].transforms, ndim());
  std::vector<double> s_ms = scale_of(transforms, ndim());
  std::vector<double> t_ms = translation_of(transforms, ndim());
  for (size_t d = 0; d < t.size(); ++d) t[d] = t[d] * s_ms[d] + t_ms[d];
  return t;
}

namespace {

// The axes of a multiscale of `version`: objects since 0.4, names in 0.3, none before (5D).
std::vector<Axis> axes_of(const Json& json, std::string_view where, Version version) {
  std::string path = key_path(where, "axes");
  if (version >= Version::v0_4) return axes_from_json(detail::required(json, "axes", where), path);
  if (version == Version::v0_3) return axes_from_names(detail::required(json, "axes", where), path);
  // 0.1 and 0.2 define no "axes"; a writer that added 0.3-style names anyway is taken at its word.
  if (const Json* axes = detail::find(json, "axes")) return axes_from_names(*axes, path);
  return legacy_5d_axes();
}

}  // namespace

Multiscale Multiscale::from_json(const Json& json, std::string_view where, Version version) {
  detail::expect_object(json, where);
  if (version == Version::v0_6) return detail::multiscale_v06_from_json(json, where);
  Multiscale m;
  const bool inner_version = !in_ome_namespace(version);  // before 0.5: inside each multiscale
  if (inner_version) {
    m.version = detail::optional_string(json, "version", where);
    if (m.version) {
      std::string path = key_path(where, "version");
      Version own = parse_version(*m.version, path);
      if (in_ome_namespace(own))
        fail(path, "version '" + *m.version + "' in a multiscale (OME-NGFF " + to_string(own) +
                       " metadata lives under 'ome')");
      if (own != version)
        fail(path, "version '" + *m.version + "' in an OME-NGFF " + to_string(version) + " image");
    }
  }
  m.name = detail::optional_string(json, "name", where);
  m.type = detail::optional_string(json, "type", where);
  m.axes = axes_of(json, where, version);
  std::string datasets_path = key_path(where, "datasets");
  const Json& datasets = detail::required(json, "datasets", where);
  detail::expect_array(datasets, datasets_path);
  if (datasets.empty()) fail(datasets_path, "expected at least one dataset, got none");
  for (size_t i = 0; i < datasets.size(); ++i)
    m.datasets.push_back(
        Dataset::from_json(datasets[i], index_path(datasets_path, i), m.ndim(), version));
  if (const Json* transforms = detail::find(json, "coordinateTransformations");
      transforms && version >= Version::v0_4)
    m.transforms = scale_translation_from_json(
        *transforms, key_path(where, "coordinateTransformations"), m.ndim());
  if (const Json* metadata = detail::find(json, "metadata")) m.metadata = *metadata;
  // Before 0.4 a "coordinateTransformations" member is not OME-NGFF's and is dropped, so that
  // the upgraded multiscale holds only the transformations it was given.
  if (inner_version)
    m.extra = detail::extra_members(json, {"version", "name", "type", "axes", "datasets",
                                           "coordinateTransformations", "metadata"});
  else
    m.extra = detail::extra_members(
        json, {"name", "type", "axes", "datasets", "coordinateTransformations", "metadata"});
  return m;
}

void Multiscale::derive_scales(const std::vector<std::vector<uint64_t>>& shapes) {
  if (shapes.size() != datasets.size())
    throw UsageError("derive_scales: " + std::to_string(shapes.size()) + " shapes for " +
                     std::to_string(datasets.size()) + " datasets");
  for (const auto& shape : shapes)
    if (shape.size() != ndim())
      throw UsageError("derive_scales: a shape of " + std::to_string(shape.size()) + " sizes for " +
                       std::to_string(ndim()) + " axes");
  for (size_t i = 0; i < datasets.size(); ++i) {
    if (!datasets[i].transforms.empty()) continue;
    std::vector<double> scale(ndim(), 1.0);
    for (size_t d = 0; d < ndim(); ++d)
      if (shapes[i][d] > 0 && shapes[0][d] > 0)
        scale[d] = static_cast<double>(shapes[0][d]) / static_cast<double>(shapes[i][d]);
    datasets[i].transforms.push_back(Transform::make_scale(std::move(scale)));
  }
}

const CoordinateSystem* Multiscale::intrinsic_system() const {
  return find_coordinate_system(coordinate_systems, intrinsic);
}

Json Multiscale::to_json(Version v, std::string_view where) const {
  require_writable(v, "multiscale");
  if (v == Version::v0_6) return detail::multiscale_v06_to_json(*this);
  std::vector<Axis> out_axes = axes;
  std::vector<Transform> out_transforms = transforms;
  if (!coordinate_systems.empty()) detail::v06_as_v05(*this, where, out_axes, out_transforms);
  Json j = Json::object();
  if (v == Version::v0_4 && version) j["version"] = *version;
  if (name) j["name"] = *name;
  j["axes"] = axes_to_json(out_axes);
  Json ds = Json::array();
  for (const Dataset& d : datasets) ds.push_back(d.to_json());
  j["datasets"] = std::move(ds);
  if (!out_transforms.empty()) j["coordinateTransformations"] = transforms_to_json(out_transforms);
  if (type) j["type"] = *type;
  if (!metadata.is_null()) j["metadata"] = metadata;
  detail::merge_extra(j, extra);
  return j;
}

void Multiscale::validate(std::string_view where) const {
  if (coordinate_systems.empty())
    validate_axes(axes, key_path(where, "axes"));
  else
    validate_multiscale_system_axes(axes, key_path(where, "axes"));
  std::string datasets_path = key_path(where, "datasets");
  if (datasets.empty()) fail(datasets_path, "expected at least one dataset, got none");
  for (size_t i = 0; i < datasets.size(); ++i)
    validate_scale_translation(datasets[i].transforms, ndim(),
                               key_path(index_path(datasets_path, i), "coordinateTransformations"));
  if (!transforms.empty())
    validate_scale_translation(transforms, ndim(), key_path(where, "coordinateTransformations"));
  if (version) {
    std::string path = key_path(where, "version");
    if (in_ome_namespace(parse_version(*version, path)))
      fail(path, "version '" + *version + "' in a multiscale (only 0.1-0.4 have one)");
  }
}

void Multiscale::warnings(std::string_view where, Version v, std::vector<std::string>& out) const {
  std::string w(where);
  if (!name) out.push_back(w + ": a multiscale SHOULD have a 'name'");
  if (!type) out.push_back(w + ": a multiscale SHOULD have a 'type' (the downscaling method)");
  if (metadata.is_null()) out.push_back(w + ": a multiscale SHOULD have 'metadata'");
  if (!in_ome_namespace(v) && !version) out.push_back(w + ": a multiscale SHOULD have a 'version'");
  if (coordinate_systems.empty())
    axes_warnings(axes, key_path(where, "axes"), out);
  else
    detail::multiscale_v06_warnings(*this, where, out);
  std::string datasets_path = key_path(where, "datasets");
  const std::vector<double>* previous = nullptr;
  for (size_t i = 0; i < datasets.size(); ++i) {
    const auto& ts = datasets[i].transforms;
    if (ts.empty() || ts[0].kind != Transform::Kind::scale || ts[0].path) {
      previous = nullptr;
      continue;
    }
    std::string path =
        key_path(index_path(key_path(index_path(datasets_path, i), "coordinateTransformations"), 0),
                 "scale");
    const std::vector<double>& s = ts[0].values;
    for (size_t d = 0; d < s.size(); ++d)
      if (!(s[d] > 0))
        out.push_back(index_path(path, d) + ": scale " + detail::describe(s[d]) +
                      " is not positive");
    if (previous && previous->size() == s.size()) {
      for (size_t d = 0; d < s.size(); ++d) {
        if (std::fabs(s[d]) < std::fabs((*previous)[d])) {
          out.push_back(index_path(datasets_path, i) +
                        ": datasets MUST be ordered from highest to lowest resolution, but this "
                        "one's scale is smaller than the previous one's on axis '" +
                        (d < axes.size() ? axes[d].name : std::to_string(d)) + "'");
          break;
        }
      }
    }
    previous = &s;
  }
}

}  // namespace ngff::ome
