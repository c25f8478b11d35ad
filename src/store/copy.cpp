#include "ngff/store/copy.hpp"

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <optional>
#include <thread>

#include "ngff/error.hpp"
#include "store/key.hpp"
#include "store/metadata_keys.hpp"

namespace ngff {
namespace {

struct Item {
  std::string src, dst;
  uint64_t size = 0;
};

// Runs body(i) for i in [0, n) on up to `concurrency` threads; the first exception is rethrown.
// Plain threads rather than TBB: the work waits on I/O, so it wants more threads than cores.
template <class Body>
void parallel(int concurrency, size_t n, const Body& body) {
  size_t threads = std::min<size_t>(n, static_cast<size_t>(std::max(1, concurrency)));
  std::atomic<size_t> next{0};
  std::exception_ptr error;
  std::mutex error_mutex;
  auto work = [&] {
    for (size_t i; (i = next++) < n;) {
      try {
        body(i);
      } catch (...) {
        std::lock_guard lock(error_mutex);
        if (!error) error = std::current_exception();
        next = n;  // stop handing out work
      }
    }
  };
  std::vector<std::thread> pool;
  for (size_t t = 1; t < threads; ++t) pool.emplace_back(work);
  work();
  for (auto& t : pool) t.join();
  if (error) std::rethrow_exception(error);
}

size_t depth(const std::string& key) {
  return static_cast<size_t>(std::count(key.begin(), key.end(), '/'));
}

}  // namespace

CopyStats copy_keys(const Store& src, std::string_view src_prefix, Store& dst,
                    std::string_view dst_prefix, const std::vector<std::string>& keys,
                    const CopyOptions& options) {
  std::string base = src_prefix.empty() ? std::string() : std::string(src_prefix) + "/";
  std::vector<Item> items(keys.size());
  for (size_t i = 0; i < keys.size(); ++i) {
    if (keys[i].compare(0, base.size(), base) != 0)
      throw UsageError("key '" + keys[i] + "' is not under '" + std::string(src_prefix) + "'");
    items[i].src = keys[i];
    items[i].dst = join_key(dst_prefix, std::string_view{keys[i]}.substr(base.size()));
  }
  // What the source has and what the destination already holds (a rerun skips it).
  std::vector<std::optional<uint64_t>> sizes(items.size());
  std::vector<char> present(items.size(), 0);
  parallel(options.concurrency, items.size(), [&](size_t i) {
    sizes[i] = src.size(items[i].src);
    if (sizes[i] && !options.overwrite) present[i] = dst.size(items[i].dst) == sizes[i];
  });
  CopyStats stats;
  std::vector<Item> data, metadata;
  for (size_t i = 0; i < items.size(); ++i) {
    if (!sizes[i]) {
      ++stats.missing;
      continue;
    }
    items[i].size = *sizes[i];
    if (present[i]) {
      ++stats.objects_skipped;
      stats.bytes_skipped += *sizes[i];
      continue;
    }
    ++stats.objects_total;
    stats.bytes_total += *sizes[i];
    (is_metadata_document(items[i].src) ? metadata : data).push_back(std::move(items[i]));
  }
  if (options.dry_run) return stats;

  std::mutex mutex;
  auto copy_one = [&](const Item& item) {
    auto value = src.get(item.src);
    if (!value) throw KeyNotFound("'" + src.key_url(item.src) + "' disappeared while copying");
    dst.set(item.dst, *value);
    std::lock_guard lock(mutex);
    ++stats.objects_done;
    stats.bytes_done += value->size();
    if (options.progress) options.progress(stats);
  };
  // Data in batches of bounded bytes, each batch in parallel.
  for (size_t begin = 0; begin < data.size();) {
    size_t end = begin;
    uint64_t bytes = 0;
    while (end < data.size() &&
           (end == begin || bytes + data[end].size <= options.max_in_flight_bytes))
      bytes += data[end++].size;
    parallel(options.concurrency, end - begin, [&](size_t i) { copy_one(data[begin + i]); });
    begin = end;
  }
  // Metadata last, deepest first: the root document is the very last write.
  std::stable_sort(metadata.begin(), metadata.end(),
                   [](const Item& a, const Item& b) { return depth(a.src) > depth(b.src); });
  for (const auto& item : metadata) copy_one(item);
  return stats;
}

}  // namespace ngff
