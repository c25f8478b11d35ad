// Where a SpatialImage's voxels come from: a Zarr array on a store, a caller's buffer, or a
// sub-region of another source. Reads are lazy: nothing is loaded until a region is asked for.
#pragma once

#include <memory>
#include <optional>
#include <vector>

#include "ngff/zarr/array.hpp"
#include "ngff/zarr/dtype.hpp"
#include "ngff/zarr/region.hpp"

namespace ngff::image {

class VoxelSource {
 public:
  virtual ~VoxelSource() = default;
  virtual const zarr::Shape& shape() const = 0;
  virtual zarr::DataType dtype() const = 0;
  // Reads `region` (in this source's index space) into `out`: C order, native byte order.
  virtual void read(const zarr::Region& region, void* out) const = 0;
  // The unit the source decodes at once (a Zarr chunk, a TIFF tile or strip), which readers
  // should not cut into pieces read separately; empty when any box is as cheap as any other (an
  // in-memory buffer).
  virtual zarr::Shape preferred_block() const { return {}; }
  // Where the voxels may differ from `fill` (one element): for a Zarr array, its stored chunks.
  // Writers use it so that the cost of sparse images follows the data. nullopt when unknown.
  struct StoredBoxes {
    std::vector<zarr::Region> boxes;
    Bytes fill;
  };
  virtual std::optional<StoredBoxes> stored_boxes() const { return std::nullopt; }
};

using VoxelSourcePtr = std::shared_ptr<const VoxelSource>;

// A Zarr array.
VoxelSourcePtr array_source(zarr::Array array);
// A caller's C-order native-endian buffer; not copied, so it must outlive the source.
VoxelSourcePtr buffer_source(const void* data, zarr::Shape shape, zarr::DataType dtype);
// A caller's buffer, owned by the source.
VoxelSourcePtr owned_buffer_source(Bytes data, zarr::Shape shape, zarr::DataType dtype);
// The sub-box `region` of another source, re-indexed from 0.
VoxelSourcePtr region_source(VoxelSourcePtr base, zarr::Region region);

}  // namespace ngff::image
