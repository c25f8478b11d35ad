// The two halves of ZipStore: Reader (a zip read through a parent store) and Writer (a new zip
// on a local path). Internal to the store layer.
#pragma once

#include <atomic>
#include <filesystem>
#include <map>
#include <mutex>

#include "ngff/store/zip_store.hpp"
#include "zip_format.hpp"

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
  void read_directory();
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
  Writer(std::filesystem::path path, ZipWriteOptions options);
  ~Writer();

  std::optional<Bytes> get(std::string_view key) const;
  std::optional<Bytes> get_range(std::string_view key, ByteRange range) const;
  void set(std::string_view key, ByteView value);
  void erase(std::string_view key);
  std::optional<uint64_t> size(std::string_view key) const;
  std::vector<std::string> list(std::string_view prefix) const;
  std::string url() const;
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
  void finish();
  void discard();

  std::filesystem::path path_, temp_;
  ZipWriteOptions options_;
  zip::DosTime time_;
  int fd_ = -1;
  std::unique_ptr<ZipStore::Reader> base_;
  mutable std::mutex mutex_;
  bool closed_ = false;
  uint64_t end_ = 0;  // where the next appended entry goes
  std::map<std::string, Bytes, std::less<>> metadata_;
  std::map<std::string, DataEntry, std::less<>> data_;
};

}  // namespace ngff
