#include "ngff/store/caching_store.hpp"

#include "store/metadata_keys.hpp"

namespace ngff {
namespace {

std::string entry_id(std::string_view key, std::string_view what) {
  std::string id(key);
  id += '\0';
  id += what;
  return id;
}

}  // namespace

CachingStore::CachingStore(StorePtr inner, CacheOptions options)
    : inner_(std::move(inner)), options_(options) {}

uint64_t CachingStore::cost(const Entry& e) {
  return e.id.size() + (e.value ? e.value->size() : 0) + 64;
}

std::optional<std::optional<Bytes>> CachingStore::lookup(const std::string& id) const {
  std::lock_guard lock(mutex_);
  auto it = index_.find(id);
  if (it == index_.end()) {
    ++misses_;
    return std::nullopt;
  }
  ++hits_;
  lru_.splice(lru_.begin(), lru_, it->second);
  return it->second->value;
}

void CachingStore::insert(std::string id, const std::optional<Bytes>& value) const {
  Entry e{std::move(id), value};
  uint64_t c = cost(e);
  if (c > options_.max_bytes) return;
  std::lock_guard lock(mutex_);
  if (auto it = index_.find(e.id); it != index_.end()) {
    bytes_ -= cost(*it->second);
    lru_.erase(it->second);
    index_.erase(it);
  }
  lru_.push_front(std::move(e));
  index_.emplace(lru_.front().id, lru_.begin());
  bytes_ += c;
  while (bytes_ > options_.max_bytes && !lru_.empty()) {
    bytes_ -= cost(lru_.back());
    index_.erase(lru_.back().id);
    lru_.pop_back();
  }
}

void CachingStore::invalidate(std::string_view key, bool with_children) const {
  std::lock_guard lock(mutex_);
  auto drop_from = [&](const std::string& start, auto matches) {
    for (auto it = index_.lower_bound(start); it != index_.end() && matches(it->first);) {
      bytes_ -= cost(*it->second);
      lru_.erase(it->second);
      it = index_.erase(it);
    }
  };
  std::string exact = entry_id(key, "");
  drop_from(exact, [&](const std::string& id) { return id.compare(0, exact.size(), exact) == 0; });
  if (!with_children) return;
  std::string below = key.empty() ? std::string() : std::string(key) + "/";
  drop_from(below, [&](const std::string& id) { return id.compare(0, below.size(), below) == 0; });
}

CachingStore::Stats CachingStore::stats() const {
  std::lock_guard lock(mutex_);
  return {bytes_, lru_.size(), hits_, misses_};
}

std::optional<Bytes> CachingStore::get(std::string_view key) const {
  if (!is_metadata_document(key)) return inner_->get(key);
  std::string id = entry_id(key, "");
  if (auto hit = lookup(id)) return *hit;
  auto value = inner_->get(key);
  insert(std::move(id), value);
  return value;
}

std::optional<Bytes> CachingStore::get_range(std::string_view key, ByteRange range) const {
  if (range.length > options_.max_range_bytes) return inner_->get_range(key, range);
  std::string id =
      entry_id(key, "r:" + std::to_string(range.offset) + ":" + std::to_string(range.length));
  if (auto hit = lookup(id)) return *hit;
  auto value = inner_->get_range(key, range);
  insert(std::move(id), value);
  return value;
}

std::optional<Bytes> CachingStore::get_suffix(std::string_view key, uint64_t length) const {
  if (length > options_.max_range_bytes) return inner_->get_suffix(key, length);
  std::string id = entry_id(key, "s:" + std::to_string(length));
  if (auto hit = lookup(id)) return *hit;
  auto value = inner_->get_suffix(key, length);
  insert(std::move(id), value);
  return value;
}

std::optional<std::vector<Bytes>> CachingStore::get_ranges(
    std::string_view key, const std::vector<ByteRange>& ranges) const {
  return inner_->get_ranges(key, ranges);
}

std::vector<std::optional<Bytes>> CachingStore::get_many(
    const std::vector<std::string>& keys) const {
  std::vector<std::optional<Bytes>> out(keys.size());
  std::vector<std::string> ask;
  std::vector<size_t> where;
  for (size_t i = 0; i < keys.size(); ++i) {
    if (is_metadata_document(keys[i]))
      if (auto hit = lookup(entry_id(keys[i], ""))) {
        out[i] = std::move(*hit);
        continue;
      }
    ask.push_back(keys[i]);
    where.push_back(i);
  }
  auto got = inner_->get_many(ask);
  for (size_t k = 0; k < got.size(); ++k) {
    if (is_metadata_document(ask[k])) insert(entry_id(ask[k], ""), got[k]);
    out[where[k]] = std::move(got[k]);
  }
  return out;
}

void CachingStore::set(std::string_view key, ByteView value) {
  invalidate(key, false);
  inner_->set(key, value);
  invalidate(key, false);  // a reader may have cached the old value meanwhile
}

void CachingStore::erase(std::string_view key) {
  invalidate(key, false);
  inner_->erase(key);
  invalidate(key, false);
}

void CachingStore::erase_prefix(std::string_view prefix) {
  invalidate(prefix, true);
  inner_->erase_prefix(prefix);
  invalidate(prefix, true);
}

bool CachingStore::exists(std::string_view key) const {
  if (is_metadata_document(key)) return get(key).has_value();
  return inner_->exists(key);
}

std::optional<uint64_t> CachingStore::size(std::string_view key) const {
  if (is_metadata_document(key)) {
    auto v = get(key);
    return v ? std::optional<uint64_t>(v->size()) : std::nullopt;
  }
  return inner_->size(key);
}

std::vector<std::string> CachingStore::list(std::string_view prefix) const {
  return inner_->list(prefix);
}

std::vector<std::string> CachingStore::list_dir(std::string_view prefix) const {
  return inner_->list_dir(prefix);
}

}  // namespace ngff
