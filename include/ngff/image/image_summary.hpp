// A JSON description of an OME-Zarr image for `ngff info`: version, axes with units, levels with
// shape and physical voxel size, channels, labels.
#pragma once

#include "ngff/image/multiscale_image.hpp"
#include "ngff/util/json.hpp"

namespace ngff::image {

Json summarize_image(const MultiscaleImage& image);

}  // namespace ngff::image
