#include "store/posix_file.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <random>

#include "ngff/error.hpp"
#include "store/flush_behind.hpp"

namespace fs = std::filesystem;

namespace ngff {
namespace {

constexpr std::string_view kTempMarker = ".ngff-tmp-";

// Hidden (leading '.'), unique per process (pid and a random tag, as pids repeat across
// containers) and per call, and marked so that listings skip what a killed writer leaves.
fs::path temp_path(const fs::path& target) {
  static std::atomic<uint64_t> counter{0};
  static const uint64_t process_tag = std::random_device{}();
  // Appended piece by piece: GCC 12 at -O3 reports a false -Wrestrict on a chain of `+`.
  std::string name = ".";
  name += target.filename().string();
  name += kTempMarker;
  name += std::to_string(::getpid());
  name += '-';
  name += std::to_string(process_tag % 100000);
  name += '-';
  name += std::to_string(counter++);
  return target.parent_path() / name;
}

}  // namespace

std::string errno_text() {
  return std::strerror(errno);
}

uint64_t read_at(int fd, MutableByteView out, uint64_t offset, const fs::path& path) {
  uint64_t done = 0;
  while (done < out.size()) {
    ssize_t n =
        ::pread(fd, out.data() + done, out.size() - done, static_cast<off_t>(offset + done));
    if (n < 0) {
      if (errno == EINTR) continue;
      throw StoreError("cannot read '" + path.string() + "': " + errno_text());
    }
    if (n == 0) break;  // the end of the file
    done += static_cast<uint64_t>(n);
  }
  return done;
}

bool is_temp_file_name(std::string_view name) {
  return name.find(kTempMarker) != std::string_view::npos;
}

void remove_abandoned_temp_files(const fs::path& target) {
  // Appended piece by piece: GCC 12 at -O3 misreads `"." + string + string` (-Wrestrict).
  std::string prefix = ".";
  prefix += target.filename().string();
  prefix += kTempMarker;
  std::error_code ec;
  for (fs::directory_iterator it(target.parent_path(), ec), end; !ec && it != end;
       it.increment(ec)) {
    const fs::path& path = it->path();
    if (path.filename().string().compare(0, prefix.size(), prefix) != 0) continue;
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) continue;
    // Unlocked: its writer is gone. (Where locks are not supported, flock fails: kept.)
    if (::flock(fd, LOCK_EX | LOCK_NB) == 0) ::unlink(path.c_str());
    ::close(fd);
  }
}

TempFile::TempFile(const fs::path& target) : path_(temp_path(target)) {
  fd_ = ::open(path_.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd_ < 0) throw StoreError("cannot create '" + path_.string() + "': " + errno_text());
  // Marks the file as in use for remove_abandoned_temp_files (released when the process dies).
  (void)::flock(fd_, LOCK_EX | LOCK_NB);
}

TempFile::~TempFile() {
  if (fd_ >= 0) ::close(fd_);
  if (!committed_) ::unlink(path_.c_str());
}

void TempFile::write_at(ByteView bytes, uint64_t offset) {
  if (fd_ < 0) {
    fd_ = ::open(path_.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd_ < 0) throw StoreError("cannot reopen '" + path_.string() + "': " + errno_text());
  }
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n =
        ::pwrite(fd_, bytes.data() + done, bytes.size() - done, static_cast<off_t>(offset + done));
    if (n < 0) {
      if (errno == EINTR) continue;
      throw StoreError("cannot write '" + path_.string() + "': " + errno_text());
    }
    done += static_cast<size_t>(n);
  }
  grew_to(offset + bytes.size());
}

void TempFile::grew_to(uint64_t end) {
  uint64_t size = size_.load();
  while (size < end && !size_.compare_exchange_weak(size, end)) {
  }
}

void TempFile::read_at(MutableByteView out, uint64_t offset) const {
  if (ngff::read_at(fd_, out, offset, path_) != out.size())
    throw StoreError("cannot read '" + path_.string() + "': unexpected end of file");
}

void TempFile::copy_from(const TempFile& from, uint64_t offset, uint64_t length,
                         uint64_t to_offset) {
  while (length > 0) {
    loff_t in = static_cast<loff_t>(offset), out = static_cast<loff_t>(to_offset);
    ssize_t n = ::copy_file_range(from.fd_, &in, fd_, &out, length, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;  // not supported here: copy through a buffer below
    offset += static_cast<uint64_t>(n);
    to_offset += static_cast<uint64_t>(n);
    length -= static_cast<uint64_t>(n);
    grew_to(to_offset);
  }
  Bytes buffer(std::min<uint64_t>(length, 4 << 20));
  while (length > 0) {
    MutableByteView part(buffer.data(), std::min<uint64_t>(length, buffer.size()));
    from.read_at(part, offset);
    write_at(part, to_offset);
    offset += part.size();
    to_offset += part.size();
    length -= part.size();
  }
}

void TempFile::truncate(uint64_t size) {
  if (::ftruncate(fd_, static_cast<off_t>(size)) != 0)
    throw StoreError("cannot truncate '" + path_.string() + "': " + errno_text());
  size_ = size;
}

int TempFile::open_for_flush() const {
  return ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
}

void TempFile::flush_behind(FlushBehind& flush_behind, uint64_t offset, uint64_t length) const {
  const int fd = open_for_flush();
  if (fd >= 0) flush_behind.add_range(fd, offset, length);
}

void TempFile::close_until_next_write() {
  int fd = fd_;
  fd_ = -1;
  if (fd >= 0 && ::close(fd) != 0)
    throw StoreError("cannot close '" + path_.string() + "': " + errno_text());
}

void TempFile::commit(const fs::path& target, FlushBehind* flush_behind) {
  // A dup outlives the close below, whose errors still surface here (close() flushes on every
  // descriptor, and nothing has waited on the file yet); one closed between writes is opened
  // again.
  const uint64_t size = size_;
  int kept = -1;
  if (flush_behind && size >= FlushBehind::kMinBytes)
    kept = fd_ >= 0 ? ::fcntl(fd_, F_DUPFD_CLOEXEC, 0) : open_for_flush();
  try {
    close_until_next_write();
    if (::rename(path_.c_str(), target.c_str()) != 0)
      throw StoreError("cannot rename '" + path_.string() + "' to '" + target.string() +
                       "': " + errno_text());
  } catch (...) {
    if (kept >= 0) ::close(kept);
    throw;
  }
  committed_ = true;
  if (kept >= 0) flush_behind->add_range(kept, 0, size);
}

}  // namespace ngff
