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
#include <filesystem>
#include <memory>
#include <mutex>

namespace ngff {

class FlushBehind {
 public:
  // Files written this recently stay cached (and may still be being written back).
  static constexpr uint64_t kMaxBytesBehind = 64ull << 20;
  static constexpr size_t kMaxFilesBehind = 32;
  // Smaller files are left to the kernel (callers check): metadata, which is read again, and
  // tiny chunks.
  static constexpr uint64_t kMinBytes = 64ull << 10;

  // Whether files under `path` (or its nearest existing ancestor) live on a local disk file
  // system that honours the advice (ext4, xfs, btrfs, f2fs). Elsewhere none is given: tmpfs and
  // overlayfs ignore it, and on NFS a held descriptor turns a deleted file into a `.nfsXXXX`
  // one until it is closed, and its writeback errors belong to the writer's own close().
  static bool suits(const std::filesystem::path& path);
  // A FlushBehind for files written under `path`, or null where it does not suit.
  static std::unique_ptr<FlushBehind> where_it_suits(const std::filesystem::path& path);

  FlushBehind() = default;
  // Drops the files still held from the cache where they are clean, without waiting.
  ~FlushBehind();
  FlushBehind(const FlushBehind&) = delete;
  FlushBehind& operator=(const FlushBehind&) = delete;

  // `length` bytes from `offset` of a file just written (a whole file, or a range of a zip
  // growing entry by entry), through a descriptor of its own that this takes over. Starts
  // their writeback; may wait for that of ranges handed over earlier. Parts of the range
  // written later are flushed when it comes due. Best effort: errors of the advice calls are
  // ignored (the data was written; at worst it stays cached), and nothing here throws, so
  // nothing here can fail a write.
  void add_range(int fd, uint64_t offset, uint64_t length) noexcept;
  // Lets go of every file held, without waiting: before files are deleted or replaced, so no
  // descriptor keeps them alive.
  void release() noexcept;

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
