#include "ngff/store/file_store.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <random>

#include "ngff/error.hpp"
#include "store/key.hpp"

namespace fs = std::filesystem;

namespace ngff {
namespace {

std::string errno_text() {
  return std::strerror(errno);
}

// A name for the temporary file of one write: unique per process and call, hidden (leading '.'),
// and marked so that listings can skip leftovers of a killed writer.
std::string temp_name(const fs::path& target) {
  static std::atomic<uint64_t> counter{0};
  static const uint64_t process_tag = std::random_device{}();
  // Appended piece by piece: GCC 12 at -O3 reports a false -Wrestrict on a chain of `+`.
  std::string name = ".";
  name += target.filename().string();
  name += ".ngff-tmp-";
  name += std::to_string(::getpid());
  name += "-";
  name += std::to_string(process_tag % 100000);
  name += "-";
  name += std::to_string(counter++);
  return name;
}

bool is_temp_file(const std::string& name) {
  return name.find(".ngff-tmp-") != std::string::npos;
}

void write_all(int fd, ByteView value, const fs::path& path) {
  const std::byte* p = value.data();
  size_t left = value.size();
  while (left > 0) {
    ssize_t n = ::write(fd, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw StoreError("cannot write '" + path.string() + "': " + errno_text());
    }
    p += n;
    left -= static_cast<size_t>(n);
  }
}

}  // namespace

FileStore::FileStore(fs::path root, bool read_only)
    : root_(fs::absolute(std::move(root)).lexically_normal()), read_only_(read_only) {
  std::string s = root_.string();
  if (s.size() > 1 && s.back() == '/') root_ = fs::path(s.substr(0, s.size() - 1));
}

fs::path FileStore::path_of(std::string_view key) const {
  validate_key(key);
  return key.empty() ? root_ : root_ / fs::path(std::string(key));
}

void FileStore::check_writable(std::string_view key) const {
  if (read_only_)
    throw StoreError("store " + url() + " is read-only; cannot write '" + std::string(key) + "'");
}

std::string FileStore::url() const {
  return "file://" + root_.string();
}

std::optional<Bytes> FileStore::get(std::string_view key) const {
  return get_range(key, ByteRange{0, UINT64_MAX});
}

namespace {

// An open file of the store, closed on destruction; `fd` is -1 when the key is missing.
struct OpenFile {
  int fd = -1;
  uint64_t size = 0;
  fs::path path;
  OpenFile(const OpenFile&) = delete;
  OpenFile& operator=(const OpenFile&) = delete;
  explicit OpenFile(fs::path p) : path(std::move(p)) {
    fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      if (errno == ENOENT || errno == ENOTDIR) return;
      throw StoreError("cannot open '" + path.string() + "': " + errno_text());
    }
    struct stat st {};
    if (::fstat(fd, &st) != 0)
      throw StoreError("cannot stat '" + path.string() + "': " + errno_text());
    if (S_ISDIR(st.st_mode)) {
      ::close(fd);
      fd = -1;
    }
    size = static_cast<uint64_t>(st.st_size);
  }
  ~OpenFile() {
    if (fd >= 0) ::close(fd);
  }
  // Reads up to out.size() bytes from `offset`; returns how many (fewer at the end of the file).
  uint64_t read(uint64_t offset, MutableByteView out) const {
    uint64_t done = 0;
    while (done < out.size()) {
      ssize_t n =
          ::pread(fd, out.data() + done, out.size() - done, static_cast<off_t>(offset + done));
      if (n < 0) {
        if (errno == EINTR) continue;
        throw StoreError("cannot read '" + path.string() + "': " + errno_text());
      }
      if (n == 0) break;  // the file shrank under us: return what is there
      done += static_cast<uint64_t>(n);
    }
    return done;
  }
};

}  // namespace

std::optional<std::vector<Bytes>> FileStore::read_ranges(
    std::string_view key, const std::function<std::vector<ByteRange>(uint64_t)>& choose) const {
  OpenFile file(path_of(key));
  if (file.fd < 0) return std::nullopt;
  std::vector<Bytes> parts;
  for (const ByteRange& range : choose(file.size)) {
    uint64_t begin = std::min(range.offset, file.size);
    Bytes& out = parts.emplace_back(std::min(range.length, file.size - begin));
    out.resize(file.read(begin, out));
  }
  return parts;
}

std::optional<uint64_t> FileStore::read_into(std::string_view key, MutableByteView out) const {
  OpenFile file(path_of(key));
  if (file.fd < 0) return std::nullopt;
  if (file.size != out.size()) return file.size;
  return file.read(0, out);
}

std::optional<Bytes> FileStore::get_range(std::string_view key, ByteRange range) const {
  auto parts = read_ranges(key, [&](uint64_t) { return std::vector<ByteRange>{range}; });
  if (!parts) return std::nullopt;
  return std::move(parts->front());
}

std::optional<Bytes> FileStore::get_suffix(std::string_view key, uint64_t length) const {
  // One open and fstat for the size, then the read: a shard index costs one system call more
  // than a chunk.
  auto parts = read_ranges(key, [&](uint64_t size) {
    uint64_t offset = size > length ? size - length : 0;
    return std::vector<ByteRange>{{offset, size - offset}};
  });
  if (!parts) return std::nullopt;
  return std::move(parts->front());
}

std::optional<std::vector<Bytes>> FileStore::get_ranges(
    std::string_view key, const std::vector<ByteRange>& ranges) const {
  return read_ranges(key, [&](uint64_t) { return ranges; });
}

void FileStore::set(std::string_view key, ByteView value) {
  check_writable(key);
  if (key.empty()) throw InvalidKey("cannot write a value at the store root of " + url());
  fs::path p = path_of(key);
  std::error_code ec;
  fs::create_directories(p.parent_path(), ec);
  if (ec)
    throw StoreError("cannot create directory '" + p.parent_path().string() + "': " + ec.message());
  fs::path tmp = p.parent_path() / temp_name(p);
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) throw StoreError("cannot create '" + tmp.string() + "': " + errno_text());
  try {
    write_all(fd, value, tmp);
  } catch (...) {
    ::close(fd);
    ::unlink(tmp.c_str());
    throw;
  }
  if (::close(fd) != 0) {
    ::unlink(tmp.c_str());
    throw StoreError("cannot close '" + tmp.string() + "': " + errno_text());
  }
  if (::rename(tmp.c_str(), p.c_str()) != 0) {
    std::string why = errno_text();
    ::unlink(tmp.c_str());
    throw StoreError("cannot rename '" + tmp.string() + "' to '" + p.string() + "': " + why);
  }
}

void FileStore::erase(std::string_view key) {
  check_writable(key);
  fs::path p = path_of(key);
  if (::unlink(p.c_str()) != 0 && errno != ENOENT && errno != ENOTDIR && errno != EISDIR)
    throw StoreError("cannot remove '" + p.string() + "': " + errno_text());
}

void FileStore::erase_prefix(std::string_view prefix) {
  check_writable(prefix);
  fs::path p = path_of(prefix);
  std::error_code ec;
  if (prefix.empty()) {
    for (const auto& entry : fs::directory_iterator(p, ec)) fs::remove_all(entry.path(), ec);
  } else {
    fs::remove_all(p, ec);
  }
  if (ec) throw StoreError("cannot remove '" + p.string() + "': " + ec.message());
}

bool FileStore::exists(std::string_view key) const {
  std::error_code ec;
  return fs::is_regular_file(path_of(key), ec);
}

std::optional<uint64_t> FileStore::size(std::string_view key) const {
  std::error_code ec;
  fs::path p = path_of(key);
  if (!fs::is_regular_file(p, ec)) return std::nullopt;
  auto n = fs::file_size(p, ec);
  if (ec) return std::nullopt;
  return n;
}

std::vector<std::string> FileStore::list(std::string_view prefix) const {
  fs::path base = path_of(prefix);
  std::vector<std::string> out;
  std::error_code ec;
  if (!fs::is_directory(base, ec)) return out;
  for (auto it = fs::recursive_directory_iterator(base, ec); !ec && it != fs::end(it);
       it.increment(ec)) {
    if (!it->is_regular_file(ec)) continue;
    std::string name = it->path().filename().string();
    if (is_temp_file(name)) continue;
    out.push_back(it->path().lexically_relative(root_).generic_string());
  }
  if (ec) throw StoreError("cannot list '" + base.string() + "': " + ec.message());
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::string> FileStore::list_dir(std::string_view prefix) const {
  fs::path base = path_of(prefix);
  std::vector<std::string> out;
  std::error_code ec;
  if (!fs::is_directory(base, ec)) return out;
  for (const auto& entry : fs::directory_iterator(base, ec)) {
    std::string name = entry.path().filename().string();
    if (!is_temp_file(name)) out.push_back(name);
  }
  if (ec) throw StoreError("cannot list '" + base.string() + "': " + ec.message());
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace ngff
