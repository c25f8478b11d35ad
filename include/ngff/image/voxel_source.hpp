// Where a SpatialImage's voxels come from: a Zarr array on a store, a caller's buffer, or a
// sub-region of another source. Reads are lazy: nothing is loaded until a region is asked for.
#pragma once

#include <memory>

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
  // Chunk shape for efficient access (the whole shape for in-memory sources).
  virtual zarr::Shape preferred_block() const { return shape(); }
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
