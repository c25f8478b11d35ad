// Reading a source one block ahead: while the caller compresses and writes block i, another
// thread reads block i+1, so the source's reading (a TIFF's tiles, a Zarr level's chunks) and the
// encoding of the output overlap instead of taking turns. Memory: one more block.
#pragma once

#include <future>
#include <vector>

#include "ngff/image/voxel_source.hpp"

namespace ngff::image {

class ReadAhead {
 public:
  // Reads `regions` of `source` in this order. `source` must outlive this object and is only
  // read from the read-ahead thread, one region at a time.
  ReadAhead(const VoxelSource& source, std::vector<zarr::Region> regions);
  // Waits for a read still under way (its error, if any, is dropped: the caller is already
  // unwinding or has taken every block).
  ~ReadAhead();
  ReadAhead(const ReadAhead&) = delete;
  ReadAhead& operator=(const ReadAhead&) = delete;

  // Puts the next region's voxels in `block` (its old storage becomes the next read's buffer) and
  // starts reading the one after. Rethrows the read's error. Throws std::logic_error past the
  // last region.
  void next(Bytes& block);

 private:
  void start(size_t i);

  const VoxelSource& source_;
  const std::vector<zarr::Region> regions_;
  const size_t element_size_;
  size_t next_ = 0;  // the region `pending_` reads
  Bytes ahead_;
  std::future<void> pending_;
};

}  // namespace ngff::image
