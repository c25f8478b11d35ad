#include "image/label_colors.hpp"

#include <cmath>
#include <cstring>
#include <set>

#include "zarr/blocks.hpp"
#include "zarr/integer_dtype.hpp"

namespace ngff::image {
namespace {

template <typename T>
void collect(const std::byte* data, size_t count, std::set<int64_t>& values, size_t limit) {
  for (size_t i = 0; i < count && values.size() < limit; ++i) {
    T v;
    std::memcpy(&v, data + i * sizeof(T), sizeof(T));
    if (v != 0) values.insert(static_cast<int64_t>(v));
  }
}

// Adds the nonzero values among the `count` elements at `data` to `values`, until it holds
// `limit`. Nothing for other types than integers: write_labels takes integers only.
void collect_values(zarr::DataType dtype, const std::byte* data, size_t count,
                    std::set<int64_t>& values, size_t limit) {
  zarr::visit_integer_dtype(
      dtype, [&]<typename T>(std::type_identity<T>) { collect<T>(data, count, values, limit); });
}

std::vector<ome::LabelColor> colors_of(const std::set<int64_t>& values) {
  std::vector<ome::LabelColor> colors;
  colors.reserve(values.size());
  for (int64_t v : values) colors.push_back({v, label_rgba(v), Json::object()});
  return colors;
}

}  // namespace

// Hue k * golden ratio (mod 1) at full saturation and value: neighbouring label values get far
// apart colours, and a value's colour never depends on which other values exist.
std::array<uint8_t, 4> label_rgba(int64_t value) {
  double hue = std::fmod(static_cast<double>(value) * 0.6180339887498949, 1.0) * 6.0;
  if (hue < 0) hue += 6.0;
  const double f = hue - std::floor(hue);
  auto byte = [](double x) { return static_cast<uint8_t>(std::lround(x * 255.0)); };
  double r = 0, g = 0, b = 0;
  switch (static_cast<int>(hue) % 6) {
    case 0:
      r = 1, g = f, b = 0;
      break;
    case 1:
      r = 1 - f, g = 1, b = 0;
      break;
    case 2:
      r = 0, g = 1, b = f;
      break;
    case 3:
      r = 0, g = 1 - f, b = 1;
      break;
    case 4:
      r = f, g = 0, b = 1;
      break;
    default:
      r = 1, g = 0, b = 1 - f;
      break;
  }
  return {byte(r), byte(g), byte(b), 255};
}

std::vector<ome::LabelColor> default_label_colors(const zarr::Array& level0, uint64_t memory_budget,
                                                  size_t limit) {
  const zarr::DataType dtype = level0.dtype();
  const size_t esize = zarr::dtype_size(dtype);
  std::set<int64_t> values;
  const uint64_t chunk_bytes = zarr::product(level0.chunk_shape()) * esize;
  zarr::Shape block = zarr::block_shape(level0.shape(), level0.chunk_shape(), esize,
                                        zarr::useful_block_budget(memory_budget, chunk_bytes));
  Bytes buffer;
  zarr::for_each_block(level0.shape(), block, [&](const zarr::Region& r) {
    if (values.size() >= limit) return;
    const size_t n = r.num_elements();
    buffer.resize(n * esize);
    level0.read(r, buffer.data());
    collect_values(dtype, buffer.data(), n, values, limit);
  });
  return colors_of(values);
}

LabelValueTap::LabelValueTap(VoxelSourcePtr base, size_t limit)
    : base_(std::move(base)), limit_(limit) {}

void LabelValueTap::read(const zarr::Region& region, void* out) const {
  base_->read(region, out);
  {
    std::lock_guard lock(mutex_);
    if (values_.size() >= limit_) return;
  }
  // Collected outside the lock: the sparse writer reads on several threads.
  std::set<int64_t> found;
  collect_values(dtype(), static_cast<const std::byte*>(out), region.num_elements(), found, limit_);
  std::lock_guard lock(mutex_);
  values_.merge(found);
}

std::optional<std::vector<ome::LabelColor>> LabelValueTap::colors() const {
  std::lock_guard lock(mutex_);
  if (values_.size() >= limit_) return std::nullopt;
  return colors_of(values_);
}

}  // namespace ngff::image
