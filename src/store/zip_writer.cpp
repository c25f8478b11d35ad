// Writing a new zip on a local path (ZipStore::Writer). See zip_store.hpp for the layout.
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <tuple>

#include "ngff/error.hpp"
#include "ngff/store/file_store.hpp"
#include "ngff/util/json.hpp"
#include "store/key.hpp"
#include "zip_internal.hpp"

namespace fs = std::filesystem;

namespace ngff {

using namespace zip;

namespace {

std::string errno_text() {
  return std::strerror(errno);
}

// Hidden, unique per process and call, and marked like FileStore's temporaries so that listings
// of the directory skip what a killed writer leaves.
fs::path temp_path(const fs::path& target) {
  static std::atomic<uint64_t> counter{0};
  return target.parent_path() / ("." + target.filename().string() + ".ngff-tmp-" +
                                 std::to_string(::getpid()) + "-" + std::to_string(counter++));
}

void write_at(int fd, ByteView bytes, uint64_t offset, const fs::path& path) {
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n =
        ::pwrite(fd, bytes.data() + done, bytes.size() - done, static_cast<off_t>(offset + done));
    if (n < 0) {
      if (errno == EINTR) continue;
      throw StoreError("cannot write '" + path.string() + "': " + errno_text());
    }
    done += static_cast<size_t>(n);
  }
}

void read_at(int fd, MutableByteView out, uint64_t offset, const fs::path& path) {
  size_t done = 0;
  while (done < out.size()) {
    ssize_t n =
        ::pread(fd, out.data() + done, out.size() - done, static_cast<off_t>(offset + done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) throw StoreError("cannot read '" + path.string() + "': " + errno_text());
    done += static_cast<size_t>(n);
  }
}

// Copies `length` bytes between two files (in the kernel where it can).
void copy_between(int from, uint64_t from_offset, int to, uint64_t to_offset, uint64_t length,
                  const fs::path& path) {
  while (length > 0) {
    loff_t in = static_cast<loff_t>(from_offset), out = static_cast<loff_t>(to_offset);
    ssize_t n = ::copy_file_range(from, &in, to, &out, length, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;  // not supported here: copy through a buffer below
    from_offset += static_cast<uint64_t>(n);
    to_offset += static_cast<uint64_t>(n);
    length -= static_cast<uint64_t>(n);
  }
  Bytes buffer(std::min<uint64_t>(length, 4 << 20));
  while (length > 0) {
    MutableByteView part(buffer.data(), std::min<uint64_t>(length, buffer.size()));
    read_at(from, part, from_offset, path);
    write_at(to, part, to_offset, path);
    from_offset += part.size();
    to_offset += part.size();
    length -= part.size();
  }
}

int open_temp(const fs::path& temp) {
  int fd = ::open(temp.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) throw StoreError("cannot create '" + temp.string() + "': " + errno_text());
  return fd;
}

// RFC-9 order: the root zarr.json first, then the other zarr.json breadth-first, then the v2
// documents breadth-first.
bool metadata_before(const std::string& a, const std::string& b) {
  auto rank = [](const std::string& k) {
    bool v3 = k == "zarr.json" || k.ends_with("/zarr.json");
    return std::make_tuple(!v3, std::count(k.begin(), k.end(), '/'), k);
  };
  return rank(a) < rank(b);
}

// RFC-9's archive comment, {"ome": {"version": "0.5"}} followed by NUL, only for its recommended
// variant: the root zarr.json names an OME version, and every array is sharded (stored entries,
// zip64 and the metadata order are the writer's own). Empty otherwise.
std::string ome_comment(const std::map<std::string, Bytes, std::less<>>& metadata) {
  auto it = metadata.find("zarr.json");
  if (it == metadata.end()) return {};
  try {
    Json root = parse_json(it->second, "zarr.json");
    const Json& version = root.at("attributes").at("ome").at("version");
    if (!version.is_string()) return {};
    for (const auto& [key, value] : metadata) {
      if (!key.ends_with("zarr.json")) continue;
      Json doc = parse_json(value, key);
      if (doc.value("node_type", "") != "array") continue;
      const Json& codecs = doc.at("codecs");
      if (std::none_of(codecs.begin(), codecs.end(),
                       [](const Json& c) { return c.value("name", "") == "sharding_indexed"; }))
        return {};
    }
    return Json{{"ome", {{"version", version}}}}.dump() + std::string(1, '\0');
  } catch (const std::exception&) {
    return {};
  }
}

}  // namespace

ZipStore::Writer::Writer(fs::path path, ZipWriteOptions options)
    : path_(fs::absolute(std::move(path)).lexically_normal()),
      options_(options),
      time_(DosTime::now()) {
  std::error_code ec;
  if (fs::is_directory(path_, ec))
    throw StoreError("cannot write a zip at '" + path_.string() + "': it is a directory");
  fs::create_directories(path_.parent_path(), ec);
  if (ec)
    throw StoreError("cannot create directory '" + path_.parent_path().string() +
                     "': " + ec.message());
  if (fs::exists(path_, ec)) load_base();
  temp_ = temp_path(path_);
  fd_ = open_temp(temp_);
  end_ = options_.metadata_reserve;
}

ZipStore::Writer::~Writer() {
  if (fd_ >= 0) discard();
}

void ZipStore::Writer::load_base() {
  auto parent = std::make_shared<FileStore>(path_.parent_path(), /*read_only=*/true);
  base_ = std::make_unique<ZipStore::Reader>(parent, path_.filename().string());
  for (const auto& e : base_->entries()) {
    if (is_metadata_document(e.name)) {
      metadata_[e.name] = *base_->get(e.name);
    } else {
      DataEntry d;
      d.size = e.size;
      d.crc = e.crc;
      d.from_base = true;
      data_[e.name] = d;
    }
  }
}

std::string ZipStore::Writer::url() const {
  return "file://" + path_.string();
}

bool ZipStore::Writer::closed() const {
  std::lock_guard lock(mutex_);
  return closed_;
}

void ZipStore::Writer::check_open(std::string_view key) const {
  if (closed_)
    throw StoreError("zip " + url() + " is closed; cannot write '" + std::string(key) + "'");
}

ZipStore::Writer::DataEntry ZipStore::Writer::append(const std::string& key, ByteView value) {
  EntryHeader h;
  h.name = key;
  h.size = value.size();
  h.crc = crc32_of(value);
  h.zip64_threshold = options_.zip64_threshold;
  Bytes header = local_header(h, time_);
  DataEntry e;
  {
    std::lock_guard lock(mutex_);
    check_open(key);
    e.header_offset = end_;
    end_ += header.size() + value.size();
  }
  e.data_offset = e.header_offset + header.size();
  e.size = value.size();
  e.crc = h.crc;
  write_at(fd_, header, e.header_offset, temp_);
  write_at(fd_, value, e.data_offset, temp_);
  return e;
}

void ZipStore::Writer::set(std::string_view key, ByteView value) {
  validate_key(key);
  if (key.empty()) throw InvalidKey("cannot write a value at the root of zip " + url());
  std::string k(key);
  if (is_metadata_document(k)) {
    Bytes copy(value.begin(), value.end());
    std::lock_guard lock(mutex_);
    check_open(k);
    metadata_[k] = std::move(copy);
    data_.erase(k);
    return;
  }
  DataEntry e = append(k, value);
  std::lock_guard lock(mutex_);
  data_[k] = e;  // concurrent writes of one key: the last to finish wins
  metadata_.erase(k);
}

void ZipStore::Writer::erase(std::string_view key) {
  validate_key(key);
  std::lock_guard lock(mutex_);
  check_open(key);
  if (auto it = metadata_.find(key); it != metadata_.end()) metadata_.erase(it);
  if (auto it = data_.find(key); it != data_.end()) data_.erase(it);
}

Bytes ZipStore::Writer::read_data(const DataEntry& e, uint64_t offset, uint64_t length) const {
  uint64_t begin = std::min(offset, e.size);
  Bytes out(std::min(length, e.size - begin));
  read_at(fd_, out, e.data_offset + begin, temp_);
  return out;
}

std::optional<Bytes> ZipStore::Writer::get_range(std::string_view key, ByteRange range) const {
  validate_key(key);
  DataEntry e;
  {
    std::lock_guard lock(mutex_);
    if (closed_)
      throw StoreError("zip " + url() + " is closed; cannot read '" + std::string(key) + "'");
    if (auto it = metadata_.find(key); it != metadata_.end()) {
      const Bytes& v = it->second;
      uint64_t begin = std::min<uint64_t>(range.offset, v.size());
      uint64_t end = begin + std::min<uint64_t>(range.length, v.size() - begin);
      return Bytes(v.begin() + static_cast<ptrdiff_t>(begin),
                   v.begin() + static_cast<ptrdiff_t>(end));
    }
    auto it = data_.find(key);
    if (it == data_.end()) return std::nullopt;
    e = it->second;
  }
  if (e.from_base) return base_->get_range(key, range);
  return read_data(e, range.offset, range.length);
}

std::optional<Bytes> ZipStore::Writer::get(std::string_view key) const {
  return get_range(key, ByteRange{0, UINT64_MAX});
}

std::optional<uint64_t> ZipStore::Writer::size(std::string_view key) const {
  validate_key(key);
  std::lock_guard lock(mutex_);
  if (auto it = metadata_.find(key); it != metadata_.end()) return it->second.size();
  if (auto it = data_.find(key); it != data_.end()) return it->second.size;
  return std::nullopt;
}

std::vector<std::string> ZipStore::Writer::list(std::string_view prefix) const {
  validate_key(prefix);
  std::string base = prefix.empty() ? std::string() : std::string(prefix) + "/";
  std::vector<std::string> out;
  std::lock_guard lock(mutex_);
  auto collect = [&](const auto& m) {
    for (auto it = m.lower_bound(base); it != m.end(); ++it) {
      if (it->first.compare(0, base.size(), base) != 0) break;
      out.push_back(it->first);
    }
  };
  collect(metadata_);
  collect(data_);
  std::sort(out.begin(), out.end());
  return out;
}

// close() must not run while other threads still call set(): the writer that closes is the
// last user (the CLI closes after its work has finished).
void ZipStore::Writer::close() {
  {
    std::lock_guard lock(mutex_);
    if (closed_) return;
  }
  try {
    finish();
  } catch (...) {
    discard();
    throw;
  }
}

void ZipStore::Writer::discard() {
  std::lock_guard lock(mutex_);
  closed_ = true;
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  ::unlink(temp_.c_str());
}

void ZipStore::Writer::finish() {
  // Entries kept from the zip this one replaces are copied in first.
  std::vector<std::string> kept;
  {
    std::lock_guard lock(mutex_);
    for (const auto& [key, e] : data_)
      if (e.from_base) kept.push_back(key);
  }
  for (const auto& key : kept) {
    DataEntry e = append(key, *base_->get(key));
    std::lock_guard lock(mutex_);
    data_[key] = e;
  }
  std::lock_guard lock(mutex_);
  closed_ = true;  // from here on set() and erase() fail

  // The metadata documents, in RFC-9 order, at the start of the file.
  std::vector<std::string> names;
  for (const auto& [key, value] : metadata_) names.push_back(key);
  std::sort(names.begin(), names.end(), metadata_before);
  std::vector<EntryHeader> headers;
  for (const auto& name : names) {
    EntryHeader h;
    h.name = name;
    h.size = metadata_[name].size();
    h.crc = crc32_of(metadata_[name]);
    h.zip64_threshold = options_.zip64_threshold;
    headers.push_back(h);
  }
  auto build = [&](size_t padding) {
    Bytes blob;
    for (size_t i = 0; i < headers.size(); ++i) {
      headers[i].padding = i == 0 ? padding : 0;
      headers[i].header_offset = blob.size();
      Bytes header = local_header(headers[i], time_);
      blob.insert(blob.end(), header.begin(), header.end());
      const Bytes& value = metadata_[headers[i].name];
      blob.insert(blob.end(), value.begin(), value.end());
    }
    return blob;
  };
  Bytes blob = build(0);
  const uint64_t reserve = options_.metadata_reserve;
  uint64_t gap = reserve >= blob.size() ? reserve - blob.size() : 0;
  bool fits =
      !headers.empty() && reserve >= blob.size() &&
      (gap == 0 || (gap >= 4 && gap + 20 <= kMax16 && end_ - reserve >= options_.compact_below));
  int64_t shift = 0;
  if (fits) {
    if (gap) blob = build(gap);
    write_at(fd_, blob, 0, temp_);
  } else {
    // Too much metadata for the reserved space, none at all, or a small zip: move the data once.
    fs::path moved = temp_path(path_);
    int fd = open_temp(moved);
    try {
      write_at(fd, blob, 0, moved);
      copy_between(fd_, reserve, fd, blob.size(), end_ - reserve, moved);
    } catch (...) {
      ::close(fd);
      ::unlink(moved.c_str());
      throw;
    }
    ::close(fd_);
    ::unlink(temp_.c_str());
    fd_ = fd;
    temp_ = moved;
    shift = static_cast<int64_t>(blob.size()) - static_cast<int64_t>(reserve);
    end_ = static_cast<uint64_t>(static_cast<int64_t>(end_) + shift);
  }

  // The central directory: metadata first, then the data in file order.
  std::vector<std::pair<uint64_t, std::string>> order;
  for (const auto& [key, e] : data_) order.emplace_back(e.header_offset, key);
  std::sort(order.begin(), order.end());
  for (const auto& [offset, key] : order) {
    const DataEntry& e = data_[key];
    EntryHeader h;
    h.name = key;
    h.size = e.size;
    h.crc = e.crc;
    h.header_offset = static_cast<uint64_t>(static_cast<int64_t>(offset) + shift);
    h.zip64_threshold = options_.zip64_threshold;
    headers.push_back(h);
  }
  Bytes directory;
  for (const auto& h : headers) {
    Bytes c = central_header(h, time_);
    directory.insert(directory.end(), c.begin(), c.end());
  }
  const uint64_t cd_offset = end_;
  bool zip64 = options_.zip64_end_record || headers.size() >= kMax16 ||
               cd_offset >= options_.zip64_threshold ||
               directory.size() >= options_.zip64_threshold;
  std::string comment = options_.ome_comment && zip64 ? ome_comment(metadata_) : std::string();
  Bytes tail = end_records(headers.size(), cd_offset, directory.size(), zip64, comment);
  directory.insert(directory.end(), tail.begin(), tail.end());
  write_at(fd_, directory, cd_offset, temp_);
  if (::ftruncate(fd_, static_cast<off_t>(cd_offset + directory.size())) != 0 ||
      ::close(fd_) != 0) {
    fd_ = -1;
    throw StoreError("cannot finish '" + temp_.string() + "': " + errno_text());
  }
  fd_ = -1;
  if (::rename(temp_.c_str(), path_.c_str()) != 0)
    throw StoreError("cannot rename '" + temp_.string() + "' to '" + path_.string() +
                     "': " + errno_text());
}

}  // namespace ngff
