#include "store/zip_format.hpp"

#include <zlib.h>

#include <ctime>

#include "ngff/error.hpp"

namespace ngff::zip {

uint16_t read16(ByteView b, size_t at) {
  return static_cast<uint16_t>(std::to_integer<uint16_t>(b[at]) |
                               (std::to_integer<uint16_t>(b[at + 1]) << 8));
}
uint32_t read32(ByteView b, size_t at) {
  return static_cast<uint32_t>(read16(b, at)) | (static_cast<uint32_t>(read16(b, at + 2)) << 16);
}
uint64_t read64(ByteView b, size_t at) {
  return static_cast<uint64_t>(read32(b, at)) | (static_cast<uint64_t>(read32(b, at + 4)) << 32);
}

void put16(Bytes& out, uint16_t v) {
  out.push_back(static_cast<std::byte>(v & 0xFF));
  out.push_back(static_cast<std::byte>(v >> 8));
}
void put32(Bytes& out, uint32_t v) {
  put16(out, static_cast<uint16_t>(v & 0xFFFF));
  put16(out, static_cast<uint16_t>(v >> 16));
}
void put64(Bytes& out, uint64_t v) {
  put32(out, static_cast<uint32_t>(v & 0xFFFFFFFF));
  put32(out, static_cast<uint32_t>(v >> 32));
}
void put_string(Bytes& out, std::string_view s) {
  auto b = as_bytes(s);
  out.insert(out.end(), b.begin(), b.end());
}

uint32_t crc32_of(ByteView data) {
  uLong crc = ::crc32(0L, Z_NULL, 0);
  const std::byte* p = data.data();
  size_t left = data.size();
  while (left > 0) {  // zlib takes uInt lengths
    uInt n = static_cast<uInt>(std::min<size_t>(left, 1u << 30));
    crc = ::crc32(crc, reinterpret_cast<const Bytef*>(p), n);
    p += n;
    left -= n;
  }
  return static_cast<uint32_t>(crc);
}

DosTime DosTime::now() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  if (!::localtime_r(&t, &tm) || tm.tm_year < 80) return {};
  DosTime d;
  d.time = static_cast<uint16_t>((tm.tm_hour << 11) | (tm.tm_min << 5) | (tm.tm_sec / 2));
  d.date = static_cast<uint16_t>(((tm.tm_year - 80) << 9) | ((tm.tm_mon + 1) << 5) | tm.tm_mday);
  return d;
}

namespace {

constexpr uint16_t kVersionDefault = 20;
constexpr uint16_t kVersionZip64 = 45;
constexpr uint16_t kMadeByUnix = (3 << 8) | kVersionZip64;
constexpr uint32_t kRegularFile0644 = 0100644u << 16;

uint32_t field32(uint64_t v, bool zip64) {
  return zip64 ? kMax32 : static_cast<uint32_t>(v);
}

// The fixed part both headers share from "version needed" to the sizes.
void put_common(Bytes& out, uint16_t version, const EntryHeader& h, DosTime t, bool zip64_sizes) {
  put16(out, version);
  put16(out, kFlagUtf8);
  put16(out, kMethodStored);
  put16(out, t.time);
  put16(out, t.date);
  put32(out, h.crc);
  put32(out, field32(h.size, zip64_sizes));
  put32(out, field32(h.size, zip64_sizes));
}

}  // namespace

Bytes local_header(const EntryHeader& h, DosTime t) {
  bool zip64 = h.size >= h.zip64_threshold;
  Bytes extra;
  if (zip64) {  // the local zip64 field carries both sizes
    put16(extra, kZip64ExtraId);
    put16(extra, 16);
    put64(extra, h.size);
    put64(extra, h.size);
  }
  if (h.padding) {
    if (h.padding < 4) throw StoreError("internal: zip padding below 4 bytes");
    put16(extra, kPaddingExtraId);
    put16(extra, static_cast<uint16_t>(h.padding - 4));
    extra.resize(extra.size() + h.padding - 4);
  }
  if (extra.size() > kMax16) throw StoreError("internal: zip extra field too long");
  Bytes out;
  out.reserve(kLocalHeaderSize + h.name.size() + extra.size());
  put32(out, kLocalHeaderSig);
  put_common(out, zip64 ? kVersionZip64 : kVersionDefault, h, t, zip64);
  put16(out, static_cast<uint16_t>(h.name.size()));
  put16(out, static_cast<uint16_t>(extra.size()));
  put_string(out, h.name);
  out.insert(out.end(), extra.begin(), extra.end());
  return out;
}

Bytes central_header(const EntryHeader& h, DosTime t) {
  bool zip64_sizes = h.size >= h.zip64_threshold;
  bool zip64_offset = h.header_offset >= h.zip64_threshold;
  Bytes extra;
  if (zip64_sizes || zip64_offset) {
    put16(extra, kZip64ExtraId);
    put16(extra, static_cast<uint16_t>((zip64_sizes ? 16 : 0) + (zip64_offset ? 8 : 0)));
    if (zip64_sizes) {
      put64(extra, h.size);  // uncompressed, then compressed, as APPNOTE 4.5.3 orders them
      put64(extra, h.size);
    }
    if (zip64_offset) put64(extra, h.header_offset);
  }
  bool zip64 = !extra.empty();
  Bytes out;
  out.reserve(kCentralHeaderSize + h.name.size() + extra.size());
  put32(out, kCentralHeaderSig);
  put16(out, kMadeByUnix);
  put_common(out, zip64 ? kVersionZip64 : kVersionDefault, h, t, zip64_sizes);
  put16(out, static_cast<uint16_t>(h.name.size()));
  put16(out, static_cast<uint16_t>(extra.size()));
  put16(out, 0);  // comment length
  put16(out, 0);  // disk number start
  put16(out, 0);  // internal attributes
  put32(out, kRegularFile0644);
  put32(out, field32(h.header_offset, zip64_offset));
  put_string(out, h.name);
  out.insert(out.end(), extra.begin(), extra.end());
  return out;
}

Bytes end_records(uint64_t entries, uint64_t cd_offset, uint64_t cd_size, bool zip64,
                  std::string_view comment) {
  Bytes out;
  if (zip64) {
    uint64_t record_offset = cd_offset + cd_size;
    put32(out, kZip64EocdSig);
    put64(out, kZip64EocdSize - 12);  // size of the rest of the record
    put16(out, kMadeByUnix);
    put16(out, kVersionZip64);
    put32(out, 0);  // this disk
    put32(out, 0);  // disk of the central directory
    put64(out, entries);
    put64(out, entries);
    put64(out, cd_size);
    put64(out, cd_offset);
    put32(out, kZip64LocatorSig);
    put32(out, 0);
    put64(out, record_offset);
    put32(out, 1);  // total disks
  }
  bool many = zip64 || entries >= kMax16;
  put32(out, kEocdSig);
  put16(out, 0);
  put16(out, 0);
  put16(out, many ? kMax16 : static_cast<uint16_t>(entries));
  put16(out, many ? kMax16 : static_cast<uint16_t>(entries));
  put32(out, zip64 ? kMax32 : static_cast<uint32_t>(cd_size));
  put32(out, zip64 ? kMax32 : static_cast<uint32_t>(cd_offset));
  put16(out, static_cast<uint16_t>(comment.size()));
  put_string(out, comment);
  return out;
}

Bytes inflate_raw(ByteView compressed, uint64_t size, const std::string& what) {
  // Deflate expands at most 1032:1 (RFC 1951's longest match per bit), so a larger recorded size
  // is a lie: refuse it before allocating it (a few hundred bytes could claim gigabytes).
  constexpr uint64_t kMaxDeflateRatio = 1032;
  if (size > (compressed.size() + 1) * kMaxDeflateRatio)
    throw StoreError(what + ": records " + std::to_string(size) + " bytes inflated from " +
                     std::to_string(compressed.size()) +
                     " compressed, more than deflate can expand (corrupt size)");
  Bytes out(size);
  z_stream zs{};
  if (inflateInit2(&zs, -MAX_WBITS) != Z_OK) throw StoreError("cannot initialise zlib");
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<std::byte*>(compressed.data()));
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  size_t in_left = compressed.size(), out_left = out.size();
  int rc = Z_OK;
  while (rc == Z_OK) {
    uInt in_now = static_cast<uInt>(std::min<size_t>(in_left, 1u << 30));
    uInt out_now = static_cast<uInt>(std::min<size_t>(out_left, 1u << 30));
    zs.avail_in = in_now;
    zs.avail_out = out_now;
    rc = ::inflate(&zs, Z_NO_FLUSH);
    in_left -= in_now - zs.avail_in;
    out_left -= out_now - zs.avail_out;
    if (rc == Z_OK && zs.avail_in == in_now && zs.avail_out == out_now) rc = Z_BUF_ERROR;
  }
  inflateEnd(&zs);
  if (rc != Z_STREAM_END || out_left != 0)
    throw StoreError(what + ": deflate data is corrupt (expected " + std::to_string(size) +
                     " bytes after inflating)");
  return out;
}

}  // namespace ngff::zip
