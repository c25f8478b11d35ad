// The block-reduction kernels: nearest, mean, min and max (mode: downsample_mode.cpp). Each walks
// the output row by row (downsample_internal.hpp) with inner loops over contiguous input; the data
// type is dispatched once per call into a template instantiation.
#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <type_traits>
#include <vector>

#include "downsample_internal.hpp"
#include "ngff/error.hpp"
#include "zarr/float16.hpp"

namespace ngff::image::detail {
namespace {

using zarr::DataType;

// ---------------------------------------------------------------------------------------------
// nearest: bits of the first element of each block.

template <size_t Size>
void nearest_kernel(const Tile& t, const std::byte* in, std::byte* out) {
  for_each_output_row<true>(t, Size, in, out,
                            [](const std::byte* const* rows, uint64_t, std::byte* orow,
                               uint64_t width, uint64_t f, uint64_t) {
                              const std::byte* p = rows[0];
                              if (f == 1) {
                                std::memcpy(orow, p, width * Size);
                                return;
                              }
                              for (uint64_t j = 0; j < width; ++j)
                                std::memcpy(orow + j * Size, p + j * f * Size, Size);
                            });
}

// ---------------------------------------------------------------------------------------------
// mean

// Rounds s / c to the nearest integer, ties to even (c > 0), exactly.
template <class A>
A round_div(A s, A c) {
  A q = s / c;
  A r = s % c;
  if (r < 0) {  // floor division
    q -= 1;
    r += c;
  }
  const A twice = r * 2;
  if (twice > c || (twice == c && (q & 1) != 0)) q += 1;
  return q;
}

// round_div(s, 2^shift), by shifts: `>>` of a negative sum is floor division too (C++20).
template <class A>
A round_shift(A s, int shift) {
  if (shift == 0) return s;
  const A q = s >> shift;
  const A r = s & ((A{1} << shift) - 1);
  const A half = A{1} << (shift - 1);
  // Up when above half, or at half with q odd (ties to even); branch-free, as ties are common.
  return q + static_cast<A>(r + (q & 1) > half);
}

// Integers and bool: exact sums. A is wide enough for any realistic block.
template <class T, class A>
struct IntMean {
  using Acc = A;
  using Element = T;
  static constexpr bool kPlainInteger = !std::is_same_v<T, bool>;
  static constexpr size_t kComponents = 1;
  static constexpr size_t kSize = sizeof(T);
  static void add(A* a, const std::byte* p) {
    if constexpr (std::is_same_v<T, bool>)
      a[0] += load<uint8_t>(p) != 0;
    else
      a[0] += static_cast<A>(load<T>(p));
  }
  static void put(std::byte* o, const A* a, uint64_t count) {
    const A q = round_div<A>(a[0], static_cast<A>(count));
    if constexpr (std::is_same_v<T, bool>)
      store<uint8_t>(o, q != 0);
    else
      store<T>(o, static_cast<T>(q));
  }
};

// Floating and complex: sums in double per component.
template <class T, size_t N>
struct FloatMean {
  using Acc = double;
  static constexpr size_t kComponents = N;
  static constexpr size_t kSize = sizeof(T) * N;
  static void add(double* a, const std::byte* p) {
    for (size_t c = 0; c < N; ++c) a[c] += static_cast<double>(load<T>(p + c * sizeof(T)));
  }
  static void put(std::byte* o, const double* a, uint64_t count) {
    for (size_t c = 0; c < N; ++c)
      store<T>(o + c * sizeof(T), static_cast<T>(canonical_nan(a[c] / static_cast<double>(count))));
  }
};

struct HalfMean {
  using Acc = double;
  static constexpr size_t kComponents = 1;
  static constexpr size_t kSize = 2;
  static void add(double* a, const std::byte* p) {
    a[0] += static_cast<double>(zarr::half_to_float(load<uint16_t>(p)));
  }
  static void put(std::byte* o, const double* a, uint64_t count) {
    store<uint16_t>(o, double_to_half(canonical_nan(a[0] / static_cast<double>(count))));
  }
};

// Adds the whole blocks of one input row into `acc`, each block's sum kept in registers. F > 0
// makes the factor a constant (the common 1 and 2); F == 0 uses f.
template <class Ops, uint64_t F>
void add_whole_blocks(typename Ops::Acc* acc, const std::byte* p, uint64_t blocks, uint64_t f) {
  constexpr size_t nc = Ops::kComponents;
  constexpr size_t es = Ops::kSize;
  const uint64_t ff = F ? F : f;
  for (uint64_t j = 0; j < blocks; ++j) {
    typename Ops::Acc s[nc];
    for (size_t c = 0; c < nc; ++c) s[c] = acc[j * nc + c];
    const std::byte* q = p + j * ff * es;
    for (uint64_t k = 0; k < ff; ++k) Ops::add(s, q + k * es);
    for (size_t c = 0; c < nc; ++c) acc[j * nc + c] = s[c];
  }
}

// The whole blocks of one output row when each is N input rows × 2 elements, N a power of two:
// the sum of the 2N elements shifted, in one pass without accumulator arrays.
// Sums of at most 16 elements of 1 or 2 bytes fit 32 bits: narrower lanes, so the loop
// vectorizes twice as wide as with the general 64-bit sums.
template <class Ops, uint64_t N>
void mean_of_pairs_n(const std::byte* const* rows, std::byte* orow, uint64_t full) {
  using T = typename Ops::Element;
  using A = std::conditional_t<sizeof(T) <= 2, int32_t, typename Ops::Acc>;
  constexpr int shift = std::countr_zero(2 * N);
  for (uint64_t j = 0; j < full; ++j) {
    A s = 0;
    for (uint64_t r = 0; r < N; ++r) {
      const std::byte* p = rows[r] + 2 * j * sizeof(T);
      s += static_cast<A>(load<T>(p)) + static_cast<A>(load<T>(p + sizeof(T)));
    }
    store<T>(orow + j * sizeof(T), static_cast<T>(round_shift<A>(s, shift)));
  }
}

// The common integer mean (factor 2 along rows, 1, 2, 4 or 8 rows a block: 2-D and 3-D 2×
// pyramids) without the general kernel's per-element division, which made the mean the larger
// part of a pyramid. Returns the output elements done: the whole blocks, or 0 when not this case.
template <class Ops>
uint64_t mean_of_pairs(const std::byte* const* rows, uint64_t nrows, std::byte* orow, uint64_t full,
                       uint64_t f) {
  if (f != 2) return 0;
  switch (nrows) {
    case 1:
      mean_of_pairs_n<Ops, 1>(rows, orow, full);
      break;
    case 2:
      mean_of_pairs_n<Ops, 2>(rows, orow, full);
      break;
    case 4:
      mean_of_pairs_n<Ops, 4>(rows, orow, full);
      break;
    case 8:
      mean_of_pairs_n<Ops, 8>(rows, orow, full);
      break;
    default:
      return 0;
  }
  return full;
}

template <class Ops>
void mean_kernel(const Tile& t, const std::byte* in, std::byte* out) {
  using Acc = typename Ops::Acc;
  constexpr size_t nc = Ops::kComponents;
  constexpr size_t es = Ops::kSize;
  std::vector<Acc> acc;
  for_each_output_row(t, es, in, out,
                      [&](const std::byte* const* rows, uint64_t nrows, std::byte* orow,
                          uint64_t width, uint64_t f, uint64_t len) {
                        const uint64_t full = len / f;  // whole blocks along the row
                        uint64_t first = 0;             // output elements done by the fast path
                        if constexpr (requires { Ops::kPlainInteger; }) {
                          if constexpr (Ops::kPlainInteger)
                            first = mean_of_pairs<Ops>(rows, nrows, orow, full, f);
                        }
                        if (first == width) return;
                        acc.assign((width - first) * nc, Acc{});
                        for (uint64_t r = 0; r < nrows; ++r) {
                          const std::byte* p = rows[r] + first * f * es;
                          if (f == 2)
                            add_whole_blocks<Ops, 2>(acc.data(), p, full - first, f);
                          else if (f == 1)
                            add_whole_blocks<Ops, 1>(acc.data(), p, full - first, f);
                          else
                            add_whole_blocks<Ops, 0>(acc.data(), p, full - first, f);
                          for (uint64_t k = full * f; k < len; ++k)
                            Ops::add(acc.data() + (full - first) * nc, rows[r] + k * es);
                        }
                        for (uint64_t j = first; j < width; ++j) {
                          const uint64_t count = nrows * (j < full ? f : len - full * f);
                          Ops::put(orow + j * es, acc.data() + (j - first) * nc, count);
                        }
                      });
}

// ---------------------------------------------------------------------------------------------
// min / max: the first NaN of a block wins; otherwise a strictly smaller (larger) value replaces.

template <class T>
struct PlainCompare {
  using V = T;
  static bool is_nan(T v) {
    if constexpr (std::is_floating_point_v<T>)
      return std::isnan(v);
    else
      return false;
  }
  static bool less(T a, T b) { return a < b; }
};

// float16 compared on its bits: sign-magnitude to a signed integer (so -0 == +0).
struct HalfCompare {
  using V = uint16_t;
  static bool is_nan(uint16_t v) { return (v & 0x7fffu) > 0x7c00u; }
  static int32_t ordinal(uint16_t v) {
    const int32_t m = v & 0x7fff;
    return (v & 0x8000u) ? -m : m;
  }
  static bool less(uint16_t a, uint16_t b) { return ordinal(a) < ordinal(b); }
};

// Folds elements [lo, hi) of row p into c: the first NaN wins, else a strictly smaller (larger)
// value replaces.
template <class Cmp, bool IsMax>
inline typename Cmp::V fold(typename Cmp::V c, const std::byte* p, uint64_t lo, uint64_t hi) {
  using V = typename Cmp::V;
  for (uint64_t k = lo; k < hi; ++k) {
    const V v = load<V>(p + k * sizeof(V));
    if (!Cmp::is_nan(c) && (Cmp::is_nan(v) || (IsMax ? Cmp::less(c, v) : Cmp::less(v, c)))) c = v;
  }
  return c;
}

// F > 0: the factor as a constant (the common 1 and 2); F == 0 uses f.
template <class Cmp, bool IsMax, uint64_t F>
void fold_whole_blocks(typename Cmp::V* cur, const std::byte* p, uint64_t blocks, uint64_t f) {
  const uint64_t ff = F ? F : f;
  for (uint64_t j = 0; j < blocks; ++j) cur[j] = fold<Cmp, IsMax>(cur[j], p, j * ff, j * ff + ff);
}

template <class Cmp, bool IsMax>
void minmax_kernel(const Tile& t, const std::byte* in, std::byte* out) {
  using V = typename Cmp::V;
  constexpr size_t es = sizeof(V);
  std::vector<V> cur;
  for_each_output_row(t, es, in, out,
                      [&](const std::byte* const* rows, uint64_t nrows, std::byte* orow,
                          uint64_t width, uint64_t f, uint64_t len) {
                        cur.resize(width);
                        for (uint64_t j = 0; j < width; ++j) cur[j] = load<V>(rows[0] + j * f * es);
                        const uint64_t full = len / f;
                        for (uint64_t r = 0; r < nrows; ++r) {
                          const std::byte* p = rows[r];
                          if (f == 2)
                            fold_whole_blocks<Cmp, IsMax, 2>(cur.data(), p, full, f);
                          else if (f == 1)
                            fold_whole_blocks<Cmp, IsMax, 1>(cur.data(), p, full, f);
                          else
                            fold_whole_blocks<Cmp, IsMax, 0>(cur.data(), p, full, f);
                          if (full < width)
                            cur[full] = fold<Cmp, IsMax>(cur[full], p, full * f, len);
                        }
                        std::memcpy(orow, cur.data(), width * es);
                      });
}

template <bool IsMax>
void minmax_dispatch(const Tile& t, DataType dtype, const std::byte* in, std::byte* out) {
  switch (dtype) {
    case DataType::boolean:
    case DataType::uint8:
      return minmax_kernel<PlainCompare<uint8_t>, IsMax>(t, in, out);
    case DataType::int8:
      return minmax_kernel<PlainCompare<int8_t>, IsMax>(t, in, out);
    case DataType::int16:
      return minmax_kernel<PlainCompare<int16_t>, IsMax>(t, in, out);
    case DataType::int32:
      return minmax_kernel<PlainCompare<int32_t>, IsMax>(t, in, out);
    case DataType::int64:
      return minmax_kernel<PlainCompare<int64_t>, IsMax>(t, in, out);
    case DataType::uint16:
      return minmax_kernel<PlainCompare<uint16_t>, IsMax>(t, in, out);
    case DataType::uint32:
      return minmax_kernel<PlainCompare<uint32_t>, IsMax>(t, in, out);
    case DataType::uint64:
      return minmax_kernel<PlainCompare<uint64_t>, IsMax>(t, in, out);
    case DataType::float16:
      return minmax_kernel<HalfCompare, IsMax>(t, in, out);
    case DataType::float32:
      return minmax_kernel<PlainCompare<float>, IsMax>(t, in, out);
    case DataType::float64:
      return minmax_kernel<PlainCompare<double>, IsMax>(t, in, out);
    case DataType::complex64:
    case DataType::complex128:
      break;
  }
  throw UsageError("min/max downsampling is not defined for complex data");
}

}  // namespace

void downsample_nearest(const Tile& t, DataType dtype, const std::byte* in, std::byte* out) {
  switch (zarr::dtype_size(dtype)) {
    case 1:
      return nearest_kernel<1>(t, in, out);
    case 2:
      return nearest_kernel<2>(t, in, out);
    case 4:
      return nearest_kernel<4>(t, in, out);
    case 8:
      return nearest_kernel<8>(t, in, out);
    default:
      return nearest_kernel<16>(t, in, out);
  }
}

void downsample_mean(const Tile& t, DataType dtype, const std::byte* in, std::byte* out) {
  switch (dtype) {
    case DataType::boolean:
      return mean_kernel<IntMean<bool, int64_t>>(t, in, out);
    case DataType::int8:
      return mean_kernel<IntMean<int8_t, int64_t>>(t, in, out);
    case DataType::int16:
      return mean_kernel<IntMean<int16_t, int64_t>>(t, in, out);
    case DataType::int32:
      return mean_kernel<IntMean<int32_t, int64_t>>(t, in, out);
    case DataType::int64:
      return mean_kernel<IntMean<int64_t, __int128>>(t, in, out);
    case DataType::uint8:
      return mean_kernel<IntMean<uint8_t, int64_t>>(t, in, out);
    case DataType::uint16:
      return mean_kernel<IntMean<uint16_t, int64_t>>(t, in, out);
    case DataType::uint32:
      return mean_kernel<IntMean<uint32_t, int64_t>>(t, in, out);
    case DataType::uint64:
      return mean_kernel<IntMean<uint64_t, __int128>>(t, in, out);
    case DataType::float16:
      return mean_kernel<HalfMean>(t, in, out);
    case DataType::float32:
      return mean_kernel<FloatMean<float, 1>>(t, in, out);
    case DataType::float64:
      return mean_kernel<FloatMean<double, 1>>(t, in, out);
    case DataType::complex64:
      return mean_kernel<FloatMean<float, 2>>(t, in, out);
    case DataType::complex128:
      return mean_kernel<FloatMean<double, 2>>(t, in, out);
  }
}

void downsample_minmax(const Tile& t, DataType dtype, bool is_max, const std::byte* in,
                       std::byte* out) {
  if (is_max)
    minmax_dispatch<true>(t, dtype, in, out);
  else
    minmax_dispatch<false>(t, dtype, in, out);
}

}  // namespace ngff::image::detail
