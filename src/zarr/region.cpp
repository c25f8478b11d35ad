#include "ngff/zarr/region.hpp"

#include <algorithm>
#include <cstring>

#include "ngff/error.hpp"

namespace ngff::zarr {

uint64_t product(const Shape& shape) {
  uint64_t n = 1;
  for (auto s : shape) n *= s;
  return n;
}

uint64_t Region::num_elements() const {
  return product(shape);
}

std::string Region::to_string() const {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i) s += ", ";
    s += std::to_string(start[i]) + ":" + std::to_string(start[i] + shape[i]);
  }
  return s + "]";
}

void check_region(const Region& region, const Shape& array_shape) {
  auto shape_text = [](const Shape& s) {
    std::string t = "(";
    for (size_t i = 0; i < s.size(); ++i) t += (i ? ", " : "") + std::to_string(s[i]);
    return t + ")";
  };
  if (region.start.size() != array_shape.size() || region.shape.size() != array_shape.size())
    throw UsageError("region " + region.to_string() + " has " +
                     std::to_string(region.shape.size()) + " dimensions, the array has " +
                     std::to_string(array_shape.size()));
  for (size_t i = 0; i < array_shape.size(); ++i) {
    if (region.start[i] > array_shape[i] || region.shape[i] > array_shape[i] - region.start[i])
      throw UsageError("region " + region.to_string() + " is outside the array of shape " +
                       shape_text(array_shape));
  }
}

Shape offset_in(const Region& inner, const Region& outer) {
  Shape s(inner.rank());
  for (size_t i = 0; i < inner.rank(); ++i) s[i] = inner.start[i] - outer.start[i];
  return s;
}

Region intersect(const Region& a, const Region& b) {
  Region r;
  r.start.resize(a.rank());
  r.shape.resize(a.rank());
  for (size_t i = 0; i < a.rank(); ++i) {
    uint64_t lo = std::max(a.start[i], b.start[i]);
    uint64_t hi = std::min(a.start[i] + a.shape[i], b.start[i] + b.shape[i]);
    r.start[i] = lo;
    r.shape[i] = hi > lo ? hi - lo : 0;
  }
  return r;
}

namespace {

// Strides in bytes of a C-order array.
Shape byte_strides(const Shape& shape, size_t element_size) {
  Shape strides(shape.size());
  uint64_t s = element_size;
  for (size_t i = shape.size(); i-- > 0;) {
    strides[i] = s;
    s *= shape[i];
  }
  return strides;
}

// Visits every contiguous run of a box: calls f(src_offset, dst_offset, run_bytes). Trailing
// dimensions that are whole in both arrays are merged into the run.
template <typename F>
void for_each_run(const Shape& src_shape, const Shape& src_start, const Shape& dst_shape,
                  const Shape& dst_start, const Shape& box, size_t element_size, F&& f) {
  const size_t n = box.size();
  if (product(box) == 0) return;
  Shape ss = byte_strides(src_shape, element_size);
  Shape ds = byte_strides(dst_shape, element_size);
  // Merge trailing dims: run covers dims [k, n) when dims k+1..n-1 are whole in src and dst.
  size_t k = n;
  uint64_t run = element_size;
  while (k > 0) {
    size_t d = k - 1;
    run *= box[d];
    k = d;
    bool whole = box[d] == src_shape[d] && box[d] == dst_shape[d];
    if (!whole) break;
  }
  uint64_t src_off = 0, dst_off = 0;
  for (size_t d = 0; d < n; ++d) {
    src_off += src_start[d] * ss[d];
    dst_off += dst_start[d] * ds[d];
  }
  if (k == 0) {
    f(src_off, dst_off, run);
    return;
  }
  Shape index(k, 0);
  while (true) {
    f(src_off, dst_off, run);
    size_t d = k;
    while (d-- > 0) {
      src_off += ss[d];
      dst_off += ds[d];
      if (++index[d] < box[d]) break;
      src_off -= ss[d] * box[d];
      dst_off -= ds[d] * box[d];
      index[d] = 0;
    }
    if (d == static_cast<size_t>(-1)) return;
  }
}

}  // namespace

void copy_box(const std::byte* src, const Shape& src_shape, const Shape& src_start, std::byte* dst,
              const Shape& dst_shape, const Shape& dst_start, const Shape& box_shape,
              size_t element_size) {
  if (box_shape.empty()) {
    std::memcpy(dst, src, element_size);
    return;
  }
  for_each_run(
      src_shape, src_start, dst_shape, dst_start, box_shape, element_size,
      [&](uint64_t so, uint64_t d, uint64_t bytes) { std::memcpy(dst + d, src + so, bytes); });
}

void fill_elements(std::byte* dst, uint64_t count, const std::byte* element, size_t element_size) {
  bool zero =
      std::all_of(element, element + element_size, [](std::byte b) { return b == std::byte{0}; });
  if (zero || element_size == 1) {
    std::memset(dst, static_cast<int>(element[0]), count * element_size);
    return;
  }
  if (count == 0) return;
  std::memcpy(dst, element, element_size);
  uint64_t done = 1;
  while (done < count) {  // doubling copies
    uint64_t n = std::min(done, count - done);
    std::memcpy(dst + done * element_size, dst, n * element_size);
    done += n;
  }
}

void fill_box(std::byte* dst, const Shape& dst_shape, const Shape& dst_start,
              const Shape& box_shape, const std::byte* element, size_t element_size) {
  if (box_shape.empty()) {
    std::memcpy(dst, element, element_size);
    return;
  }
  for_each_run(dst_shape, dst_start, dst_shape, dst_start, box_shape, element_size,
               [&](uint64_t, uint64_t d, uint64_t bytes) {
                 fill_elements(dst + d, bytes / element_size, element, element_size);
               });
}

}  // namespace ngff::zarr
