// Reading a zip through its parent store (ZipStore::Reader).
#include <algorithm>

#include "ngff/error.hpp"
#include "store/key.hpp"
#include "store/zip_internal.hpp"

namespace ngff {

using namespace zip;

namespace {

constexpr uint64_t kMaxCommentLength = 0xFFFF;
constexpr uint16_t kFlagEncrypted = 0x0001;

std::string entry_text(const Entry& e) {
  return "entry '" + e.name + "'";
}

}  // namespace

ZipStore::Reader::Reader(StorePtr parent, std::string key)
    : parent_(std::move(parent)), key_(std::move(key)) {
  validate_key(key_);
  read_directory();
}

std::string ZipStore::Reader::url() const {
  return parent_->key_url(key_);
}

void ZipStore::Reader::fail(const std::string& what) const {
  throw StoreError("zip " + url() + ": " + what);
}

void ZipStore::Reader::read_directory() {
  uint64_t tail_offset = 0;
  Bytes tail = read_tail(tail_offset);
  size_t at = find_end_record(tail);
  Directory directory = read_end_records(tail, at, tail_offset);
  read_entries(directory);
  data_offsets_ = std::vector<std::atomic<uint64_t>>(entries_.size());
}

// The end of central directory record ends the file, followed only by its comment: the last
// 22 + 65535 bytes hold it, and one suffix read fetches them.
Bytes ZipStore::Reader::read_tail(uint64_t& tail_offset) {
  auto size = parent_->size(key_);
  if (!size) throw KeyNotFound("no such file: " + url());
  file_size_ = *size;
  if (file_size_ < kEocdSize)
    fail("not a zip file (" + std::to_string(file_size_) + " bytes, too short)");
  uint64_t tail_length = std::min<uint64_t>(file_size_, kEocdSize + kMaxCommentLength);
  auto tail = parent_->get_suffix(key_, tail_length);
  if (!tail || tail->size() != tail_length) fail("cannot read the end of the file");
  tail_offset = file_size_ - tail_length;
  return std::move(*tail);
}

// The last record signature whose comment fits the tail (a comment may itself contain one).
size_t ZipStore::Reader::find_end_record(ByteView t) const {
  for (size_t i = t.size() - kEocdSize + 1; i-- > 0;)
    if (read32(t, i) == kEocdSig && i + kEocdSize + read16(t, i + 20) <= t.size()) return i;
  fail("truncated or not a zip file: no end of central directory record in the last " +
       std::to_string(t.size()) + " bytes");
}

// Where the central directory is, from the classic record at `at` in the tail and, when a zip64
// locator precedes it, from the zip64 record (whose 64-bit fields replace the classic ones).
// Also keeps the archive comment.
ZipStore::Reader::Directory ZipStore::Reader::read_end_records(ByteView t, size_t at,
                                                               uint64_t tail_offset) {
  Directory d;
  d.entries = read16(t, at + 10);
  d.size = read32(t, at + 12);
  d.offset = read32(t, at + 16);
  d.end = tail_offset + at;
  comment_.assign(reinterpret_cast<const char*>(t.data() + at + kEocdSize), read16(t, at + 20));
  while (!comment_.empty() && comment_.back() == '\0') comment_.pop_back();  // RFC-9: NUL-ended
  if (at >= kZip64LocatorSize && read32(t, at - kZip64LocatorSize) == kZip64LocatorSig) {
    uint64_t record_offset = read64(t, at - kZip64LocatorSize + 8);
    auto record = parent_->get_range(key_, ByteRange{record_offset, kZip64EocdSize});
    if (record_offset + kZip64EocdSize > d.end || !record || record->size() != kZip64EocdSize ||
        read32(*record, 0) != kZip64EocdSig)
      fail("bad zip64 end of central directory record (at offset " + std::to_string(record_offset) +
           ")");
    d.entries = read64(*record, 32);
    d.size = read64(*record, 40);
    d.offset = read64(*record, 48);
    d.end = record_offset;
  }
  if (d.offset > d.end || d.size > d.end - d.offset)
    fail("truncated: the central directory (offset " + std::to_string(d.offset) + ", " +
         std::to_string(d.size) + " bytes) lies past the end of the file (" +
         std::to_string(file_size_) + " bytes)");
  return d;
}

// Reads the central directory in one range read and indexes its entries (directory entries
// skipped; a name written twice: the last one wins, as in zipfile).
void ZipStore::Reader::read_entries(const Directory& directory) {
  directory_offset_ = directory.offset;
  auto cd = parent_->get_range(key_, ByteRange{directory.offset, directory.size});
  if (!cd || cd->size() != directory.size) fail("cannot read the central directory");
  ByteView d(*cd);
  size_t pos = 0;
  for (uint64_t n = 0; n < directory.entries; ++n) {
    Entry e;
    pos += parse_central_header(d, pos, n, e);
    if (!e.name.empty() && e.name.back() == '/') continue;  // a directory entry
    check_entry(e);
    index_[e.name] = entries_.size();
    entries_.push_back(std::move(e));
  }
}

// One central directory header (#n, at `pos`) into `e`; returns its length.
size_t ZipStore::Reader::parse_central_header(ByteView d, size_t pos, uint64_t n, Entry& e) const {
  if (pos + kCentralHeaderSize > d.size() || read32(d, pos) != kCentralHeaderSig)
    fail("bad central directory header #" + std::to_string(n) + " (at offset " +
         std::to_string(directory_offset_ + pos) + ")");
  e.flags = read16(d, pos + 8);
  e.method = read16(d, pos + 10);
  e.crc = read32(d, pos + 16);
  e.compressed_size = read32(d, pos + 20);
  e.size = read32(d, pos + 24);
  size_t name_length = read16(d, pos + 28), extra_length = read16(d, pos + 30);
  size_t comment_length = read16(d, pos + 32);
  e.header_offset = read32(d, pos + 42);
  size_t record = kCentralHeaderSize + name_length + extra_length + comment_length;
  if (pos + record > d.size())
    fail("central directory header #" + std::to_string(n) + " runs past the directory");
  e.name.assign(reinterpret_cast<const char*>(d.data() + pos + kCentralHeaderSize), name_length);
  e.central_extra_length = static_cast<uint16_t>(extra_length);
  read_zip64_extra(d.subspan(pos + kCentralHeaderSize + name_length, extra_length), e);
  return record;
}

// zip64 extended information: only the fields that are 0xFFFFFFFF, in this order.
void ZipStore::Reader::read_zip64_extra(ByteView extra, Entry& e) const {
  for (size_t x = 0; x + 4 <= extra.size();) {
    uint16_t id = read16(extra, x), length = read16(extra, x + 2);
    if (x + 4 + length > extra.size()) break;
    if (id == kZip64ExtraId) {
      size_t f = x + 4, end = f + length;
      auto take = [&](uint64_t& field) {
        if (field != kMax32) return;
        if (f + 8 > end) fail(entry_text(e) + ": zip64 extra field too short");
        field = read64(extra, f);
        f += 8;
      };
      take(e.size);
      take(e.compressed_size);
      take(e.header_offset);
    }
    x += 4 + length;
  }
}

// Refuses what must not be read: hostile names (they become store keys), encryption, and data
// that would overlap the central directory.
void ZipStore::Reader::check_entry(const Entry& e) const {
  try {
    validate_key(e.name);
  } catch (const InvalidKey& bad) {
    fail(entry_text(e) + " has a name that is not allowed (" + bad.what() + ")");
  }
  if (e.name.empty()) fail("an entry has an empty name");
  if (e.flags & kFlagEncrypted) fail(entry_text(e) + " is encrypted (not supported)");
  if (e.header_offset > directory_offset_ ||
      e.compressed_size > directory_offset_ - e.header_offset)
    fail(entry_text(e) + " (offset " + std::to_string(e.header_offset) + ", " +
         std::to_string(e.compressed_size) + " bytes) extends past the entry data (" +
         std::to_string(directory_offset_) + " bytes)");
}

const Entry* ZipStore::Reader::find(std::string_view key) const {
  validate_key(key);
  auto it = index_.find(key);
  return it == index_.end() ? nullptr : &entries_[it->second];
}

uint64_t ZipStore::Reader::parse_local_header(size_t i, ByteView header) const {
  const Entry& e = entries_[i];
  if (header.size() < kLocalHeaderSize || read32(header, 0) != kLocalHeaderSig)
    fail("bad local header of " + entry_text(e) + " at offset " + std::to_string(e.header_offset));
  uint64_t offset = e.header_offset + kLocalHeaderSize + read16(header, 26) + read16(header, 28);
  if (offset > directory_offset_ || e.compressed_size > directory_offset_ - offset)
    fail(entry_text(e) + ": data (" + std::to_string(e.compressed_size) + " bytes at offset " +
         std::to_string(offset) + ") runs past the end of the entries");
  data_offsets_[i].store(offset, std::memory_order_relaxed);
  return offset;
}

uint64_t ZipStore::Reader::data_offset(size_t i) const {
  if (uint64_t known = data_offsets_[i].load(std::memory_order_relaxed)) return known;
  auto header = parent_->get_range(key_, ByteRange{entries_[i].header_offset, kLocalHeaderSize});
  return parse_local_header(i, header ? ByteView(*header) : ByteView());
}

Bytes ZipStore::Reader::read_entry(size_t i) const {
  const Entry& e = entries_[i];
  if (e.method != kMethodStored && e.method != kMethodDeflate)
    fail(entry_text(e) + " uses compression method " + std::to_string(e.method) +
         " (only stored and deflate are supported)");
  Bytes data;
  if (uint64_t known = data_offsets_[i].load(std::memory_order_relaxed)) {
    auto got = parent_->get_range(key_, ByteRange{known, e.compressed_size});
    if (got) data = std::move(*got);
  } else {
    // One read for the header and the data, guessing that the local extra field is as long as
    // the central one (it usually is); a second read when it is not.
    uint64_t guess = kLocalHeaderSize + e.name.size() + e.central_extra_length;
    auto got = parent_->get_range(key_, ByteRange{e.header_offset, guess + e.compressed_size});
    if (!got) fail("cannot read " + entry_text(e));
    uint64_t offset = parse_local_header(i, *got);
    uint64_t skip = offset - e.header_offset;
    if (skip + e.compressed_size <= got->size()) {
      data.assign(got->begin() + static_cast<ptrdiff_t>(skip),
                  got->begin() + static_cast<ptrdiff_t>(skip + e.compressed_size));
    } else {
      auto again = parent_->get_range(key_, ByteRange{offset, e.compressed_size});
      if (again) data = std::move(*again);
    }
  }
  if (data.size() != e.compressed_size)
    fail(entry_text(e) + ": data runs past the end of the file (truncated)");
  if (e.method == kMethodDeflate)
    data = inflate_raw(data, e.size, "zip " + url() + " " + entry_text(e));
  if (data.size() != e.size) fail(entry_text(e) + ": stored size does not match its data");
  if (crc32_of(data) != e.crc) fail(entry_text(e) + ": CRC-32 mismatch (corrupt data)");
  return data;
}

std::optional<Bytes> ZipStore::Reader::get(std::string_view key) const {
  const Entry* e = find(key);
  if (!e) return std::nullopt;
  return read_entry(static_cast<size_t>(e - entries_.data()));
}

std::optional<Bytes> ZipStore::Reader::get_range(std::string_view key, ByteRange range) const {
  auto parts = get_ranges(key, {range});
  if (!parts) return std::nullopt;
  return std::move(parts->front());
}

std::optional<std::vector<Bytes>> ZipStore::Reader::get_ranges(
    std::string_view key, const std::vector<ByteRange>& ranges) const {
  const Entry* e = find(key);
  if (!e) return std::nullopt;
  size_t i = static_cast<size_t>(e - entries_.data());
  auto clamp = [&](ByteRange r) {
    uint64_t begin = std::min(r.offset, e->size);
    return ByteRange{begin, std::min(r.length, e->size - begin)};
  };
  std::vector<Bytes> out;
  if (e->method != kMethodStored) {  // deflated: inflate once, then cut
    Bytes whole = read_entry(i);
    for (const auto& r : ranges) {
      ByteRange c = clamp(r);
      out.emplace_back(whole.begin() + static_cast<ptrdiff_t>(c.offset),
                       whole.begin() + static_cast<ptrdiff_t>(c.offset + c.length));
    }
    return out;
  }
  uint64_t base = data_offset(i);
  std::vector<ByteRange> shifted;
  for (const auto& r : ranges) {
    ByteRange c = clamp(r);
    shifted.push_back({base + c.offset, c.length});
  }
  auto parts = parent_->get_ranges(key_, shifted);
  if (!parts) fail("the zip file disappeared while reading " + entry_text(*e));
  for (size_t k = 0; k < parts->size(); ++k)
    if ((*parts)[k].size() != shifted[k].length)
      fail(entry_text(*e) + ": data runs past the end of the file (truncated)");
  return parts;
}

std::vector<std::string> ZipStore::Reader::list(std::string_view prefix) const {
  validate_key(prefix);
  std::string base = prefix.empty() ? std::string() : std::string(prefix) + "/";
  std::vector<std::string> out;
  for (auto it = index_.lower_bound(base); it != index_.end(); ++it) {
    if (it->first.compare(0, base.size(), base) != 0) break;
    out.push_back(it->first);
  }
  return out;
}

}  // namespace ngff
