// Internals of the downsampling kernels (see include/ngff/image/downsample.hpp): the tile
// geometry, element loads/stores and the output-row iterator that every block method shares.
// Private to src/image/downsample_*.cpp.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <vector>

#include "ngff/image/downsample.hpp"
#include "ngff/zarr/dtype.hpp"
#include "ngff/zarr/region.hpp"

namespace ngff::image::detail {

// One call's geometry, validated by the caller: rank >= 1, the output box is non-empty and inside
// the downsampled shape, and the input box holds every input element the output needs.
struct Tile {
  zarr::Shape full;                  // shape of the whole input array
  zarr::Shape factors;               // >= 1
  zarr::Shape in_start, in_shape;    // the box held by `in` (input coordinates)
  zarr::Shape out_start, out_shape;  // the box written to `out` (output coordinates)
};

template <class T>
inline T load(const std::byte* p) {
  T v;
  std::memcpy(&v, p, sizeof(T));
  return v;
}

template <class T>
inline void store(std::byte* p, T v) {
  std::memcpy(p, &v, sizeof(T));
}

// A computed NaN's payload depends on the operand order the compiler picked; results use the one
// default quiet NaN instead, so that every code path (vector or scalar, any tiling) agrees.
inline double canonical_nan(double v) {
  return v != v ? std::numeric_limits<double>::quiet_NaN() : v;
}

// Correctly rounded double -> binary16 (round to nearest even, overflow to inf), as numpy's
// astype(float16) from float64. Converting through float would round twice.
inline uint16_t double_to_half(double d) {
  uint64_t x;
  std::memcpy(&x, &d, 8);
  const uint64_t sign = (x >> 48) & 0x8000u;
  const uint64_t exp = (x >> 52) & 0x7ffu;
  uint64_t mant = x & ((uint64_t{1} << 52) - 1);
  if (exp == 0x7ff) {  // inf or NaN: keep the top payload bits, force quiet
    uint64_t m = mant ? (0x200u | (mant >> 42)) : 0;
    return static_cast<uint16_t>(sign | 0x7c00u | m);
  }
  const int64_t e = static_cast<int64_t>(exp) - 1023 + 15;
  if (e >= 0x1f) return static_cast<uint16_t>(sign | 0x7c00u);
  if (e <= 0) {
    if (e < -10) return static_cast<uint16_t>(sign);  // below half the smallest subnormal
    mant |= uint64_t{1} << 52;
    const uint64_t shift = static_cast<uint64_t>(43 - e);
    uint64_t half_mant = mant >> shift;
    const uint64_t rem = mant & ((uint64_t{1} << shift) - 1);
    const uint64_t halfway = uint64_t{1} << (shift - 1);
    if (rem > halfway || (rem == halfway && (half_mant & 1u))) ++half_mant;
    return static_cast<uint16_t>(sign | half_mant);
  }
  uint64_t half = sign | (static_cast<uint64_t>(e) << 10) | (mant >> 42);
  const uint64_t rem = mant & ((uint64_t{1} << 42) - 1);
  const uint64_t halfway = uint64_t{1} << 41;
  if (rem > halfway || (rem == halfway && (half & 1u))) ++half;  // a carry into the exponent is ok
  return static_cast<uint16_t>(half);
}

// Calls f(rows, nrows, out_row, width, factor, len) once per output row (all output indices but the
// last fixed), in C order. `rows` are the input rows of the row's blocks (the outer dimensions'
// blocks visited in C order), each pointing at the first input element of the first block along
// the last dimension; `len` is the number of valid input elements from there (so block j covers
// [j*factor, min((j+1)*factor, len))). With FirstOnly, only the first row of each block is given.
template <bool FirstOnly = false, class F>
void for_each_output_row(const Tile& t, size_t esize, const std::byte* in, std::byte* out, F&& f) {
  const size_t rank = t.full.size();
  const size_t last = rank - 1;
  std::vector<uint64_t> stride(rank);
  uint64_t s = esize;
  for (size_t d = rank; d-- > 0;) {
    stride[d] = s;
    s *= t.in_shape[d];
  }
  const uint64_t width = t.out_shape[last];
  const uint64_t fl = t.factors[last];
  const uint64_t lo_last = t.out_start[last] * fl;
  const uint64_t hi_last = std::min((t.out_start[last] + width) * fl, t.full[last]);
  const uint64_t len = hi_last - lo_last;
  const uint64_t base = (lo_last - t.in_start[last]) * esize;
  const uint64_t out_row_bytes = width * esize;

  uint64_t out_rows = 1;
  for (size_t d = 0; d < last; ++d) out_rows *= t.out_shape[d];
  std::vector<uint64_t> o(last, 0), block_lo(last), block_ext(last), k(last);
  std::vector<const std::byte*> rows;
  for (uint64_t r = 0; r < out_rows; ++r) {
    uint64_t nrows = 1;
    for (size_t d = 0; d < last; ++d) {
      const uint64_t g = (t.out_start[d] + o[d]) * t.factors[d];
      block_lo[d] = g - t.in_start[d];
      block_ext[d] = FirstOnly ? 1 : std::min(g + t.factors[d], t.full[d]) - g;
      nrows *= block_ext[d];
    }
    rows.resize(nrows);
    std::fill(k.begin(), k.end(), 0);
    for (uint64_t i = 0; i < nrows; ++i) {
      uint64_t off = base;
      for (size_t d = 0; d < last; ++d) off += (block_lo[d] + k[d]) * stride[d];
      rows[i] = in + off;
      for (size_t d = last; d-- > 0;) {
        if (++k[d] < block_ext[d]) break;
        k[d] = 0;
      }
    }
    f(static_cast<const std::byte* const*>(rows.data()), nrows, out + r * out_row_bytes, width, fl,
      len);
    for (size_t d = last; d-- > 0;) {
      if (++o[d] < t.out_shape[d]) break;
      o[d] = 0;
    }
  }
}

// Kernels (t validated; rank >= 1; non-empty output).
void downsample_nearest(const Tile& t, zarr::DataType dtype, const std::byte* in, std::byte* out);
void downsample_mean(const Tile& t, zarr::DataType dtype, const std::byte* in, std::byte* out);
void downsample_minmax(const Tile& t, zarr::DataType dtype, bool is_max, const std::byte* in,
                       std::byte* out);
void downsample_mode(const Tile& t, zarr::DataType dtype, const std::byte* in, std::byte* out);
void downsample_gaussian(const Tile& t, zarr::DataType dtype, const std::byte* in, std::byte* out);

// The Gaussian's radius for factor f (0 when f == 1): int(4 * sigma + 0.5), sigma = 2 f / 6.
uint64_t gaussian_radius(uint64_t factor);

}  // namespace ngff::image::detail
