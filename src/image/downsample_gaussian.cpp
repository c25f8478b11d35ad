// The gaussian kernel: scipy.ndimage.gaussian_filter(x.astype(float64), sigma, mode='nearest',
// truncate=4.0) with sigma_d = 2 f_d / 6, then the block mean, then rounding to the data type.
//
// A tile is smoothed in a double scratch buffer holding its input box. Pass d (axes in order 0, 1,
// ...) computes only the positions whose coordinates along axes <= d lie in the tile's "core"
// (the union of its output blocks) while keeping the halo along later axes, so every value that
// reaches the block mean is computed from exactly the same operands, in the same order, as for
// the whole array: tiles are bit-identical to the whole-array result.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <type_traits>
#include <utility>
#include <vector>

#include "downsample_internal.hpp"
#include "ngff/store/bytes.hpp"
#include "zarr/float16.hpp"

namespace ngff::image::detail {
namespace {

using zarr::DataType;

// numpy's pairwise summation of float64 (the order np.sum uses on a contiguous array), so that
// the kernel's normalisation matches scipy's `phi_x / phi_x.sum()` to the bit.
double pairwise_sum(const double* a, size_t n) {
  if (n < 8) {
    double res = 0.;
    for (size_t i = 0; i < n; ++i) res += a[i];
    return res;
  }
  if (n <= 128) {
    double r[8];
    for (size_t j = 0; j < 8; ++j) r[j] = a[j];
    size_t i = 8;
    for (; i < n - (n % 8); i += 8)
      for (size_t j = 0; j < 8; ++j) r[j] += a[i + j];
    double res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
    for (; i < n; ++i) res += a[i];
    return res;
  }
  size_t n2 = n / 2;
  n2 -= n2 % 8;
  return pairwise_sum(a, n2) + pairwise_sum(a + n2, n - n2);
}

double gaussian_sigma(uint64_t factor) {
  return static_cast<double>(2 * factor) / 6.0;
}

// Weights w[0..radius] by distance from the centre, as scipy's _gaussian_kernel1d(sigma, 0, r).
std::vector<double> gaussian_weights(uint64_t factor) {
  const uint64_t r = gaussian_radius(factor);
  const double sigma = gaussian_sigma(factor);
  const double c = -0.5 / (sigma * sigma);
  std::vector<double> phi(2 * r + 1);
  for (size_t i = 0; i < phi.size(); ++i) {
    const int64_t x = static_cast<int64_t>(i) - static_cast<int64_t>(r);
    phi[i] = std::exp(c * static_cast<double>(x * x));
  }
  const double sum = 0. + pairwise_sum(phi.data(), phi.size());
  std::vector<double> w(r + 1);
  for (uint64_t j = 0; j <= r; ++j) w[j] = phi[r + j] / sum;
  return w;
}

// Per-type conversions between elements and doubles, component by component.
template <class T>
struct Real {
  static constexpr size_t kComponents = 1;
  static constexpr size_t kSize = sizeof(T);
  static double get(const std::byte* p, size_t) {
    if constexpr (std::is_same_v<T, bool>)
      return load<uint8_t>(p) != 0 ? 1.0 : 0.0;
    else
      return static_cast<double>(load<T>(p));
  }
  static void put(std::byte* o, size_t, double v) {
    if constexpr (std::is_same_v<T, bool>) {
      store<uint8_t>(o, std::nearbyint(v) != 0.0);
    } else if constexpr (std::is_floating_point_v<T>) {
      store<T>(o, static_cast<T>(canonical_nan(v)));
    } else {  // integers: round half to even, clip
      const double r = std::nearbyint(v);
      const double lo = static_cast<double>(std::numeric_limits<T>::min());
      const double hi = std::ldexp(1.0, std::numeric_limits<T>::digits);  // max + 1, exact
      T out;
      if (!(r >= lo))  // also NaN, which integer data cannot produce
        out = r < lo ? std::numeric_limits<T>::min() : T{0};
      else if (r >= hi)
        out = std::numeric_limits<T>::max();
      else
        out = static_cast<T>(r);
      store<T>(o, out);
    }
  }
};

struct Half {
  static constexpr size_t kComponents = 1;
  static constexpr size_t kSize = 2;
  static double get(const std::byte* p, size_t) {
    return static_cast<double>(zarr::half_to_float(load<uint16_t>(p)));
  }
  static void put(std::byte* o, size_t, double v) {
    store<uint16_t>(o, double_to_half(canonical_nan(v)));
  }
};

template <class T>
struct Complex {
  static constexpr size_t kComponents = 2;
  static constexpr size_t kSize = 2 * sizeof(T);
  static double get(const std::byte* p, size_t c) {
    return static_cast<double>(load<T>(p + c * sizeof(T)));
  }
  static void put(std::byte* o, size_t c, double v) {
    store<T>(o + c * sizeof(T), static_cast<T>(canonical_nan(v)));
  }
};

// Copies component `comp` of the box [lo, lo + shape) (input coordinates) of `in` into `dst`.
template <class Conv>
void load_box(const Tile& t, const std::byte* in, size_t comp, const zarr::Shape& lo,
              const zarr::Shape& shape, double* dst) {
  const size_t rank = shape.size();
  const size_t last = rank - 1;
  std::vector<uint64_t> stride(rank);
  uint64_t s = Conv::kSize;
  for (size_t d = rank; d-- > 0;) {
    stride[d] = s;
    s *= t.in_shape[d];
  }
  uint64_t rows = 1;
  for (size_t d = 0; d < last; ++d) rows *= shape[d];
  std::vector<uint64_t> k(rank, 0);
  const uint64_t w = shape[last];
  for (uint64_t r = 0; r < rows; ++r) {
    uint64_t off = 0;
    for (size_t d = 0; d < rank; ++d) off += (lo[d] - t.in_start[d] + k[d]) * stride[d];
    const std::byte* p = in + off;
    for (uint64_t i = 0; i < w; ++i) dst[i] = Conv::get(p + i * Conv::kSize, comp);
    dst += w;
    for (size_t d = last; d-- > 0;) {
      if (++k[d] < shape[d]) break;
      k[d] = 0;
    }
  }
}

// Two doubles in one SSE2/NEON register (GCC/Clang vector extension): each lane performs exactly
// the scalar operations, so vector and scalar paths give the same bits (no -ffast-math).
using V2 = double __attribute__((vector_size(16)));

inline V2 load2(const double* p) {
  V2 v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

inline void store2(double* p, V2 v) {
  std::memcpy(p, &v, sizeof v);
}

// One separable pass along `axis`. `src` has `shape`, its axis starting at input coordinate
// `src_lo`; `dst` gets the same shape but `core_len` positions from `core_lo` along the axis.
// Positions beyond the array (size n) take the edge value (mode 'nearest'). Per element, the
// operations are scipy's correlate1d for symmetric weights: x[p]*w0, then += (x[p-j] + x[p+j])*w[j]
// for j = r..1.
void smooth_axis(const double* src, const zarr::Shape& shape, size_t axis, uint64_t src_lo,
                 uint64_t n, uint64_t core_lo, uint64_t core_len, const std::vector<double>& w,
                 double* dst, std::vector<double>& line) {
  const size_t r = w.size() - 1;  // taps either side of the centre
  uint64_t outer = 1, inner = 1;
  for (size_t d = 0; d < axis; ++d) outer *= shape[d];
  for (size_t d = axis + 1; d < shape.size(); ++d) inner *= shape[d];
  const uint64_t len_in = shape[axis];
  std::vector<V2> wv(w.size());
  for (size_t j = 0; j < w.size(); ++j) wv[j] = V2{w[j], w[j]};
  // Source index along the axis of global position g, clamped to the array (mode 'nearest').
  auto src_index = [&](int64_t g) {
    const int64_t c = std::min<int64_t>(std::max<int64_t>(g, 0), static_cast<int64_t>(n) - 1);
    return static_cast<uint64_t>(c) - src_lo;
  };
  if (inner == 1) {  // along contiguous lines: a padded copy of the line, vectorised over p
    line.resize(core_len + 2 * r);
    for (uint64_t o = 0; o < outer; ++o) {
      const double* s = src + o * len_in;
      for (size_t k = 0; k < line.size(); ++k)
        line[k] = s[src_index(static_cast<int64_t>(core_lo + k) - static_cast<int64_t>(r))];
      const double* x = line.data() + r;
      double* out = dst + o * core_len;
      uint64_t p = 0;
      for (; p + 4 <= core_len; p += 4) {
        V2 v0 = load2(x + p) * wv[0], v1 = load2(x + p + 2) * wv[0];
        for (size_t j = r; j > 0; --j) {
          v0 += (load2(x + p - j) + load2(x + p + j)) * wv[j];
          v1 += (load2(x + p + 2 - j) + load2(x + p + 2 + j)) * wv[j];
        }
        store2(out + p, v0);
        store2(out + p + 2, v1);
      }
      for (; p < core_len; ++p) {
        const double* xp = x + p;  // the taps reach r either side, inside the padded line
        double v = xp[0] * w[0];
        for (size_t j = r; j > 0; --j) v += (*(xp - j) + xp[j]) * w[j];
        out[p] = v;
      }
    }
    return;
  }
  // Across lines: whole rows of the inner dimensions at once, taps accumulated in registers.
  std::vector<const double*> left(w.size()), right(w.size());
  for (uint64_t o = 0; o < outer; ++o) {
    const double* s = src + o * len_in * inner;
    for (uint64_t p = 0; p < core_len; ++p) {
      const int64_t g = static_cast<int64_t>(core_lo + p);
      double* out = dst + (o * core_len + p) * inner;
      const double* c = s + src_index(g) * inner;
      for (size_t j = 1; j <= r; ++j) {
        const auto offset = static_cast<int64_t>(j);
        left[j] = s + src_index(g - offset) * inner;
        right[j] = s + src_index(g + offset) * inner;
      }
      uint64_t i = 0;
      for (; i + 4 <= inner; i += 4) {
        V2 v0 = load2(c + i) * wv[0], v1 = load2(c + i + 2) * wv[0];
        for (size_t j = r; j > 0; --j) {
          v0 += (load2(left[j] + i) + load2(right[j] + i)) * wv[j];
          v1 += (load2(left[j] + i + 2) + load2(right[j] + i + 2)) * wv[j];
        }
        store2(out + i, v0);
        store2(out + i + 2, v1);
      }
      for (; i < inner; ++i) {
        double v = c[i] * w[0];
        for (size_t j = r; j > 0; --j) v += (left[j][i] + right[j][i]) * w[j];
        out[i] = v;
      }
    }
  }
}

// Scratch buffers reused by the calls on one thread: the pyramid writer calls the kernel tile after
// tile with similar sizes, and fresh pages are slow. Buffers larger than kKeepBytes are released
// after each call so that a whole-array call does not pin its memory.
struct Scratch {
  static constexpr size_t kKeepBytes = size_t{64} << 20;
  std::vector<double> a, b, line, means, acc;
  void trim() {
    for (auto* v : {&a, &b, &line, &means, &acc})
      if (v->capacity() * sizeof(double) > kKeepBytes) std::vector<double>().swap(*v);
  }
};

Scratch& thread_scratch() {
  thread_local Scratch s;
  return s;
}

template <class Conv>
void gaussian_kernel(const Tile& t, const std::byte* in, std::byte* out) {
  const size_t rank = t.full.size();
  zarr::Shape core_lo(rank), core_shape(rank), ext_lo(rank), ext_shape(rank);
  std::vector<std::vector<double>> weights(rank);
  for (size_t d = 0; d < rank; ++d) {
    const uint64_t r = gaussian_radius(t.factors[d]);
    if (r > 0) weights[d] = gaussian_weights(t.factors[d]);
    const uint64_t lo = t.out_start[d] * t.factors[d];
    const uint64_t hi = std::min((t.out_start[d] + t.out_shape[d]) * t.factors[d], t.full[d]);
    core_lo[d] = lo;
    core_shape[d] = hi - lo;
    ext_lo[d] = lo > r ? lo - r : 0;
    ext_shape[d] = std::min(hi + r, t.full[d]) - ext_lo[d];
  }
  const uint64_t nout = zarr::product(t.out_shape);
  Scratch& sc = thread_scratch();
  auto& a = sc.a;  // the current pass's input; b receives its output, then they swap
  auto& b = sc.b;
  auto& means = sc.means;
  auto& acc = sc.acc;
  resize_for_overwrite(a, zarr::product(ext_shape));
  resize_for_overwrite(b, a.size());
  resize_for_overwrite(means, nout);
  const Tile core{t.full, t.factors, core_lo, core_shape, t.out_start, t.out_shape};
  for (size_t comp = 0; comp < Conv::kComponents; ++comp) {
    load_box<Conv>(t, in, comp, ext_lo, ext_shape, a.data());
    zarr::Shape shape = ext_shape;
    for (size_t d = 0; d < rank; ++d) {
      if (weights[d].empty()) continue;  // factor 1: not smoothed (ext == core on this axis)
      smooth_axis(a.data(), shape, d, ext_lo[d], t.full[d], core_lo[d], core_shape[d], weights[d],
                  b.data(), sc.line);
      shape[d] = core_shape[d];
      std::swap(a, b);
    }
    // Block mean of the smoothed core, summed in C order over each block.
    for_each_output_row(core, sizeof(double), reinterpret_cast<const std::byte*>(a.data()),
                        reinterpret_cast<std::byte*>(means.data()),
                        [&](const std::byte* const* rows, uint64_t nrows, std::byte* orow,
                            uint64_t width, uint64_t f, uint64_t len) {
                          acc.assign(width, 0.0);
                          for (uint64_t r = 0; r < nrows; ++r) {
                            const double* p = reinterpret_cast<const double*>(rows[r]);
                            for (uint64_t j = 0; j < width; ++j) {
                              const uint64_t hi = std::min(j * f + f, len);
                              double s = acc[j];
                              for (uint64_t k = j * f; k < hi; ++k) s += p[k];
                              acc[j] = s;
                            }
                          }
                          double* o = reinterpret_cast<double*>(orow);
                          for (uint64_t j = 0; j < width; ++j) {
                            const uint64_t count = nrows * (std::min(j * f + f, len) - j * f);
                            o[j] = acc[j] / static_cast<double>(count);
                          }
                        });
    for (uint64_t k = 0; k < nout; ++k) Conv::put(out + k * Conv::kSize, comp, means[k]);
  }
  sc.trim();
}

}  // namespace

uint64_t gaussian_radius(uint64_t factor) {
  if (factor <= 1) return 0;
  // scipy's int(truncate * sigma + 0.5), bit for bit (lround differs where x + 0.5 rounds up).
  // NOLINTNEXTLINE(bugprone-incorrect-roundings): scipy's rounding, on purpose
  return static_cast<uint64_t>(4.0 * gaussian_sigma(factor) + 0.5);
}

void downsample_gaussian(const Tile& t, DataType dtype, const std::byte* in, std::byte* out) {
  switch (dtype) {
    case DataType::boolean:
      return gaussian_kernel<Real<bool>>(t, in, out);
    case DataType::int8:
      return gaussian_kernel<Real<int8_t>>(t, in, out);
    case DataType::int16:
      return gaussian_kernel<Real<int16_t>>(t, in, out);
    case DataType::int32:
      return gaussian_kernel<Real<int32_t>>(t, in, out);
    case DataType::int64:
      return gaussian_kernel<Real<int64_t>>(t, in, out);
    case DataType::uint8:
      return gaussian_kernel<Real<uint8_t>>(t, in, out);
    case DataType::uint16:
      return gaussian_kernel<Real<uint16_t>>(t, in, out);
    case DataType::uint32:
      return gaussian_kernel<Real<uint32_t>>(t, in, out);
    case DataType::uint64:
      return gaussian_kernel<Real<uint64_t>>(t, in, out);
    case DataType::float16:
      return gaussian_kernel<Half>(t, in, out);
    case DataType::float32:
      return gaussian_kernel<Real<float>>(t, in, out);
    case DataType::float64:
      return gaussian_kernel<Real<double>>(t, in, out);
    case DataType::complex64:
      return gaussian_kernel<Complex<float>>(t, in, out);
    case DataType::complex128:
      return gaussian_kernel<Complex<double>>(t, in, out);
  }
}

}  // namespace ngff::image::detail
