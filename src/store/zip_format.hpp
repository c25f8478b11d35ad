// The ZIP file format (PKWARE APPNOTE 6.3.x), as much as ZipStore needs: local file headers,
// central directory headers, the end of central directory record and its zip64 forms. Internal
// to the store layer.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "ngff/store/bytes.hpp"

namespace ngff::zip {

constexpr uint32_t kLocalHeaderSig = 0x04034b50;
constexpr uint32_t kCentralHeaderSig = 0x02014b50;
constexpr uint32_t kEocdSig = 0x06054b50;
constexpr uint32_t kZip64EocdSig = 0x06064b50;
constexpr uint32_t kZip64LocatorSig = 0x07064b50;
constexpr uint16_t kZip64ExtraId = 0x0001;
constexpr uint16_t kPaddingExtraId = 0xD935;  // alignment padding (as Android's zipalign)
constexpr size_t kLocalHeaderSize = 30;
constexpr size_t kCentralHeaderSize = 46;
constexpr size_t kEocdSize = 22;
constexpr size_t kZip64EocdSize = 56;
constexpr size_t kZip64LocatorSize = 20;
constexpr uint16_t kMethodStored = 0;
constexpr uint16_t kMethodDeflate = 8;
constexpr uint16_t kFlagUtf8 = 0x0800;
constexpr uint32_t kMax32 = 0xFFFFFFFF;
constexpr uint16_t kMax16 = 0xFFFF;

// One entry of the central directory.
struct Entry {
  std::string name;
  uint16_t flags = 0;
  uint16_t method = kMethodStored;
  uint32_t crc = 0;
  uint64_t compressed_size = 0;
  uint64_t size = 0;
  uint64_t header_offset = 0;  // of the local file header
  uint16_t central_extra_length = 0;
};

// Little-endian reads from a byte view; the caller checks bounds.
uint16_t read16(ByteView b, size_t at);
uint32_t read32(ByteView b, size_t at);
uint64_t read64(ByteView b, size_t at);

// Appends little-endian values.
void put16(Bytes& out, uint16_t v);
void put32(Bytes& out, uint32_t v);
void put64(Bytes& out, uint64_t v);
void put_string(Bytes& out, std::string_view s);

// CRC-32 (the ZIP polynomial, zlib's crc32).
uint32_t crc32_of(ByteView data);

// What the writer needs to know to write the headers of one stored entry.
struct EntryHeader {
  std::string name;
  uint64_t size = 0;
  uint32_t crc = 0;
  uint64_t header_offset = 0;
  // Sizes/offsets at or above this get zip64 fields (0xFFFFFFFF normally; lower in tests).
  uint64_t zip64_threshold = kMax32;
  // Zero bytes of padding in the local header's extra field (0 or at least 4).
  size_t padding = 0;
};

// A DOS date and time for the headers (the time the writer was opened).
struct DosTime {
  uint16_t time = 0;
  uint16_t date = (1 << 5) | 1;  // 1980-01-01
  static DosTime now();
};

Bytes local_header(const EntryHeader& h, DosTime t);
Bytes central_header(const EntryHeader& h, DosTime t);

// The end of the archive: the zip64 end of central directory record and locator (when `zip64`),
// then the classic record with `comment`.
Bytes end_records(uint64_t entries, uint64_t cd_offset, uint64_t cd_size, bool zip64,
                  std::string_view comment);

// Inflates raw deflate data (method 8) to exactly `size` bytes; throws StoreError naming `what`.
Bytes inflate_raw(ByteView compressed, uint64_t size, const std::string& what);

}  // namespace ngff::zip
