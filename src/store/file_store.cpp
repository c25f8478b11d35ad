#include "ngff/store/file_store.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <set>
#include <utility>

#include "ngff/error.hpp"
#include "store/flush_behind.hpp"
#include "store/key.hpp"
#include "store/posix_file.hpp"

namespace fs = std::filesystem;

namespace ngff {

FileStore::FileStore(const fs::path& root, bool read_only)
    : root_(fs::absolute(root).lexically_normal()),
      read_only_(read_only),
      flush_behind_(read_only ? nullptr : FlushBehind::where_it_suits(root_)) {
  std::string s = root_.string();
  if (s.size() > 1 && s.back() == '/') root_ = fs::path(s.substr(0, s.size() - 1));
}

FileStore::~FileStore() = default;

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
  // Reads up to out.size() bytes from `offset`; returns how many (fewer when the file shrank
  // under us: what is there).
  uint64_t read(uint64_t offset, MutableByteView out) const {
    return read_at(fd, out, offset, path);
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

fs::path FileStore::prepare_write(std::string_view key) const {
  check_writable(key);
  if (key.empty()) throw InvalidKey("cannot write a value at the store root of " + url());
  fs::path p = path_of(key);
  std::error_code ec;
  fs::create_directories(p.parent_path(), ec);
  if (ec)
    throw StoreError("cannot create directory '" + p.parent_path().string() + "': " + ec.message());
  return p;
}

void FileStore::set(std::string_view key, ByteView value) {
  fs::path p = prepare_write(key);
  TempFile temp(p);
  temp.write_at(value, 0);
  temp.commit(p, flush_behind_.get());
}

namespace {

// The pieces go straight to the temporary file that set() would have written whole.
class FileValueWriter final : public ValueWriter {
 public:
  FileValueWriter(fs::path target, FlushBehind* flush_behind)
      : target_(std::move(target)), temp_(target_), flush_behind_(flush_behind) {}
  // Closed between writes: a pyramid walk may have thousands of shards open at once.
  void write_at(ByteView bytes, uint64_t offset) override {
    temp_.write_at(bytes, offset);
    temp_.close_until_next_write();
  }
  void commit() override { temp_.commit(target_, flush_behind_); }

 private:
  fs::path target_;
  TempFile temp_;
  FlushBehind* flush_behind_;
};

}  // namespace

std::unique_ptr<ValueWriter> FileStore::begin_value(std::string_view key) {
  return std::make_unique<FileValueWriter>(prepare_write(key), flush_behind_.get());
}

void FileStore::erase(std::string_view key) {
  check_writable(key);
  fs::path p = path_of(key);
  if (::unlink(p.c_str()) != 0 && errno != ENOENT && errno != ENOTDIR && errno != EISDIR)
    throw StoreError("cannot remove '" + p.string() + "': " + errno_text());
}

void FileStore::erase_prefix(std::string_view prefix) {
  check_writable(prefix);
  // Files held open by the flush-behind would keep their space until it lets them go.
  if (flush_behind_) flush_behind_->release();
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
  // Linked folders are followed (datasets share chunk folders through links; reads follow them,
  // so listings must too, or a copy would miss their chunks), each real folder once: a link
  // cycle cannot loop.
  std::set<std::pair<dev_t, ino_t>> entered;
  auto first_visit = [&](const fs::path& dir) {
    struct stat st {};
    return ::stat(dir.c_str(), &st) == 0 && entered.emplace(st.st_dev, st.st_ino).second;
  };
  first_visit(base);
  for (auto it = fs::recursive_directory_iterator(
           base, fs::directory_options::follow_directory_symlink, ec);
       !ec && it != fs::end(it); it.increment(ec)) {
    if (it->is_directory(ec)) {
      if (!first_visit(it->path())) it.disable_recursion_pending();
      continue;
    }
    if (!it->is_regular_file(ec)) continue;
    std::string name = it->path().filename().string();
    if (is_temp_file_name(name)) continue;
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
    if (!is_temp_file_name(name)) out.push_back(name);
  }
  if (ec) throw StoreError("cannot list '" + base.string() + "': " + ec.message());
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace ngff
