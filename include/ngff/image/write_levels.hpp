// create_image_with_levels: an OME-Zarr image whose levels were computed elsewhere (a
// multiscale-spatial-image DataTree, another library's pyramid), written as they are: each
// level's shape, scale and translation exactly as given, no pyramid planned or recomputed.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "ngff/image/multiscale_image.hpp"
#include "ngff/image/write_image.hpp"

namespace ngff::image {

// One level as given: its array shape and the physical size and position of its voxels.
struct LevelLayout {
  zarr::Shape shape;
  std::vector<double> scale;        // empty = 1 on every axis
  std::vector<double> translation;  // empty = 0 on every axis
};

// Writes the group, every level's empty array ("0", "1", ...) and the image attributes with the
// given levels' transforms; the caller fills the arrays (e.g. chunk-parallel from dask). Used from
// options: version, chunks (default from level 0), shards, codec/compression, omero,
// image_label, overwrite; levels, method and factors are not (the multiscale gets no "type").
// Throws UsageError, before writing anything, unless there is at least one level, every shape and
// transform has one value per axis, scales are positive, and shapes do not grow nor scales
// shrink from one level to the next.
MultiscaleImage create_image_with_levels(const StorePtr& store, std::string_view path,
                                         const std::vector<LevelLayout>& levels,
                                         zarr::DataType dtype, std::vector<ome::Axis> axes,
                                         std::string name, const WriteImageOptions& options = {});

}  // namespace ngff::image
