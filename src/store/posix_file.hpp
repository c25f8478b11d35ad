// The POSIX file I/O of FileStore and the zip writer. Writes never leave a file half-written for
// readers to see: the bytes go to a hidden temporary beside the target, which is renamed into
// place once complete (FileStore writes every value so, the zip writer its whole zip). Internal
// to the store layer.
#pragma once

#include <atomic>
#include <filesystem>
#include <string>
#include <string_view>

#include "ngff/store/bytes.hpp"

namespace ngff {

class FlushBehind;

// strerror(errno), for messages.
std::string errno_text();

// Reads up to out.size() bytes at `offset` (retrying interrupted and short reads); returns how
// many, fewer only at the end of the file. `path` names the file in errors.
uint64_t read_at(int fd, MutableByteView out, uint64_t offset, const std::filesystem::path& path);

// Whether a file name is one of ours left by a killed writer: listings skip it.
bool is_temp_file_name(std::string_view name);

// Removes the temporaries of `target` that killed writers left behind (a killed zip writer's
// is as large as the zip it was writing): those no process holds open. A TempFile holds an flock
// on its file while it is open, and the kernel drops it when its process dies.
void remove_abandoned_temp_files(const std::filesystem::path& target);

// A new temporary file beside a target: hidden, unique per process and call, opened for reading
// and writing, flock-ed while open. The destructor removes it unless commit() renamed it into
// place.
class TempFile {
 public:
  explicit TempFile(const std::filesystem::path& target);
  ~TempFile();
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;

  const std::filesystem::path& path() const { return path_; }

  // All of `bytes` at `offset` (retrying short and interrupted writes); reopens the file after
  // close_until_next_write().
  void write_at(ByteView bytes, uint64_t offset);
  // Closes the file until the next write_at (its errors surface here): a writer with many
  // temporaries under way at once (shards written in pieces, one per open shard) would
  // otherwise hold a descriptor for each and could run out of them. Drops the flock marker.
  void close_until_next_write();
  // Exactly out.size() bytes from `offset`; throws StoreError at the end of the file.
  void read_at(MutableByteView out, uint64_t offset) const;
  // `length` bytes from `offset` of `from` to `to_offset` here (in the kernel where it can).
  void copy_from(const TempFile& from, uint64_t offset, uint64_t length, uint64_t to_offset);
  void truncate(uint64_t size);
  // Hands `length` bytes from `offset`, written, to `flush_behind`, through a descriptor
  // opened for it: a dup would share this one's record of writeback errors, which the flush
  // could mark as seen before commit()'s close reports them (a network file system's way).
  void flush_behind(FlushBehind& flush_behind, uint64_t offset, uint64_t length) const;
  // Closes the file (its errors surface here) and renames it to `target`; then, with
  // `flush_behind` and FlushBehind::kMinBytes or more written, hands the file to it.
  void commit(const std::filesystem::path& target, FlushBehind* flush_behind = nullptr);

 private:
  void grew_to(uint64_t end);
  // A read-only descriptor of the file for a FlushBehind (-1 when it cannot be opened).
  int open_for_flush() const;

  std::filesystem::path path_;
  int fd_ = -1;
  std::atomic<uint64_t> size_{0};  // the file's size, as written here (from several threads)
  bool committed_ = false;
};

}  // namespace ngff
