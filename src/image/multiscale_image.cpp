#include "ngff/image/multiscale_image.hpp"

#include <cmath>
#include <cstdio>
#include <optional>

#include "ngff/error.hpp"
#include "ngff/ome/bioformats2raw.hpp"
#include "ngff/ome/labels.hpp"
#include "ngff/store/open_store.hpp"
#include "store/key.hpp"

namespace ngff::image {

namespace {

std::string fmt_number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

// The JSON path of the scale transform that gives dataset `i` a bad scale along axis `d`.
std::string bad_scale_path(const ome::Multiscale& ms, size_t m, size_t i, size_t d) {
  std::string base = "multiscales[" + std::to_string(m) + "]";
  auto find = [&](const std::vector<ome::Transform>& ts) -> std::optional<size_t> {
    for (size_t k = 0; k < ts.size(); ++k)
      if (ts[k].kind == ome::Transform::Kind::scale && d < ts[k].values.size() &&
          !(ts[k].values[d] > 0 && std::isfinite(ts[k].values[d])))
        return k;
    return std::nullopt;
  };
  if (auto k = find(ms.datasets[i].transforms))
    return base + ".datasets[" + std::to_string(i) + "].coordinateTransformations[" +
           std::to_string(*k) + "].scale";
  if (auto k = find(ms.transforms))
    return base + ".coordinateTransformations[" + std::to_string(*k) + "].scale";
  return base + ".datasets[" + std::to_string(i) + "].coordinateTransformations";
}

// The first of a 0.6 multiscale's own transformations that maps its intrinsic system on to
// another system of the multiscale in closed form, as an affine, with that system's name.
std::optional<std::pair<ome::Affine, std::string>> world_affine(const ome::Multiscale& ms) {
  for (const ome::Transformation& t : ms.coordinate_transformations) {
    auto local = [](const std::optional<ome::SystemRef>& ref) {
      return ref && ref->name && (!ref->path || ref->path->empty());
    };
    if (!local(t.input) || !local(t.output) || *t.input->name != ms.intrinsic) continue;
    if (auto affine = ome::as_affine(t, ms.ndim())) return std::pair(*affine, *t.output->name);
  }
  return std::nullopt;
}

}  // namespace

MultiscaleImage MultiscaleImage::open(std::string_view url, size_t multiscale) {
  auto loc = open_store(url);
  return open(loc.store, loc.path, multiscale);
}

MultiscaleImage MultiscaleImage::open_series(std::string_view url, size_t series,
                                             size_t multiscale) {
  auto loc = open_store(url);
  return open_series(loc.store, loc.path, series, multiscale);
}

MultiscaleImage MultiscaleImage::open_series(const StorePtr& store, std::string_view path,
                                             size_t series, size_t multiscale) {
  zarr::Group group = zarr::Group::open(store, path);
  if (ome::has_multiscales(group.attributes()) || !ome::is_bioformats2raw(group.attributes())) {
    if (series != 0)
      throw UsageError(group.url() + " is a single image, not a bioformats2raw root: series " +
                       std::to_string(series) + " does not exist");
    return open_group(std::move(group), multiscale);
  }
  auto all = ome::bioformats2raw_series(*store, group.path());
  if (series >= all.size())
    throw UsageError(group.url() + ": series " + std::to_string(series) + " does not exist (" +
                     std::to_string(all.size()) + " series)");
  return open(store, join_key(group.path(), all[series].path), multiscale);
}

MultiscaleImage MultiscaleImage::open(const StorePtr& store, std::string_view path,
                                      size_t multiscale) {
  return open_series(store, path, 0, multiscale);
}

MultiscaleImage MultiscaleImage::open_group(zarr::Group group, size_t multiscale) {
  StorePtr store = group.store();  // a copy: `group` is moved from next
  MultiscaleImage img(std::move(group));
  std::string where = img.group_.url();
  img.attributes_ = ome::ImageAttributes::from_json(img.group_.attributes(), where);
  if (img.attributes_.multiscales.empty())
    throw ValidationError(where + ": attributes.multiscales: expected at least one multiscale");
  if (multiscale >= img.attributes_.multiscales.size())
    throw UsageError(where + ": multiscale " + std::to_string(multiscale) + " does not exist (" +
                     std::to_string(img.attributes_.multiscales.size()) + " present)");
  img.index_ = multiscale;
  ome::Multiscale& ms = img.attributes_.multiscales[multiscale];
  std::string name = ms.name.value_or(img.group_.path().empty() ? "image" : img.group_.path());
  auto dataset_path = [&](size_t i) {
    return "multiscales[" + std::to_string(multiscale) + "].datasets[" + std::to_string(i) +
           "].path";
  };
  for (size_t i = 0; i < ms.datasets.size(); ++i) {
    std::string json_path = dataset_path(i);
    const std::string& ds = ms.datasets[i].path;
    zarr::Array a = [&] {
      try {
        return img.group_.open_array(ds);
      } catch (const KeyNotFound&) {
        throw KeyNotFound(where + ": " + json_path + ": dataset '" + ds + "' has no array at " +
                          store->key_url(join_key(img.group_.path(), ds)));
      } catch (const InvalidKey& e) {
        throw ValidationError(where + ": " + json_path + ": " + e.what());
      }
    }();
    if (a.rank() != ms.axes.size())
      throw ValidationError(
          where + ": " + json_path + ": array '" + ds + "' has " + std::to_string(a.rank()) +
          " dimensions but there are " + std::to_string(ms.axes.size()) + " axes" +
          (img.version() < ome::Version::v0_3 && ms.axes.size() == 5
               ? " (OME-NGFF " + ome::to_string(img.version()) + " images are 5D: t, c, z, y, x)"
               : std::string()));
    img.arrays_.push_back(std::move(a));
  }
  // 0.1-0.3 record no scales: the level shapes give them (level 0 has a scale of 1).
  if (img.version() < ome::Version::v0_4) {
    std::vector<std::vector<uint64_t>> shapes;
    for (const zarr::Array& a : img.arrays_) shapes.push_back(a.shape());
    ms.derive_scales(shapes);
  }
  for (size_t i = 0; i < ms.datasets.size(); ++i) {
    std::vector<double> scale = ms.scale(i);
    for (size_t d = 0; d < scale.size(); ++d)
      if (!(scale[d] > 0) || !std::isfinite(scale[d]))
        throw ValidationError(where + ": " + bad_scale_path(ms, multiscale, i, d) +
                              ": the scale of axis '" + ms.axes[d].name + "' is " +
                              fmt_number(scale[d]) + ", expected a positive number");
    img.levels_.emplace_back(array_source(img.arrays_[i]), ms.axes, scale, ms.translation(i), name);
  }
  if (auto world = world_affine(ms))
    for (SpatialImage& level : img.levels_) level.set_affine(world->first, world->second);
  return img;
}

std::string MultiscaleImage::name() const {
  return levels_.empty() ? std::string() : levels_[0].name();
}

std::vector<std::string> MultiscaleImage::label_names() const {
  std::optional<zarr::Group> labels;
  try {
    labels = group_.open_group("labels");
  } catch (const KeyNotFound&) {
    return {};
  }
  // A v3 "labels" path that holds label images but no metadata of its own lists nothing.
  if (labels->is_implicit()) return {};
  return ome::label_names(labels->attributes(), labels->url());
}

MultiscaleImage MultiscaleImage::label(std::string_view name) const {
  return open(group_.store(), join_key(join_key(group_.path(), "labels"), name));
}

size_t MultiscaleImage::level_for_resolution(const std::vector<double>& target) const {
  std::vector<size_t> space;
  for (size_t d = 0; d < axes().size(); ++d)
    if (axes()[d].type.value_or("") == "space") space.push_back(d);
  if (target.size() != space.size())
    throw UsageError("level_for_resolution: expected " + std::to_string(space.size()) +
                     " target values (one per space axis)");
  size_t best = 0;
  for (size_t i = 0; i < levels_.size(); ++i) {
    bool fine_enough = true;
    for (size_t k = 0; k < space.size(); ++k)
      if (levels_[i].scale()[space[k]] > target[k] * (1 + 1e-9)) fine_enough = false;
    if (fine_enough) best = i;
  }
  return best;
}

}  // namespace ngff::image
