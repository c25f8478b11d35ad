// CachingStore: an adapter that keeps small values of a (remote) store in memory. It holds
// metadata documents (zarr.json, .zarray, .zattrs, .zgroup, .zmetadata), including the fact that
// one is missing, and range or suffix reads up to `max_range_bytes` (shard indexes), in an LRU
// bounded in bytes. Thread-safe. Writes and erasures through it invalidate what it holds for the
// keys concerned; changes made by others behind its back are seen once evicted (it is meant for
// one reading or writing session, as open_store gives it to remote stores).
#pragma once

#include <list>
#include <map>
#include <mutex>

#include "ngff/store/store.hpp"

namespace ngff {

struct CacheOptions {
  uint64_t max_bytes = uint64_t{16} << 20;        // all entries together
  uint64_t max_range_bytes = uint64_t{64} << 10;  // larger ranges pass through uncached
};

class CachingStore final : public Store {
 public:
  explicit CachingStore(StorePtr inner, CacheOptions options = {});

  std::optional<Bytes> get(std::string_view key) const override;
  std::optional<Bytes> get_range(std::string_view key, ByteRange range) const override;
  std::optional<Bytes> get_suffix(std::string_view key, uint64_t length) const override;
  std::optional<std::vector<Bytes>> get_ranges(std::string_view key,
                                               const std::vector<ByteRange>& ranges) const override;
  std::vector<std::optional<Bytes>> get_many(const std::vector<std::string>& keys) const override;
  void set(std::string_view key, ByteView value) override;
  void erase(std::string_view key) override;
  void erase_prefix(std::string_view prefix) override;
  bool exists(std::string_view key) const override;
  std::optional<uint64_t> size(std::string_view key) const override;
  std::vector<std::string> list(std::string_view prefix) const override;
  std::vector<std::string> list_dir(std::string_view prefix) const override;
  bool is_writable() const override { return inner_->is_writable(); }
  bool is_listable() const override { return inner_->is_listable(); }
  std::string url() const override { return inner_->url(); }

  const StorePtr& inner() const { return inner_; }

  // What the cache holds now, and how often it answered (for tests and diagnostics).
  struct Stats {
    uint64_t bytes = 0;
    size_t entries = 0;
    uint64_t hits = 0;
    uint64_t misses = 0;
  };
  Stats stats() const;

 private:
  struct Entry {
    std::string id;  // key, '\0', what was read ("" whole value, "r:O:L", "s:L")
    std::optional<Bytes> value;
  };
  using Lru = std::list<Entry>;

  std::optional<std::optional<Bytes>> lookup(const std::string& id) const;
  void insert(std::string id, const std::optional<Bytes>& value) const;
  void invalidate(std::string_view key, bool with_children) const;
  static uint64_t cost(const Entry& e);

  StorePtr inner_;
  CacheOptions options_;
  mutable std::mutex mutex_;
  mutable Lru lru_;  // most recent first
  mutable std::map<std::string, Lru::iterator, std::less<>> index_;
  mutable uint64_t bytes_ = 0;
  mutable uint64_t hits_ = 0, misses_ = 0;
};

}  // namespace ngff
