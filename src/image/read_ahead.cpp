#include "image/read_ahead.hpp"

#include <stdexcept>

namespace ngff::image {

ReadAhead::ReadAhead(const VoxelSource& source, std::vector<zarr::Region> regions)
    : source_(source),
      regions_(std::move(regions)),
      element_size_(zarr::dtype_size(source.dtype())) {
  if (!regions_.empty()) start(0);
}

ReadAhead::~ReadAhead() {
  if (!pending_.valid()) return;
  try {
    pending_.get();
  } catch (...) {  // NOLINT(bugprone-empty-catch): see the header
  }
}

void ReadAhead::start(size_t i) {
  next_ = i;
  ahead_.resize(regions_[i].num_elements() * element_size_);
  // std::async with launch::async: a thread per block, which costs microseconds against the
  // milliseconds of reading a block of megabytes, and needs no queue or shutdown protocol.
  pending_ =
      std::async(std::launch::async, [this, i] { source_.read(regions_[i], ahead_.data()); });
}

void ReadAhead::next(Bytes& block) {
  if (!pending_.valid()) throw std::logic_error("ReadAhead::next: no region is left to read");
  pending_.get();
  std::swap(block, ahead_);
  if (next_ + 1 < regions_.size()) start(next_ + 1);
}

}  // namespace ngff::image
