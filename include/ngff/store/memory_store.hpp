// MemoryStore: keys in a map, guarded by a mutex so that chunk-parallel writers can share it.
#pragma once

#include <map>
#include <mutex>

#include "ngff/store/store.hpp"

namespace ngff {

class MemoryStore final : public Store {
 public:
  explicit MemoryStore(std::string name = "memory://");

  std::optional<Bytes> get(std::string_view key) const override;
  std::optional<Bytes> get_range(std::string_view key, ByteRange range) const override;
  void set(std::string_view key, ByteView value) override;
  void erase(std::string_view key) override;
  bool exists(std::string_view key) const override;
  std::vector<std::string> list(std::string_view prefix) const override;
  std::string url() const override { return name_; }

 private:
  std::string name_;
  mutable std::mutex mutex_;
  std::map<std::string, Bytes, std::less<>> values_;
};

}  // namespace ngff
