#include "ngff/store/store.hpp"

#include <algorithm>
#include <cstring>
#include <set>

#include "store/key.hpp"

namespace ngff {

std::optional<Bytes> Store::get_range(std::string_view key, ByteRange range) const {
  auto whole = get(key);
  if (!whole) return std::nullopt;
  uint64_t begin = std::min<uint64_t>(range.offset, whole->size());
  uint64_t end = std::min<uint64_t>(begin + range.length, whole->size());
  return Bytes(whole->begin() + static_cast<ptrdiff_t>(begin),
               whole->begin() + static_cast<ptrdiff_t>(end));
}

std::optional<uint64_t> Store::read_into(std::string_view key, MutableByteView out) const {
  auto value = get(key);
  if (!value) return std::nullopt;
  if (value->size() == out.size() && !value->empty())
    std::memcpy(out.data(), value->data(), value->size());
  return value->size();
}

std::optional<Bytes> Store::get_suffix(std::string_view key, uint64_t length) const {
  auto n = size(key);
  if (!n) return std::nullopt;
  uint64_t offset = *n > length ? *n - length : 0;
  return get_range(key, ByteRange{offset, *n - offset});
}

std::optional<std::vector<Bytes>> Store::get_ranges(std::string_view key,
                                                    const std::vector<ByteRange>& ranges) const {
  std::vector<Bytes> out;
  out.reserve(ranges.size());
  for (const auto& r : ranges) {
    auto part = get_range(key, r);
    if (!part) return std::nullopt;
    out.push_back(std::move(*part));
  }
  return out;
}

std::vector<std::optional<Bytes>> Store::get_many(const std::vector<std::string>& keys) const {
  std::vector<std::optional<Bytes>> out;
  out.reserve(keys.size());
  for (const auto& k : keys) out.push_back(get(k));
  return out;
}

void Store::erase_prefix(std::string_view prefix) {
  for (const auto& k : list(prefix)) erase(k);
}

bool Store::exists(std::string_view key) const {
  return get(key).has_value();
}

std::optional<uint64_t> Store::size(std::string_view key) const {
  auto v = get(key);
  if (!v) return std::nullopt;
  return v->size();
}

std::vector<std::string> Store::list_dir(std::string_view prefix) const {
  std::set<std::string> names;
  std::string base = prefix.empty() ? std::string() : std::string(prefix) + "/";
  for (const auto& k : list(prefix)) {
    if (k.size() <= base.size()) continue;
    std::string rest = k.substr(base.size());
    names.insert(rest.substr(0, rest.find('/')));
  }
  return {names.begin(), names.end()};
}

std::string Store::key_url(std::string_view key) const {
  std::string base = url();
  if (key.empty()) return base;
  if (!base.empty() && base.back() != '/') base += '/';
  return base + std::string(key);
}

}  // namespace ngff
