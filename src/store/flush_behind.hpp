// Keeps a bulk writer's output from piling up in the page cache. Internal to the store layer.
//
// A conversion writes gigabytes it will not read again. Left to the kernel, every byte stays
// cached (dirty, then clean) until memory runs short: the user's other cached files are pushed
// out, and on virtual machines whose host reclaims the guest's free pages (free page reporting)
// each newly cached page costs a fault in the host: writing 3 GiB as 2300 files took 9-10 s of
// kernel time there, and 3.2-3.5 s when written this way. So, as PostgreSQL does for its
// checkpoints (checkpoint_flush_after), each written file is handed to the kernel's writeback
// at once, and once a few later ones have followed, the writer waits for it to be on disk and
// drops it from the cache: one writer's dirty data stays bounded, and the pages it writes
// through are recycled while warm. The cost: a disk slower than the writer sets its pace (as
// the kernel's dirty limits would, later), and output read back at once comes from the disk.
#pragma once

#include <cstdint>
#include <deque>
#include <mutex>

namespace ngff {

class FlushBehind {
 public:
  // Files written this recently stay cached (and may still be being written back).
  static constexpr uint64_t kMaxBytesBehind = 64ull << 20;
  static constexpr size_t kMaxFilesBehind = 32;
  // Smaller files are left to the kernel: metadata, which is read again, and tiny chunks.
  static constexpr uint64_t kMinBytes = 64ull << 10;

  FlushBehind() = default;
  // Drops the files still held from the cache where they are clean, without waiting.
  ~FlushBehind();
  FlushBehind(const FlushBehind&) = delete;
  FlushBehind& operator=(const FlushBehind&) = delete;

  // A file just written, through a descriptor this takes over (a dup of one since closed, or
  // one opened again for this). Starts its writeback; may wait for that of files written
  // earlier. Best effort: errors of the advice calls are ignored (the data was written; at
  // worst it stays cached), so nothing here can fail a write.
  void add(int fd);
  // The same for `length` bytes from `offset` of a file still being written (a zip growing
  // entry by entry). Parts of the range written later are flushed when it comes due.
  void add_range(int fd, uint64_t offset, uint64_t length);

 private:
  struct Written {
    int fd;
    uint64_t offset;
    uint64_t length;
  };
  std::mutex mutex_;
  std::deque<Written> behind_;
  uint64_t bytes_behind_ = 0;
};

}  // namespace ngff
