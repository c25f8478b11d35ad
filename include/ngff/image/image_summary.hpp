// A JSON description of an OME-Zarr image for `ngff info`: version, axes with units, levels with
// shape and physical voxel size, channels, labels; for 0.6 also "coordinate_systems" ([{"name",
// "axes": [names], "intrinsic": bool}]) and "transformations" (one describe_chain line each).
#pragma once

#include "ngff/image/multiscale_image.hpp"
#include "ngff/util/json.hpp"

namespace ngff::image {

Json summarize_image(const MultiscaleImage& image);

}  // namespace ngff::image
