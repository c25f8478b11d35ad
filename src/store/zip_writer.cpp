// Writing a new zip on a local path (ZipStore::Writer). See zip_store.hpp for the layout.
#include <algorithm>
#include <tuple>

#include "ngff/error.hpp"
#include "ngff/store/file_store.hpp"
#include "store/key.hpp"
#include "store/metadata_keys.hpp"
#include "store/zip_internal.hpp"

namespace fs = std::filesystem;

namespace ngff {

using namespace zip;

namespace {

// Appended entries are handed to the flush-behind in steps of this many bytes.
constexpr uint64_t kFlushStep = 16ull << 20;

// RFC-9 order: the root zarr.json first, then the other zarr.json breadth-first, then the v2
// documents breadth-first.
bool metadata_before(const std::string& a, const std::string& b) {
  auto rank = [](const std::string& k) {
    bool v3 = key_name(k) == kZarrJson;
    return std::make_tuple(!v3, std::count(k.begin(), k.end(), '/'), k);
  };
  return rank(a) < rank(b);
}

}  // namespace

ZipStore::Writer::Writer(const fs::path& path, ZipWriteOptions options)
    : path_(fs::absolute(path).lexically_normal()), options_(options), time_(DosTime::now()) {
  std::error_code ec;
  if (fs::is_directory(path_, ec))
    throw StoreError("cannot write a zip at '" + path_.string() + "': it is a directory");
  fs::create_directories(path_.parent_path(), ec);
  if (ec)
    throw StoreError("cannot create directory '" + path_.parent_path().string() +
                     "': " + ec.message());
  flush_behind_ = FlushBehind::where_it_suits(path_.parent_path());
  if (fs::exists(path_, ec)) load_base();
  remove_abandoned_temp_files(path_);  // what earlier writers of this zip, killed, left
  file_ = std::make_unique<TempFile>(path_);
  end_ = options_.metadata_reserve;
}

ZipStore::Writer::~Writer() {
  if (file_) discard();
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

EntryHeader ZipStore::Writer::entry_header(const std::string& name, uint64_t size,
                                           uint32_t crc) const {
  EntryHeader h;
  h.name = name;
  h.size = size;
  h.crc = crc;
  h.zip64_threshold = options_.zip64_threshold;
  return h;
}

ZipStore::Writer::DataEntry ZipStore::Writer::append(const std::string& key, ByteView value) {
  EntryHeader h = entry_header(key, value.size(), crc32_of(value));
  Bytes header = local_header(h, time_);
  DataEntry e;
  uint64_t from = 0, to = 0;  // a range to hand to the flush-behind once this entry is written
  {
    std::lock_guard lock(mutex_);
    check_open(key);
    e.header_offset = end_;
    end_ += header.size() + value.size();
    if (flush_behind_ && end_ - flushed_to_ >= kFlushStep) {
      from = flushed_to_;
      to = flushed_to_ = end_;
    }
  }
  e.data_offset = e.header_offset + header.size();
  e.size = value.size();
  e.crc = h.crc;
  file_->write_at(header, e.header_offset);
  file_->write_at(value, e.data_offset);
  // Entries other threads are still writing in the range are flushed when it comes due.
  if (to > from) file_->flush_behind(*flush_behind_, from, to - from);
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
  file_->read_at(out, e.data_offset + begin);
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

void ZipStore::Writer::set_comment(std::string comment) {
  if (comment.size() > kMax16)
    throw UsageError("zip " + url() + ": an archive comment holds at most 65535 bytes, not " +
                     std::to_string(comment.size()));
  std::lock_guard lock(mutex_);
  if (closed_) throw StoreError("zip " + url() + " is closed; cannot set its comment");
  comment_ = std::move(comment);
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
  if (flush_behind_) flush_behind_->release();  // holds the temporary open
  file_.reset();                                // removes the temporary
}

void ZipStore::Writer::finish() {
  copy_kept_entries();
  std::lock_guard lock(mutex_);
  closed_ = true;  // from here on set() and erase() fail
  std::vector<EntryHeader> headers = metadata_headers();
  int64_t shift = place_metadata(headers);
  add_data_headers(headers, shift);
  write_directory(headers);
}

// The new file replaces the old zip, so what is kept of it is copied in before the layout.
void ZipStore::Writer::copy_kept_entries() {
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
}

// The metadata documents in RFC-9 order; metadata_block() gives them their offsets.
std::vector<EntryHeader> ZipStore::Writer::metadata_headers() const {
  std::vector<std::string> names;
  for (const auto& [key, value] : metadata_) names.push_back(key);
  std::sort(names.begin(), names.end(), metadata_before);
  std::vector<EntryHeader> headers;
  for (const auto& name : names) {
    const Bytes& value = metadata_.at(name);
    headers.push_back(entry_header(name, value.size(), crc32_of(value)));
  }
  return headers;
}

// The local headers and values of the metadata documents, as they start the file; `padding`
// bytes in the first header fill the space reserved for them.
Bytes ZipStore::Writer::metadata_block(std::vector<EntryHeader>& headers, size_t padding) const {
  Bytes block;
  for (size_t i = 0; i < headers.size(); ++i) {
    headers[i].padding = i == 0 ? padding : 0;
    headers[i].header_offset = block.size();
    Bytes header = local_header(headers[i], time_);
    block.insert(block.end(), header.begin(), header.end());
    const Bytes& value = metadata_.at(headers[i].name);
    block.insert(block.end(), value.begin(), value.end());
  }
  return block;
}

// Writes the metadata at the start of the file: into the reserved space when it fits there,
// else after moving the data once. Returns how far the data moved (bytes, maybe negative).
int64_t ZipStore::Writer::place_metadata(std::vector<EntryHeader>& headers) {
  Bytes block = metadata_block(headers, 0);
  const uint64_t reserve = options_.metadata_reserve;
  if (fits_in_reserve(block, headers.size())) {
    if (block.size() < reserve) block = metadata_block(headers, reserve - block.size());
    file_->write_at(block, 0);
    return 0;
  }
  move_data_after(block);
  int64_t shift = static_cast<int64_t>(block.size()) - static_cast<int64_t>(reserve);
  end_ = static_cast<uint64_t>(static_cast<int64_t>(end_) + shift);
  return shift;
}

// Whether the reserved space takes the metadata: the unused part becomes padding in the first
// local header's extra field (4 bytes at least, and under 64 KiB with a zip64 field beside it),
// worth keeping only when moving the data (at least compact_below bytes) would cost more.
bool ZipStore::Writer::fits_in_reserve(const Bytes& block, size_t documents) const {
  const uint64_t reserve = options_.metadata_reserve;
  if (documents == 0 || block.size() > reserve) return false;
  uint64_t gap = reserve - block.size();
  return gap == 0 || (gap >= 4 && gap + 20 <= kMax16 && end_ - reserve >= options_.compact_below);
}

// Too much metadata for the reserved space, none at all, or a small zip: a new file starts with
// the metadata and the data follows it, copied once.
void ZipStore::Writer::move_data_after(const Bytes& block) {
  const uint64_t reserve = options_.metadata_reserve;
  if (flush_behind_) flush_behind_->release();  // the first temporary goes: let it go
  auto moved = std::make_unique<TempFile>(path_);
  moved->write_at(block, 0);
  moved->copy_from(*file_, reserve, end_ - reserve, block.size());
  file_ = std::move(moved);  // the first temporary is removed
}

// The data entries of the central directory, in file order (after the metadata's).
void ZipStore::Writer::add_data_headers(std::vector<EntryHeader>& headers, int64_t shift) const {
  std::vector<std::pair<uint64_t, std::string>> order;
  for (const auto& [key, e] : data_) order.emplace_back(e.header_offset, key);
  std::sort(order.begin(), order.end());
  for (const auto& [offset, key] : order) {
    const DataEntry& e = data_.at(key);
    EntryHeader h = entry_header(key, e.size, e.crc);
    h.header_offset = static_cast<uint64_t>(static_cast<int64_t>(offset) + shift);
    headers.push_back(h);
  }
}

// Ends the file with the central directory and the end records, then renames it into place.
void ZipStore::Writer::write_directory(const std::vector<EntryHeader>& headers) {
  Bytes directory;
  for (const auto& h : headers) {
    Bytes c = central_header(h, time_);
    directory.insert(directory.end(), c.begin(), c.end());
  }
  const uint64_t cd_offset = end_;
  bool zip64 = options_.zip64_end_record || headers.size() >= kMax16 ||
               cd_offset >= options_.zip64_threshold ||
               directory.size() >= options_.zip64_threshold;
  Bytes tail = end_records(headers.size(), cd_offset, directory.size(), zip64, comment_);
  directory.insert(directory.end(), tail.begin(), tail.end());
  file_->write_at(directory, cd_offset);
  file_->truncate(cd_offset + directory.size());
  file_->commit(path_);
  file_.reset();
  if (flush_behind_) flush_behind_->release();
}

}  // namespace ngff
