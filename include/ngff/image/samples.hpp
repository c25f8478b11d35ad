// Synthetic sample images for `ngff create`, the demo and tests: deterministic, realistic enough
// to compress like microscopy (smooth structures plus noise), with channel metadata and labels.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "ngff/image/spatial_image.hpp"
#include "ngff/ome/omero.hpp"

namespace ngff::image {

struct Sample {
  SpatialImage image;
  std::optional<ome::Omero> omero;
  // Label images (same shape as the image without the channel axis... see labels_axes).
  std::vector<std::pair<std::string, SpatialImage>> labels;
};

// Names: "rgb" (cyx uint8, 3 channels), "volume" (czyx uint16 with a "cells" label image;
// the default), "timelapse" (tczyx uint16), "plane" (yx uint16). `shape` (optional) overrides
// the sample's shape (same number of dimensions); `dtype` (optional) overrides its type.
Sample make_sample(std::string_view name, const zarr::Shape& shape = {},
                   std::optional<zarr::DataType> dtype = std::nullopt);

std::vector<std::string> sample_names();

}  // namespace ngff::image
