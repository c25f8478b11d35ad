#include "ngff/image/write_levels.hpp"

#include "image/level_array.hpp"
#include "image/pyramid_levels.hpp"
#include "ngff/error.hpp"

namespace ngff::image {
namespace {

// Level k's dataset: "k" with its scale, and its translation when any level has one (so all
// levels are alike).
ome::Dataset level_dataset(size_t k, const std::vector<double>& scale,
                           const std::vector<double>& translation, bool with_translation) {
  ome::Dataset ds;
  ds.path = std::to_string(k);
  ds.transforms.push_back({ome::Transform::Kind::scale, scale, std::nullopt});
  if (with_translation)
    ds.transforms.push_back({ome::Transform::Kind::translation, translation, std::nullopt});
  return ds;
}

}  // namespace

MultiscaleImage create_image_with_levels(const StorePtr& store, std::string_view path,
                                         const std::vector<LevelLayout>& levels,
                                         zarr::DataType dtype, std::vector<ome::Axis> axes,
                                         std::string name, const WriteImageOptions& o) {
  ome::require_writable(o.version, "create_image_with_levels: version");
  if (levels.empty()) throw UsageError("create_image_with_levels: no levels");
  const size_t n = axes.size();
  std::vector<zarr::Shape> shapes;
  std::vector<std::vector<double>> scales, translations;
  bool any_translation = false;
  for (size_t k = 0; k < levels.size(); ++k) {
    const LevelLayout& level = levels[k];
    std::string where = "create_image_with_levels: level " + std::to_string(k);
    std::vector<double> scale = level.scale.empty() ? std::vector<double>(n, 1.0) : level.scale;
    std::vector<double> translation =
        level.translation.empty() ? std::vector<double>(n, 0.0) : level.translation;
    if (level.shape.size() != n || scale.size() != n || translation.size() != n)
      throw UsageError(where + ": shape, scale and translation need one value for each of the " +
                       std::to_string(n) + " axes");
    for (size_t d = 0; d < n; ++d) {
      if (!(scale[d] > 0))
        throw UsageError(where + ": scale " + Json(scale).dump() + " is not positive");
      any_translation |= translation[d] != 0;
      if (k == 0) continue;
      if (level.shape[d] > shapes.back()[d] || scale[d] < scales.back()[d])
        throw UsageError(where + " on axis '" + axes[d].name + "': a level may not be larger (" +
                         std::to_string(level.shape[d]) + " after " +
                         std::to_string(shapes.back()[d]) + " voxels) nor finer (scale " +
                         Json(scale[d]).dump() + " after " + Json(scales.back()[d]).dump() +
                         ") than the one before");
    }
    shapes.push_back(level.shape);
    scales.push_back(std::move(scale));
    translations.push_back(std::move(translation));
  }
  std::vector<ome::Dataset> datasets;
  for (size_t k = 0; k < levels.size(); ++k)
    datasets.push_back(level_dataset(k, scales[k], translations[k], any_translation));
  ome::ImageAttributes attrs = image_attributes(
      std::move(name), std::move(axes), std::move(datasets), o.version, o.omero, o.image_label);
  return create_empty_levels(store, path, shapes, dtype, attrs, o);
}

}  // namespace ngff::image
