#include "store/flush_behind.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <vector>

namespace ngff {

namespace {

// Waits for the range's writeback and drops its pages: only clean ones can go. The range is
// widened to whole pages: the kernel drops only the pages a range covers whole, and a page
// shared by two ranges (a zip's entries) would be dropped by neither.
void drop(int fd, uint64_t offset, uint64_t length, bool wait) {
  static const auto page = static_cast<uint64_t>(::sysconf(_SC_PAGESIZE));
  const uint64_t begin = offset / page * page, end = (offset + length + page - 1) / page * page;
  const auto from = static_cast<off_t>(begin), bytes = static_cast<off_t>(end - begin);
  if (wait)
    (void)::sync_file_range(
        fd, from, bytes,
        SYNC_FILE_RANGE_WAIT_BEFORE | SYNC_FILE_RANGE_WRITE | SYNC_FILE_RANGE_WAIT_AFTER);
  (void)::posix_fadvise(fd, from, bytes, POSIX_FADV_DONTNEED);
  ::close(fd);
}

}  // namespace

FlushBehind::~FlushBehind() {
  for (const Written& w : behind_) drop(w.fd, w.offset, w.length, false);
}

void FlushBehind::add(int fd) {
  struct stat st {};
  if (::fstat(fd, &st) != 0 || static_cast<uint64_t>(st.st_size) < kMinBytes) {
    ::close(fd);
    return;
  }
  add_range(fd, 0, static_cast<uint64_t>(st.st_size));
}

void FlushBehind::add_range(int fd, uint64_t offset, uint64_t length) {
  (void)::sync_file_range(fd, static_cast<off_t>(offset), static_cast<off_t>(length),
                          SYNC_FILE_RANGE_WRITE);
  std::vector<Written> due;
  {
    std::lock_guard lock(mutex_);
    behind_.push_back({fd, offset, length});
    bytes_behind_ += length;
    while (behind_.size() > kMaxFilesBehind || bytes_behind_ > kMaxBytesBehind) {
      due.push_back(behind_.front());
      bytes_behind_ -= behind_.front().length;
      behind_.pop_front();
    }
  }
  // Outside the lock: other threads' writes need not wait for this file's disk.
  for (const Written& w : due) drop(w.fd, w.offset, w.length, true);
}

}  // namespace ngff
