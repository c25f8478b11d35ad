// A memory store that counts the reads reaching it, for tests that check how many requests and
// bytes a reader costs (partial shard reads, caching).
#pragma once

#include <atomic>

#include "ngff/store/memory_store.hpp"

namespace ngff::test {

class CountingStore final : public Store {
 public:
  std::optional<Bytes> get(std::string_view key) const override {
    ++whole_gets;
    return inner.get(key);
  }
  std::optional<Bytes> get_range(std::string_view key, ByteRange range) const override {
    ++range_gets;
    auto v = inner.get_range(key, range);
    if (v) bytes_read += v->size();
    return v;
  }
  std::optional<uint64_t> size(std::string_view key) const override { return inner.size(key); }
  void set(std::string_view key, ByteView value) override { inner.set(key, value); }
  void erase(std::string_view key) override { inner.erase(key); }
  std::vector<std::string> list(std::string_view prefix) const override {
    return inner.list(prefix);
  }
  std::string url() const override { return "memory://counting"; }

  // Whole-value and range reads together.
  int gets() const { return whole_gets + range_gets; }
  void reset() const {
    whole_gets = 0;
    range_gets = 0;
    bytes_read = 0;
  }

  MemoryStore inner;
  mutable std::atomic<int> whole_gets{0}, range_gets{0};
  mutable std::atomic<uint64_t> bytes_read{0};
};

}  // namespace ngff::test
