// The mode kernel, for label images: the most frequent value of each block, values compared by
// their bits, ties to the smallest value. Each block's values are gathered as order keys, checked
// for the common uniform block, else sorted and scanned for the longest run.
#include <algorithm>
#include <cstdint>
#include <vector>

#include "downsample_internal.hpp"

namespace ngff::image::detail {
namespace {

using zarr::DataType;

// Values become unsigned keys whose order is the tie-break order (numeric for integers,
// IEEE totalOrder for floats, lexicographic for complex) and whose equality is bit equality.

template <class U>
constexpr U kSignBit = U{1} << (sizeof(U) * 8 - 1);

template <class U>
struct UnsignedKey {
  static U key(U b) { return b; }
  static U value(U k) { return k; }
};
template <class U>
struct SignedKey {
  static U key(U b) { return b ^ kSignBit<U>; }
  static U value(U k) { return k ^ kSignBit<U>; }
};
template <class U>
struct FloatKey {
  static U key(U b) {
    return (b & kSignBit<U>) ? static_cast<U>(~b) : static_cast<U>(b | kSignBit<U>);
  }
  static U value(U k) {
    return (k & kSignBit<U>) ? static_cast<U>(k & ~kSignBit<U>) : static_cast<U>(~k);
  }
};

// A scalar element of bits U.
template <class U, class Map>
struct ScalarMode {
  using Key = U;
  static constexpr size_t kSize = sizeof(U);
  static Key key(const std::byte* p) { return Map::key(load<U>(p)); }
  static void put(std::byte* o, Key k) { store<U>(o, Map::value(k)); }
};

// A complex element: (real key, imag key) packed into a key twice as wide.
template <class U, class W>
struct ComplexMode {
  using Key = W;
  static constexpr size_t kSize = 2 * sizeof(U);
  static constexpr int kBits = sizeof(U) * 8;
  static Key key(const std::byte* p) {
    return (static_cast<W>(FloatKey<U>::key(load<U>(p))) << kBits) |
           static_cast<W>(FloatKey<U>::key(load<U>(p + sizeof(U))));
  }
  static void put(std::byte* o, Key k) {
    store<U>(o, FloatKey<U>::value(static_cast<U>(k >> kBits)));
    store<U>(o + sizeof(U), FloatKey<U>::value(static_cast<U>(k)));
  }
};

template <class Ops>
void mode_kernel(const Tile& t, const std::byte* in, std::byte* out) {
  using Key = typename Ops::Key;
  constexpr size_t es = Ops::kSize;
  std::vector<Key> gather;
  std::vector<uint64_t> fill;
  for_each_output_row(t, es, in, out,
                      [&](const std::byte* const* rows, uint64_t nrows, std::byte* orow,
                          uint64_t width, uint64_t f, uint64_t len) {
                        const uint64_t cap = nrows * f;
                        gather.resize(width * cap);
                        fill.assign(width, 0);
                        for (uint64_t r = 0; r < nrows; ++r) {
                          const std::byte* p = rows[r];
                          for (uint64_t j = 0; j < width; ++j) {
                            Key* g = gather.data() + j * cap + fill[j];
                            const uint64_t lo = j * f, hi = std::min(lo + f, len);
                            for (uint64_t k = lo; k < hi; ++k) *g++ = Ops::key(p + k * es);
                            fill[j] += hi - lo;
                          }
                        }
                        for (uint64_t j = 0; j < width; ++j) {
                          Key* g = gather.data() + j * cap;
                          const uint64_t m = fill[j];
                          Key best = g[0];
                          if (!std::all_of(g + 1, g + m, [&](Key k) { return k == best; })) {
                            std::sort(g, g + m);
                            uint64_t best_count = 0;
                            for (uint64_t i = 0; i < m;) {
                              uint64_t e = i + 1;
                              while (e < m && g[e] == g[i]) ++e;
                              if (e - i > best_count) {  // strictly more: ties keep the smaller key
                                best_count = e - i;
                                best = g[i];
                              }
                              i = e;
                            }
                          }
                          Ops::put(orow + j * es, best);
                        }
                      });
}

}  // namespace

void downsample_mode(const Tile& t, DataType dtype, const std::byte* in, std::byte* out) {
  switch (dtype) {
    case DataType::boolean:
    case DataType::uint8:
      return mode_kernel<ScalarMode<uint8_t, UnsignedKey<uint8_t>>>(t, in, out);
    case DataType::uint16:
      return mode_kernel<ScalarMode<uint16_t, UnsignedKey<uint16_t>>>(t, in, out);
    case DataType::uint32:
      return mode_kernel<ScalarMode<uint32_t, UnsignedKey<uint32_t>>>(t, in, out);
    case DataType::uint64:
      return mode_kernel<ScalarMode<uint64_t, UnsignedKey<uint64_t>>>(t, in, out);
    case DataType::int8:
      return mode_kernel<ScalarMode<uint8_t, SignedKey<uint8_t>>>(t, in, out);
    case DataType::int16:
      return mode_kernel<ScalarMode<uint16_t, SignedKey<uint16_t>>>(t, in, out);
    case DataType::int32:
      return mode_kernel<ScalarMode<uint32_t, SignedKey<uint32_t>>>(t, in, out);
    case DataType::int64:
      return mode_kernel<ScalarMode<uint64_t, SignedKey<uint64_t>>>(t, in, out);
    case DataType::float16:
      return mode_kernel<ScalarMode<uint16_t, FloatKey<uint16_t>>>(t, in, out);
    case DataType::float32:
      return mode_kernel<ScalarMode<uint32_t, FloatKey<uint32_t>>>(t, in, out);
    case DataType::float64:
      return mode_kernel<ScalarMode<uint64_t, FloatKey<uint64_t>>>(t, in, out);
    case DataType::complex64:
      return mode_kernel<ComplexMode<uint32_t, uint64_t>>(t, in, out);
    case DataType::complex128:
      return mode_kernel<ComplexMode<uint64_t, unsigned __int128>>(t, in, out);
  }
}

}  // namespace ngff::image::detail
