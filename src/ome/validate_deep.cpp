#include "validate_deep.hpp"

#include <algorithm>
#include <atomic>
#include <cstring>
#include <mutex>
#include <set>

#include "ngff/error.hpp"
#include "util/parallel_for.hpp"
#include "zarr/integer_dtype.hpp"

namespace ngff::ome::detail {
namespace {

// Errors listed one by one per array before the rest are counted only.
constexpr size_t kErrorsPerArray = 10;

zarr::Shape chunk_grid(const zarr::Array& a) {
  zarr::Shape grid(a.rank());
  for (size_t d = 0; d < a.rank(); ++d)
    grid[d] = a.chunk_shape()[d] ? (a.shape()[d] + a.chunk_shape()[d] - 1) / a.chunk_shape()[d] : 0;
  return grid;
}

zarr::Shape unravel(uint64_t index, const zarr::Shape& grid) {
  zarr::Shape out(grid.size());
  for (size_t d = grid.size(); d-- > 0;) {
    out[d] = index % grid[d];
    index /= grid[d];
  }
  return out;
}

// The codecs say "chunk holds N bytes, expected M" / "decodes to N bytes" for a chunk of the
// wrong size, and name the failure otherwise.
std::string chunk_rule(const std::string& message) {
  bool size = message.find("bytes, expected") != std::string::npos ||
              message.find("decodes to") != std::string::npos ||
              message.find("decoded ") != std::string::npos;
  return size ? "deep/chunk-size" : "deep/chunk-decode";
}

template <typename T>
void mark_values(const std::byte* data, const zarr::Shape& chunk, const zarr::Shape& valid,
                 const std::vector<int64_t>& wanted, std::vector<std::atomic<bool>>& found) {
  // The chunk's elements inside the array (edge chunks extend past it), in C order.
  const size_t rank = chunk.size();
  zarr::Shape at(rank, 0);
  const uint64_t n = zarr::product(chunk);
  for (uint64_t i = 0; i < n; ++i) {
    bool inside = true;
    for (size_t d = 0; d < rank && inside; ++d) inside = at[d] < valid[d];
    if (inside) {
      T v;
      std::memcpy(&v, data + i * sizeof(T), sizeof(T));
      auto it = std::lower_bound(wanted.begin(), wanted.end(), static_cast<int64_t>(v));
      if (it != wanted.end() && *it == static_cast<int64_t>(v))
        found[static_cast<size_t>(it - wanted.begin())] = true;
    }
    for (size_t d = rank; d-- > 0;) {
      if (++at[d] < chunk[d]) break;
      at[d] = 0;
    }
  }
}

void mark_values(zarr::DataType type, const std::byte* data, const zarr::Shape& chunk,
                 const zarr::Shape& valid, const std::vector<int64_t>& wanted,
                 std::vector<std::atomic<bool>>& found) {
  // Other types are left alone: the labels/integer-dtype rule has reported them.
  zarr::visit_integer_dtype(type, [&]<typename T>(std::type_identity<T>) {
    mark_values<T>(data, chunk, valid, wanted, found);
  });
}

struct ArrayTally {
  std::mutex mutex;
  uint64_t missing = 0;
  std::string first_missing;
  size_t errors = 0;
};

struct Progress {
  std::atomic<uint64_t> done{0};
  uint64_t total = 0;
  std::mutex mutex;  // the callback is called by one thread at a time
};

void read_array(const DeepArray& item, ValidateContext& ctx, Progress& progress) {
  const zarr::Array& a = item.array;
  const zarr::Shape grid = chunk_grid(a);
  const uint64_t chunks = a.rank() == 0 ? 1 : zarr::product(grid);
  const size_t chunk_bytes = zarr::dtype_size(a.dtype()) * zarr::product(a.chunk_shape());
  std::vector<int64_t> wanted = item.label_values;
  std::sort(wanted.begin(), wanted.end());
  std::vector<std::atomic<bool>> found(wanted.size());
  ArrayTally tally;
  ngff::detail::parallel_for(chunks, [&](uint64_t i) {
    thread_local Bytes buffer;
    if (buffer.size() < chunk_bytes) buffer.resize(chunk_bytes);
    zarr::Shape index = a.rank() == 0 ? zarr::Shape{} : unravel(i, grid);
    zarr::Shape valid(a.rank());
    for (size_t d = 0; d < a.rank(); ++d)
      valid[d] = std::min(a.chunk_shape()[d], a.shape()[d] - index[d] * a.chunk_shape()[d]);
    try {
      bool present = a.read_chunk(index, MutableByteView(buffer.data(), chunk_bytes));
      if (!present) {
        std::lock_guard lock(tally.mutex);
        if (tally.missing++ == 0 || a.chunk_key(index) < tally.first_missing)
          tally.first_missing = a.chunk_key(index);
      }
      // A missing chunk reads as the fill value, which then occurs in the data.
      if (!wanted.empty())
        mark_values(a.dtype(), buffer.data(), a.chunk_shape(), valid, wanted, found);
    } catch (const Error& e) {
      std::lock_guard lock(tally.mutex);
      if (++tally.errors <= kErrorsPerArray)
        ctx.report(Severity::error, a.url(), "", chunk_rule(e.what()), e.what());
    }
    uint64_t now = progress.done += chunk_bytes;
    if (ctx.options.progress) {
      std::lock_guard lock(progress.mutex);
      ctx.options.progress(now, progress.total);
    }
  });
  if (tally.errors > kErrorsPerArray)
    ctx.report(Severity::error, a.url(), "", "deep/chunk-decode",
               std::to_string(tally.errors - kErrorsPerArray) + " more chunks fail to decode (" +
                   std::to_string(tally.errors) + " of " + std::to_string(chunks) + ")");
  if (tally.missing)
    ctx.report(Severity::info, a.url(), "", "deep/chunk-missing",
               std::to_string(tally.missing) + " of " + std::to_string(chunks) +
                   " chunks are missing (read as the fill value), first " +
                   a.store()->key_url(tally.first_missing));
  std::string absent;
  for (size_t k = 0; k < wanted.size(); ++k)
    if (!found[k]) absent += (absent.empty() ? "" : ", ") + std::to_string(wanted[k]);
  if (!absent.empty())
    ctx.report(Severity::warning, item.node_url, item.colors_path, "labels/colour-values",
               "label-value(s) " + absent + " have a colour but do not occur in " + a.url());
}

}  // namespace

void read_every_chunk(const std::vector<DeepArray>& arrays, ValidateContext& ctx) {
  Progress progress;
  for (const DeepArray& item : arrays)
    progress.total += (item.array.rank() == 0 ? 1 : zarr::product(chunk_grid(item.array))) *
                      zarr::product(item.array.chunk_shape()) *
                      zarr::dtype_size(item.array.dtype());
  if (ctx.options.progress) ctx.options.progress(0, progress.total);
  for (const DeepArray& item : arrays) read_array(item, ctx, progress);
}

}  // namespace ngff::ome::detail
