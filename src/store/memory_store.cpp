#include "ngff/store/memory_store.hpp"

#include <algorithm>

#include "store/key.hpp"

namespace ngff {

MemoryStore::MemoryStore(std::string name) : name_(std::move(name)) {}

std::optional<Bytes> MemoryStore::get(std::string_view key) const {
  validate_key(key);
  std::lock_guard lock(mutex_);
  auto it = values_.find(key);
  if (it == values_.end()) return std::nullopt;
  return it->second;
}

std::optional<Bytes> MemoryStore::get_range(std::string_view key, ByteRange range) const {
  validate_key(key);
  std::lock_guard lock(mutex_);
  auto it = values_.find(key);
  if (it == values_.end()) return std::nullopt;
  const Bytes& v = it->second;
  uint64_t begin = std::min<uint64_t>(range.offset, v.size());
  uint64_t end = std::min<uint64_t>(begin + range.length, v.size());
  return Bytes(v.begin() + static_cast<ptrdiff_t>(begin), v.begin() + static_cast<ptrdiff_t>(end));
}

void MemoryStore::set(std::string_view key, ByteView value) {
  validate_key(key);
  Bytes copy(value.begin(), value.end());
  std::lock_guard lock(mutex_);
  values_.insert_or_assign(std::string(key), std::move(copy));
}

void MemoryStore::erase(std::string_view key) {
  validate_key(key);
  std::lock_guard lock(mutex_);
  auto it = values_.find(key);
  if (it != values_.end()) values_.erase(it);
}

bool MemoryStore::exists(std::string_view key) const {
  validate_key(key);
  std::lock_guard lock(mutex_);
  return values_.find(key) != values_.end();
}

std::vector<std::string> MemoryStore::list(std::string_view prefix) const {
  validate_key(prefix);
  std::string base = prefix.empty() ? std::string() : std::string(prefix) + "/";
  std::vector<std::string> out;
  std::lock_guard lock(mutex_);
  for (auto it = values_.lower_bound(base); it != values_.end(); ++it) {
    if (it->first.compare(0, base.size(), base) != 0) break;
    out.push_back(it->first);
  }
  return out;
}

}  // namespace ngff
