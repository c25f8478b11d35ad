// Synthetic sample images for `ngff create`, the demo and tests: deterministic, realistic enough
// to compress like microscopy (smooth structures plus noise), with channel metadata and labels.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "ngff/image/spatial_image.hpp"
#include "ngff/image/write_plate.hpp"
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
// "field" (cyx uint16, 2 channels) is one field of view of the plate sample.
Sample make_sample(std::string_view name, const zarr::Shape& shape = {},
                   std::optional<zarr::DataType> dtype = std::nullopt);
// The same with other random structures for each `seed`.
Sample make_sample(std::string_view name, const zarr::Shape& shape,
                   std::optional<zarr::DataType> dtype, uint32_t seed);

// The "plate" sample: a plate of 2 rows (A, B) x 3 columns with wells A/1, A/2 and B/3 filled,
// two "field" images each (`shape` and `dtype` override the fields'), one acquisition.
struct PlateSample {
  ome::Plate plate;
  PlateFields fields;
  std::optional<ome::Omero> omero;  // the fields' channels
};
PlateSample make_plate_sample(const zarr::Shape& shape = {},
                              std::optional<zarr::DataType> dtype = std::nullopt);

std::vector<std::string> sample_names();

}  // namespace ngff::image
