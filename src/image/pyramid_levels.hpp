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

// Throws UsageError unless `source` and `dst` have the same shape and data type.
void check_same_layout(const VoxelSource& source, const zarr::Array& dst);

// Copies `source` into `dst` in blocks of whole dst chunks within `budget` bytes.
void copy_to_array(const VoxelSource& source, const zarr::Array& dst, uint64_t budget,
                   const BytesDone& report);

// Writes dst = downsample(src) block by block (blocks of whole dst chunks; the input of a block
// is read with the method's halo), downsampling each block on all cores.
void downsample_array(const zarr::Array& src, const zarr::Array& dst, const zarr::Shape& factors,
                      DownsampleMethod method, uint64_t budget, const BytesDone& report);

// downsample_region of the box `out` on all cores, for methods without a halo (the pieces are
// contiguous runs of `output`).
void downsample_on_all_cores(const std::byte* input, const zarr::Region& in,
                             const zarr::Shape& src_shape, zarr::DataType dtype,
                             const zarr::Shape& factors, DownsampleMethod method,
                             const zarr::Region& out, std::byte* output);

// Writes level 0 (levels[0]) from `source` and every further level in the same pass, depth
// first: a block of level k is made from its child blocks of level k-1 while they are in memory,
// so no level is read back from the store. Returns false, having written nothing, when this does
// not apply: a method with a halo (gaussian), a sparse source (its own path follows the stored
// chunks), source chunks larger than the blocks the budget allows, or a write unit (chunk or
// shard) too large to hold one per level; the caller then writes level by level. With
// `write_level0` false, levels[0] already holds the source (a pyramid rebuilt from level 0).
// Level 0's blocks are read one ahead (ReadAhead) and finished blocks are written behind
// (WriteBehind), so reading, downsampling and compressing overlap; a single level (a copy)
// takes the same path.
bool write_levels_in_one_pass(const VoxelSource& source, const std::vector<zarr::Array>& levels,
                              const zarr::Shape& factors, DownsampleMethod method, uint64_t budget,
                              bool write_level0, const BytesDone& report);

// Writes the levels: in one pass when write_levels_in_one_pass applies, else level 0 by
// copy_to_array (when `write_level0`) and each further level by downsample_array of the one
// below.
void write_levels(const VoxelSource& source, const std::vector<zarr::Array>& levels,
                  const zarr::Shape& factors, DownsampleMethod method, uint64_t budget,
                  bool write_level0, const BytesDone& report);

}  // namespace ngff::image
