// The pieces of the pyramid writer: planning level shapes, the exact per-level transforms, and
// the streaming block loops that copy a source into level 0 and downsample level k-1 into k.
#pragma once

#include <functional>
#include <optional>
#include <vector>

#include "ngff/image/downsample.hpp"
#include "ngff/image/spatial_image.hpp"
#include "ngff/ome/image_attributes.hpp"
#include "ngff/zarr/array.hpp"

namespace ngff::image {

struct PyramidPlan {
  zarr::Shape factors;                  // between consecutive levels
  std::vector<zarr::Shape> shapes;      // per level, level 0 first
  std::vector<zarr::Shape> cumulative;  // integer factor of level k relative to level 0
};

// `levels` counts level 0; 0 means: add levels while the largest space extent exceeds 64 and
// the shape still shrinks (at most 12 levels).
PyramidPlan plan_pyramid(const zarr::Shape& shape0, const zarr::Shape& factors, size_t levels,
                         const std::vector<ome::Axis>& axes);
uint64_t plan_bytes(const PyramidPlan& plan, zarr::DataType dtype);

// Dataset entries "0", "1", ... with exact scale and translation (see write_image.hpp).
std::vector<ome::Dataset> level_datasets(const PyramidPlan& plan, const std::vector<double>& scale0,
                                         const std::vector<double>& translation0,
                                         DownsampleMethod method);

// The attributes of an image with these levels (`datasets`), no "type" or "metadata".
ome::ImageAttributes image_attributes(std::string name, std::vector<ome::Axis> axes,
                                      std::vector<ome::Dataset> datasets, ome::Version version,
                                      const std::optional<ome::Omero>& omero,
                                      const std::optional<ome::ImageLabel>& image_label);
// ... of the pyramid `plan` of `image`, with its method as "type" and in "metadata".
ome::ImageAttributes image_attributes(const SpatialImage& image, const PyramidPlan& plan,
                                      DownsampleMethod method, ome::Version version,
                                      const std::optional<ome::Omero>& omero,
                                      const std::optional<ome::ImageLabel>& image_label);

using BytesDone = std::function<void(uint64_t)>;

// Copies `source` into `dst` in blocks of whole dst chunks within `budget` bytes.
void copy_to_array(const VoxelSource& source, const zarr::Array& dst, uint64_t budget,
                   const BytesDone& report);

// Writes dst = downsample(src) block by block (blocks of whole dst chunks; the input of a block
// is read with the method's halo), downsampling each block on all cores.
void downsample_array(const zarr::Array& src, const zarr::Array& dst, const zarr::Shape& factors,
                      DownsampleMethod method, uint64_t budget, const BytesDone& report);

}  // namespace ngff::image
