#include "store/flush_behind.hpp"

#include <fcntl.h>
#include <linux/magic.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <cerrno>
#include <new>
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

bool FlushBehind::suits(const std::filesystem::path& path) {
  std::filesystem::path p = path;
  struct statfs fs {};
  while (::statfs(p.c_str(), &fs) != 0) {
    if (errno != ENOENT || !p.has_relative_path()) return false;
    p = p.parent_path();
  }
  switch (static_cast<uint64_t>(fs.f_type)) {
    case EXT4_SUPER_MAGIC:  // also ext2 and ext3
    case XFS_SUPER_MAGIC:
    case BTRFS_SUPER_MAGIC:
    case F2FS_SUPER_MAGIC:
      return true;
    default:
      return false;
  }
}

std::unique_ptr<FlushBehind> FlushBehind::where_it_suits(const std::filesystem::path& path) {
  return suits(path) ? std::make_unique<FlushBehind>() : nullptr;
}

FlushBehind::~FlushBehind() {
  release();
}

void FlushBehind::release() noexcept {
  std::deque<Written> held;
  {
    std::lock_guard lock(mutex_);
    held.swap(behind_);
    bytes_behind_ = 0;
  }
  for (const Written& w : held) drop(w.fd, w.offset, w.length, false);
}

void FlushBehind::add_range(int fd, uint64_t offset, uint64_t length) noexcept {
  (void)::sync_file_range(fd, static_cast<off_t>(offset), static_cast<off_t>(length),
                          SYNC_FILE_RANGE_WRITE);
  // What comes due is at most all held plus this one; reserved first, so nothing below throws
  // once the file is held (a failed allocation lets the file go at once instead).
  std::vector<Written> due;
  try {
    due.reserve(kMaxFilesBehind + 1);
    std::lock_guard lock(mutex_);
    behind_.push_back({fd, offset, length});
    bytes_behind_ += length;
    while (behind_.size() > kMaxFilesBehind || bytes_behind_ > kMaxBytesBehind) {
      due.push_back(behind_.front());
      bytes_behind_ -= behind_.front().length;
      behind_.pop_front();
    }
  } catch (const std::bad_alloc&) {
    drop(fd, offset, length, false);
    return;
  }
  // Outside the lock: other threads' writes need not wait for this file's disk.
  for (const Written& w : due) drop(w.fd, w.offset, w.length, true);
}

}  // namespace ngff
