// The Zarr arrays of pyramid levels, laid out as the image's OME-NGFF version wants them; shared
// by the pyramid writer (write_image) and the writer of given levels (create_image_with_levels).
#pragma once

#include <string>
#include <vector>

#include "ngff/image/multiscale_image.hpp"
#include "ngff/image/write_image.hpp"
#include "ngff/ome/axes.hpp"
#include "ngff/ome/image_attributes.hpp"
#include "ngff/ome/version.hpp"
#include "ngff/zarr/array.hpp"
#include "ngff/zarr/group.hpp"

namespace ngff::image {

// Creates (replacing) the array `name` of `group`: v2 with "/" separators for 0.4, v3 with
// dimension_names for 0.5. Chunks are clipped to the level's extent; `shards` (empty = none) are
// clipped to whole chunks covering it, so smaller levels stay valid.
zarr::Array create_level_array(const zarr::Group& group, const std::string& name,
                               const zarr::Shape& shape, zarr::DataType dtype,
                               const zarr::Shape& chunks, const zarr::Shape& shards,
                               const std::vector<ome::Axis>& axes, const Json& compression,
                               ome::Version version);

// Writes an image without voxels: the group at `path`, level k's empty array named as
// `attrs`' dataset k with `shapes[k]`, then `attrs` (last, so that a killed writer leaves a group
// that is not yet an image). Refuses an existing node unless options.overwrite; on an error the
// store is rolled back. Shared by create_empty_image and create_image_with_levels.
MultiscaleImage create_empty_levels(const StorePtr& store, std::string_view path,
                                    const std::vector<zarr::Shape>& shapes, zarr::DataType dtype,
                                    const ome::ImageAttributes& attrs,
                                    const WriteImageOptions& options);

}  // namespace ngff::image
