// ZipStore: a Zarr hierarchy inside one ZIP file, as zipped OME-Zarr (`.ozx`, NGFF RFC-9) and
// zarr-python's ZipStore use it.
//
// Reading is an adapter over a byte source: ZipStore(parent, key) reads the zip held at `key`
// of any store only through parent->size / get_range / get_suffix / get_ranges, so a zip on
// disk, in memory or behind HTTP range requests reads the same way. The end of central directory
// (and its zip64 record), then the central directory are read once; each value is then one
// range read of its local header and data (two when the local extra field is unexpectedly long).
// Stored (method 0) and deflated (method 8) entries are read; entry names are validated as keys
// (`..`, absolute names are refused, naming the entry).
//
// Writing builds a new zip on a local path (ZipStore::create). Values are appended to a
// temporary file next to the target as set() is called (chunk-parallel writers share it: space
// is reserved under a mutex, the bytes written outside it). Metadata documents (zarr.json,
// .zarray, .zgroup, .zattrs, .zmetadata) are held in memory and written at close() at the start
// of the file, root zarr.json first and the others breadth-first (RFC-9's recommended layout),
// into space reserved for them (or, when they outgrow it or the zip is small, by moving the data
// once). A value set twice is appended twice; the last version is the one the central directory
// names (the first stays as dead bytes). erase() drops a key from the directory. close() writes
// the central directory (zip64 records when needed) and the archive comment the caller set, and
// renames the file into place, so a killed writer leaves no torn zip. The destructor closes on a
// best-effort basis (call close() to see errors), except while an exception unwinds the stack:
// then the new zip is discarded, and a zip that was there before stays as it was, so a failed
// command never leaves a half-done zip. Opening an existing zip for writing keeps its entries
// (readable, and copied into the new file at close unless replaced or erased).
//
// The store knows nothing of OME: RFC-9's archive comment ({"ome": {"version": ...}}) is chosen
// by the OME layer (ngff/ome/finish_store.hpp), which sets it before closing.
#pragma once

#include <filesystem>
#include <memory>

#include "ngff/store/store.hpp"

namespace ngff {

struct ZipWriteOptions {
  // Entry sizes and offsets at or above this get zip64 fields. 0xFFFFFFFF is what the format
  // needs; tests lower it to exercise the zip64 paths without writing 4 GiB.
  uint64_t zip64_threshold = 0xFFFFFFFF;
  // Always end with a zip64 end of central directory record (RFC-9 recommends ZIP64).
  bool zip64_end_record = true;
  // Bytes kept free at the start of the file for the metadata documents (what they do not use
  // is padding inside the first entry's local header).
  uint64_t metadata_reserve = 64 * 1024;
  // Below this much data the zip is compacted instead (the data moved once, no padding).
  uint64_t compact_below = 64ull << 20;
};

class ZipStore final : public Store {
 public:
  // A read-only view of the zip held at `key` of `parent`. Throws KeyNotFound when it is
  // missing, StoreError when it is not a readable zip (naming the zip and what is wrong).
  ZipStore(StorePtr parent, std::string key);
  // A new zip written at `path` (entries of an existing zip there are kept).
  static std::shared_ptr<ZipStore> create(const std::filesystem::path& path,
                                          ZipWriteOptions options = {});
  ~ZipStore() override;

  std::optional<Bytes> get(std::string_view key) const override;
  std::optional<Bytes> get_range(std::string_view key, ByteRange range) const override;
  std::optional<std::vector<Bytes>> get_ranges(std::string_view key,
                                               const std::vector<ByteRange>& ranges) const override;
  void set(std::string_view key, ByteView value) override;
  void erase(std::string_view key) override;
  bool exists(std::string_view key) const override;
  std::optional<uint64_t> size(std::string_view key) const override;
  std::vector<std::string> list(std::string_view prefix) const override;
  bool is_writable() const override;
  std::string url() const override;
  // Writing: writes the central directory and renames the zip into place; later writes fail.
  // Reading: nothing. Idempotent.
  void close() override;

  // The archive comment of a zip opened for reading, without trailing NULs (RFC-9 ends its
  // {"ome": {"version": "0.5"}} with one); "" for a zip being written.
  std::string comment() const;
  // Writing: the archive comment close() writes, as given (at most 65535 bytes; UsageError
  // beyond). Reading, or after close(): StoreError.
  void set_comment(std::string comment);

  class Reader;
  class Writer;

 private:
  ZipStore() = default;
  std::unique_ptr<Reader> reader_;
  std::unique_ptr<Writer> writer_;
};

}  // namespace ngff
