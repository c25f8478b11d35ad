// Reading a source one block ahead: while the caller compresses and writes block i, another
// thread reads block i+1, so the source's reading (a TIFF's tiles, a Zarr level's chunks) and the
// encoding of the output overlap instead of taking turns. Memory: one more block.
#pragma once

#include <condition_variable>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

#include "ngff/image/voxel_source.hpp"

namespace ngff::image {

class ReadAhead {
 public:
  // Reads `regions` of `source` in this order. `source` must outlive this object and is only
  // read from the read-ahead thread, one region at a time.
  ReadAhead(const VoxelSource& source, std::vector<zarr::Region> regions);
  // Stops after the read under way, if any (its error is dropped: the caller is already
  // unwinding or has taken every block).
  ~ReadAhead();
  ReadAhead(const ReadAhead&) = delete;
  ReadAhead& operator=(const ReadAhead&) = delete;

  // Puts the next region's voxels in `block` (its old storage becomes a later read's buffer) and
  // lets the reader go on to the one after. Rethrows the read's error. Throws std::logic_error
  // past the last region.
  void next(Bytes& block);

 private:
  void read_all();

  const VoxelSource& source_;
  const std::vector<zarr::Region> regions_;
  const size_t element_size_;
  size_t taken_ = 0;  // regions handed to the caller

  std::mutex mutex_;
  std::condition_variable changed_;
  Bytes ahead_;               // the next region's voxels, when `ready_`
  bool ready_ = false;        // ahead_ holds region taken_ (or error_ is set)
  bool stopping_ = false;     // the destructor runs
  std::exception_ptr error_;  // written by the reader before ready_, read by next() after
  // One thread for the whole walk, not one per block: a source keeps per-thread state (HTTP
  // connections, decompression contexts, chunk scratch) that a new thread would build again.
  std::thread thread_;
};

}  // namespace ngff::image
