// The two halves of ZipStore: Reader (a zip read through a parent store) and Writer (a new zip
// on a local path). Internal to the store layer.
#pragma once

#include <atomic>
#include <filesystem>
#include <map>
#include <mutex>

#include "ngff/store/zip_store.hpp"
#include "store/flush_behind.hpp"
#include "store/posix_file.hpp"
#include "store/zip_format.hpp"

namespace ngff {

class ZipStore::Reader {
 public:
  Reader(StorePtr parent, std::string key);

  std::optional<Bytes> get(std::string_view key) const;
  std::optional<Bytes> get_range(std::string_view key, ByteRange range) const;
  std::optional<std::vector<Bytes>> get_ranges(std::string_view key,
                                               const std::vector<ByteRange>& ranges) const;
  const zip::Entry* find(std::string_view key) const;
  std::vector<std::string> list(std::string_view prefix) const;
  std::string url() const;
  const std::string& comment() const { return comment_; }
  const std::vector<zip::Entry>& entries() const { return entries_; }

 private:
  // Where the end records place the central directory.
  struct Directory {
    uint64_t entries = 0;
    uint64_t size = 0;
    uint64_t offset = 0;
    uint64_t end = 0;  // where the end records start: the directory ends at or before it
  };
  // The constructor's work, step by step.
  void read_directory();
  Bytes read_tail(uint64_t& tail_offset);
  size_t find_end_record(ByteView tail) const;
  Directory read_end_records(ByteView tail, size_t at, uint64_t tail_offset);
  void read_entries(const Directory& directory);
  size_t parse_central_header(ByteView directory, size_t pos, uint64_t n, zip::Entry& e) const;
  void read_zip64_extra(ByteView extra, zip::Entry& e) const;
  void check_entry(const zip::Entry& e) const;
  // Where the data of entry `i` starts (reads its local header once, then remembers).
  uint64_t data_offset(size_t i) const;
  uint64_t parse_local_header(size_t i, ByteView header) const;
  Bytes read_entry(size_t i) const;
  [[noreturn]] void fail(const std::string& what) const;

  StorePtr parent_;
  std::string key_;
  uint64_t file_size_ = 0;
  uint64_t directory_offset_ = 0;
  std::string comment_;
  std::vector<zip::Entry> entries_;
  std::map<std::string, size_t, std::less<>> index_;
  mutable std::vector<std::atomic<uint64_t>> data_offsets_;  // 0: not read yet
};

class ZipStore::Writer {
 public:
  Writer(const std::filesystem::path& path, ZipWriteOptions options);
  ~Writer();

  std::optional<Bytes> get(std::string_view key) const;
  std::optional<Bytes> get_range(std::string_view key, ByteRange range) const;
  void set(std::string_view key, ByteView value);
  void erase(std::string_view key);
  std::optional<uint64_t> size(std::string_view key) const;
  std::vector<std::string> list(std::string_view prefix) const;
  std::string url() const;
  void set_comment(std::string comment);
  void close();
  bool closed() const;

 private:
  struct DataEntry {
    uint64_t header_offset = 0;
    uint64_t data_offset = 0;
    uint64_t size = 0;
    uint32_t crc = 0;
    bool from_base = false;  // still in the zip this writer replaces
  };
  void check_open(std::string_view key) const;
  void load_base();
  DataEntry append(const std::string& key, ByteView value);
  Bytes read_data(const DataEntry& e, uint64_t offset, uint64_t length) const;
  zip::EntryHeader entry_header(const std::string& name, uint64_t size, uint32_t crc) const;

  // close(), step by step; all but the first run under mutex_.
  void finish();
  void copy_kept_entries();
  std::vector<zip::EntryHeader> metadata_headers() const;
  Bytes metadata_block(std::vector<zip::EntryHeader>& headers, size_t padding) const;
  int64_t place_metadata(std::vector<zip::EntryHeader>& headers);
  bool fits_in_reserve(const Bytes& block, size_t documents) const;
  void move_data_after(const Bytes& block);
  void add_data_headers(std::vector<zip::EntryHeader>& headers, int64_t shift) const;
  void write_directory(const std::vector<zip::EntryHeader>& headers);
  void discard();

  std::filesystem::path path_;
  ZipWriteOptions options_;
  zip::DosTime time_;
  std::unique_ptr<TempFile> file_;  // the new zip until close() renames it to path_
  std::unique_ptr<ZipStore::Reader> base_;
  mutable std::mutex mutex_;
  bool closed_ = false;
  uint64_t end_ = 0;  // where the next appended entry goes
  // Entries up to here were handed to flush_behind_ (null where the file system does not suit
  // it): a large zip leaves the page cache as it grows, as FileStore's files do.
  uint64_t flushed_to_ = 0;
  std::unique_ptr<FlushBehind> flush_behind_;
  std::string comment_;
  std::map<std::string, Bytes, std::less<>> metadata_;
  std::map<std::string, DataEntry, std::less<>> data_;
};

}  // namespace ngff
