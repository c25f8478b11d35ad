#include "image/read_ahead.hpp"

#include <stdexcept>

namespace ngff::image {

ReadAhead::ReadAhead(const VoxelSource& source, std::vector<zarr::Region> regions)
    : source_(source),
      regions_(std::move(regions)),
      element_size_(zarr::dtype_size(source.dtype())) {
  if (!regions_.empty()) thread_ = std::thread([this] { read_all(); });
}

ReadAhead::~ReadAhead() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void ReadAhead::read_all() {
  for (const zarr::Region& region : regions_) {
    {
      std::unique_lock lock(mutex_);
      changed_.wait(lock, [&] { return !ready_ || stopping_; });
      if (stopping_) return;
    }
    // The caller does not touch ahead_ until ready_: read into it without the lock. Waiting for
    // the slot first keeps one block ahead at most (the memory the budget counts).
    try {
      resize_for_overwrite(ahead_, region.num_elements() * element_size_);
      source_.read(region, ahead_.data());
    } catch (...) {
      error_ = std::current_exception();
    }
    {
      std::lock_guard lock(mutex_);
      ready_ = true;
    }
    changed_.notify_all();
    if (error_) return;
  }
}

void ReadAhead::next(Bytes& block) {
  if (taken_ >= regions_.size())
    throw std::logic_error("ReadAhead::next: no region is left to read");
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [&] { return ready_; });
  if (error_) {
    taken_ = regions_.size();  // the reader has stopped
    std::rethrow_exception(error_);
  }
  std::swap(block, ahead_);
  ++taken_;
  ready_ = false;
  changed_.notify_all();
}

}  // namespace ngff::image
