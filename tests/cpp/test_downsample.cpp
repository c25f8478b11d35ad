// The downsampling kernels (ngff/image/downsample.hpp): hand-computed cases per method, and tiled
// downsample_region against whole-array downsample, bit for bit. The numpy/scipy references are
// in tests/python/test_downsample_reference.py.
#include <gtest/gtest.h>

#include <cmath>
#include <complex>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>
#include <vector>

#include "ngff/error.hpp"
#include "ngff/image/downsample.hpp"
#include "zarr/float16.hpp"

using namespace ngff;
using namespace ngff::image;
using ngff::zarr::DataType;
using ngff::zarr::Region;
using ngff::zarr::Shape;

namespace {

constexpr DownsampleMethod kMethods[] = {DownsampleMethod::nearest,  DownsampleMethod::mean,
                                         DownsampleMethod::gaussian, DownsampleMethod::mode,
                                         DownsampleMethod::min,      DownsampleMethod::max};

template <class T>
std::vector<T> ds(const std::vector<T>& in, const Shape& shape, DataType dtype, const Shape& f,
                  DownsampleMethod m) {
  std::vector<T> out(zarr::product(downsampled_shape(shape, f)));
  downsample(reinterpret_cast<const std::byte*>(in.data()), shape, dtype, f, m,
             reinterpret_cast<std::byte*>(out.data()));
  return out;
}

template <class T>
std::vector<T> ds1(const std::vector<T>& in, DataType dtype, uint64_t f, DownsampleMethod m) {
  return ds(in, {in.size()}, dtype, {f}, m);
}

template <class T>
uint64_t bits(T v) {
  uint64_t b = 0;
  std::memcpy(&b, &v, sizeof(T));
  return b;
}

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr float kNaNf = std::numeric_limits<float>::quiet_NaN();

}  // namespace

TEST(Downsample, MethodNames) {
  for (auto m : kMethods) EXPECT_EQ(parse_downsample_method(to_string(m)), m);
  EXPECT_EQ(to_string(DownsampleMethod::gaussian), "gaussian");
  try {
    parse_downsample_method("median");
    FAIL() << "no exception";
  } catch (const UsageError& e) {
    std::string what = e.what();
    EXPECT_NE(what.find("median"), std::string::npos) << what;
    for (auto m : kMethods) EXPECT_NE(what.find(to_string(m)), std::string::npos) << what;
  }
}

TEST(Downsample, ShapesAndHalos) {
  EXPECT_EQ(downsampled_shape({5, 7, 9}, {2, 2, 1}), (Shape{3, 4, 9}));
  EXPECT_EQ(downsampled_shape({3, 0, 8}, {4, 2, 8}), (Shape{1, 0, 1}));
  EXPECT_EQ(downsampled_shape({}, {}), Shape{});
  EXPECT_THROW(downsampled_shape({5, 7}, {2}), UsageError);
  EXPECT_THROW(downsampled_shape({5, 7}, {2, 0}), UsageError);
  EXPECT_EQ(downsample_halo({1, 2, 3, 4}, DownsampleMethod::gaussian), (Shape{0, 3, 4, 5}));
  EXPECT_EQ(downsample_halo({1, 2, 3, 4}, DownsampleMethod::mean), (Shape{0, 0, 0, 0}));
  // output [1:3] of 11 elements by 3: blocks [3, 9), widened by 4 for gaussian, clipped
  Region r = downsample_input_region({{1}, {2}}, {11}, {3}, DownsampleMethod::mean);
  EXPECT_EQ(r.start, Shape{3});
  EXPECT_EQ(r.shape, Shape{6});
  r = downsample_input_region({{1}, {3}}, {11}, {3}, DownsampleMethod::gaussian);
  EXPECT_EQ(r.start, Shape{0});
  EXPECT_EQ(r.shape, Shape{11});
}

TEST(Downsample, NearestTakesTheFirstElementOfEachBlock) {
  std::vector<uint16_t> x(35);
  for (size_t i = 0; i < x.size(); ++i) x[i] = static_cast<uint16_t>(i);
  EXPECT_EQ(ds(x, {5, 7}, DataType::uint16, {2, 3}, DownsampleMethod::nearest),
            (std::vector<uint16_t>{0, 3, 6, 14, 17, 20, 28, 31, 34}));
  std::vector<double> y{kNaN, 1, -0.0, 4};
  auto out = ds1(y, DataType::float64, 2, DownsampleMethod::nearest);
  EXPECT_EQ(bits(out[0]), bits(kNaN));
  EXPECT_EQ(bits(out[1]), bits(-0.0));
}

TEST(Downsample, MeanRoundsHalfToEvenWithPartialBlocks) {
  // [1,2]=1.5->2, [2,3]=2.5->2, [3,4]=3.5->4, [5]=5
  EXPECT_EQ(ds1<uint8_t>({1, 2, 2, 3, 3, 4, 5}, DataType::uint8, 2, DownsampleMethod::mean),
            (std::vector<uint8_t>{2, 2, 4, 5}));
  EXPECT_EQ(ds1<uint8_t>({255, 255, 254}, DataType::uint8, 2, DownsampleMethod::mean),
            (std::vector<uint8_t>{255, 254}));
  // -1.5->-2, -2.5->-2, -0.5->0
  EXPECT_EQ(ds1<int8_t>({-1, -2, -3, -2, -1, 0}, DataType::int8, 2, DownsampleMethod::mean),
            (std::vector<int8_t>{-2, -2, 0}));
  EXPECT_EQ(ds1<int8_t>({-128, -128, 127, 127}, DataType::int8, 2, DownsampleMethod::mean),
            (std::vector<int8_t>{-128, 127}));
  // 2-D, 3x5 by 2x2: blocks of 4, 2 (right column), 2 (bottom row) and 1 element
  std::vector<uint16_t> x{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};
  // [1,2,6,7]=4, [3,4,8,9]=6, [5,10]=7.5->8, [11,12]=11.5->12, [13,14]=13.5->14, [15]
  EXPECT_EQ(ds(x, {3, 5}, DataType::uint16, {2, 2}, DownsampleMethod::mean),
            (std::vector<uint16_t>{4, 6, 8, 12, 14, 15}));
}

TEST(Downsample, MeanOfInt64ExtremesIsExact) {
  constexpr int64_t lo = std::numeric_limits<int64_t>::min();
  constexpr int64_t hi = std::numeric_limits<int64_t>::max();
  EXPECT_EQ(ds1<int64_t>({hi, hi - 1, lo, lo + 1, hi, hi, lo, hi}, DataType::int64, 2,
                         DownsampleMethod::mean),
            (std::vector<int64_t>{hi - 1, lo, hi, 0}));  // ...806.5 -> ...806; -0.5 -> 0
  constexpr uint64_t umax = std::numeric_limits<uint64_t>::max();
  EXPECT_EQ(ds1<uint64_t>({umax, umax - 2, umax, umax - 1, 1, 2}, DataType::uint64, 2,
                          DownsampleMethod::mean),
            (std::vector<uint64_t>{umax - 1, umax - 1, 2}));  // ...-0.5 -> even; 1.5 -> 2
  // 9007199254740993 is not a double: exact integer arithmetic keeps it
  EXPECT_EQ(ds1<int64_t>({9007199254740993, 9007199254740993}, DataType::int64, 2,
                         DownsampleMethod::mean),
            (std::vector<int64_t>{9007199254740993}));
}

TEST(Downsample, MeanOfBoolIsMoreThanHalf) {
  EXPECT_EQ(
      ds1<uint8_t>({1, 0, 1, 1, 0, 1, 0, 0, 0, 1}, DataType::boolean, 2, DownsampleMethod::mean),
      (std::vector<uint8_t>{0, 1, 0, 0, 0}));  // 0.5 rounds to 0 (even)
  EXPECT_EQ(ds1<uint8_t>({1, 1, 0, 1, 0, 0, 1}, DataType::boolean, 3, DownsampleMethod::mean),
            (std::vector<uint8_t>{1, 0, 1}));
}

TEST(Downsample, MeanOfFloatsAndComplex) {
  auto f =
      ds1<float>({1.0f, 2.0f, 3.0f, kNaNf, 5.0f}, DataType::float32, 2, DownsampleMethod::mean);
  EXPECT_EQ(f[0], 1.5f);
  EXPECT_TRUE(std::isnan(f[1]));
  EXPECT_EQ(f[2], 5.0f);
  auto inf = std::numeric_limits<double>::infinity();
  auto d = ds1<double>({inf, 1, inf, -inf, 0.1, 0.2}, DataType::float64, 2, DownsampleMethod::mean);
  EXPECT_EQ(d[0], inf);
  EXPECT_TRUE(std::isnan(d[1]));
  EXPECT_EQ(d[2], (0.1 + 0.2) / 2);
  // a computed NaN is the default quiet NaN, whatever the payloads it came from
  d = ds1<double>({-kNaN, 1, 2, -kNaN}, DataType::float64, 2, DownsampleMethod::mean);
  EXPECT_EQ(bits(d[0]), bits(kNaN));
  EXPECT_EQ(bits(d[1]), bits(kNaN));
  // float16: 1.0, 2.0 -> 1.5 (0x3e00); 65504 (max), 65504 -> 65504
  EXPECT_EQ(
      ds1<uint16_t>({0x3c00, 0x4000, 0x7bff, 0x7bff}, DataType::float16, 2, DownsampleMethod::mean),
      (std::vector<uint16_t>{0x3e00, 0x7bff}));
  auto c = ds1<std::complex<float>>({{1, 2}, {3, -4}, {0.5f, 0}}, DataType::complex64, 2,
                                    DownsampleMethod::mean);
  EXPECT_EQ(c[0], std::complex<float>(2, -1));
  EXPECT_EQ(c[1], std::complex<float>(0.5f, 0));
}

TEST(Downsample, MinAndMax) {
  EXPECT_EQ(ds1<int16_t>({3, -7, 2, 9, 5}, DataType::int16, 2, DownsampleMethod::min),
            (std::vector<int16_t>{-7, 2, 5}));
  EXPECT_EQ(ds1<int16_t>({3, -7, 2, 9, 5}, DataType::int16, 2, DownsampleMethod::max),
            (std::vector<int16_t>{3, 9, 5}));
  constexpr uint64_t umax = std::numeric_limits<uint64_t>::max();
  EXPECT_EQ(ds1<uint64_t>({umax, 0, 1}, DataType::uint64, 3, DownsampleMethod::max),
            (std::vector<uint64_t>{umax}));
  // NaN anywhere in the block wins, as np.min/np.max
  for (auto m : {DownsampleMethod::min, DownsampleMethod::max}) {
    auto out = ds1<double>({1, kNaN, 0, 2, -1, 5}, DataType::float64, 3, m);
    EXPECT_TRUE(std::isnan(out[0]));
    EXPECT_EQ(out[1], m == DownsampleMethod::min ? -1 : 5);
    auto f = ds1<float>({1, 2, kNaNf}, DataType::float32, 3, m);
    EXPECT_TRUE(std::isnan(f[0]));
  }
  // float16: -2.0 (0xc000) < -0.0 == 0.0 < 1.0 (0x3c00) < inf; NaN (0x7e00) propagates
  EXPECT_EQ(ds1<uint16_t>({0x3c00, 0xc000, 0x8000, 0x7c00, 0x0000, 0x7e00}, DataType::float16, 2,
                          DownsampleMethod::min),
            (std::vector<uint16_t>{0xc000, 0x8000, 0x7e00}));
  EXPECT_EQ(ds1<uint16_t>({0x3c00, 0xc000, 0x8000, 0x7c00, 0x0000, 0x7e00}, DataType::float16, 2,
                          DownsampleMethod::max),
            (std::vector<uint16_t>{0x3c00, 0x7c00, 0x7e00}));
  std::vector<std::complex<float>> c(4);
  EXPECT_THROW(ds1(c, DataType::complex64, 2, DownsampleMethod::min), UsageError);
  EXPECT_THROW(ds1(c, DataType::complex64, 2, DownsampleMethod::max), UsageError);
}

TEST(Downsample, ModeTakesTheMostFrequentValueAndTheSmallestOnTies) {
  EXPECT_EQ(ds1<uint32_t>({2, 2, 1, 1, 3, 2, 3, 3, 7}, DataType::uint32, 4, DownsampleMethod::mode),
            (std::vector<uint32_t>{1, 3, 7}));
  EXPECT_EQ(ds1<int8_t>({5, -1, 5, -1, -128, 127}, DataType::int8, 4, DownsampleMethod::mode),
            (std::vector<int8_t>{-1, -128}));
  EXPECT_EQ(ds1<uint8_t>({1, 0, 1, 1, 0, 0}, DataType::boolean, 2, DownsampleMethod::mode),
            (std::vector<uint8_t>{0, 1, 0}));
  // 3x3 labels by 2x2: blocks [1,2,1,2]->1, [3,3]->3, [4,5]->4, [6]->6
  EXPECT_EQ(ds<uint16_t>({1, 2, 3, 1, 2, 3, 5, 4, 6}, {3, 3}, DataType::uint16, {2, 2},
                         DownsampleMethod::mode),
            (std::vector<uint16_t>{1, 3, 4, 6}));
  // floats are compared by bits: -0.0 and 0.0 differ, and -0.0 is the smaller on a tie
  auto f =
      ds1<double>({0.0, -0.0, 0.0, 0.0, -0.0, 1.0}, DataType::float64, 3, DownsampleMethod::mode);
  EXPECT_EQ(bits(f[0]), bits(0.0));
  EXPECT_EQ(bits(f[1]), bits(-0.0));
  double nan2;
  uint64_t nb = bits(kNaN) | 1;
  std::memcpy(&nan2, &nb, 8);
  f = ds1<double>({kNaN, nan2, nan2, 1.0, 1.0, kNaN}, DataType::float64, 3, DownsampleMethod::mode);
  EXPECT_EQ(bits(f[0]), bits(nan2));
  EXPECT_EQ(bits(f[1]), bits(1.0));
  // ties: +NaN sorts after everything, -NaN before (IEEE totalOrder)
  f = ds1<double>({kNaN, 1.0, -kNaN, 1.0}, DataType::float64, 2, DownsampleMethod::mode);
  EXPECT_EQ(bits(f[0]), bits(1.0));
  EXPECT_EQ(bits(f[1]), bits(-kNaN));
  auto c = ds1<std::complex<double>>({{1, 2}, {1, 1}, {0, 5}, {1, 1}, {0, 5}}, DataType::complex128,
                                     5, DownsampleMethod::mode);
  EXPECT_EQ(c[0], std::complex<double>(0, 5));  // tie: (0, 5) < (1, 1)
}

TEST(Downsample, GaussianMatchesScipy) {
  // scipy.ndimage.gaussian_filter(arange(9.)**2, 2/3, mode='nearest', truncate=4), block means
  std::vector<double> x(9);
  for (size_t i = 0; i < x.size(); ++i) x[i] = static_cast<double>(i * i);
  auto g = ds1(x, DataType::float64, 2, DownsampleMethod::gaussian);
  std::vector<double> expected{0.8281514293512159, 6.9420176464857395, 20.942029630580052,
                               42.884905901069736, 60.89974157797841};
  ASSERT_EQ(g.size(), expected.size());
  for (size_t i = 0; i < g.size(); ++i) EXPECT_NEAR(g[i], expected[i], 1e-12) << i;
  // 3x5 by (1, 3): axis 0 is not smoothed, axis 1 with sigma 1
  std::vector<double> y(15, 0.0);
  y[7] = 100;
  auto h = ds(y, {3, 5}, DataType::float64, {1, 3}, DownsampleMethod::gaussian);
  const double a = 5.399112742070441, b = 24.19714456566007, c = 39.894346935609775;
  std::vector<double> e2{0, 0, (a + b + c) / 3, (b + a) / 2, 0, 0};
  for (size_t i = 0; i < h.size(); ++i) EXPECT_NEAR(h[i], e2[i], 1e-12) << i;
  // the same as uint8: 23.16... -> 23, 14.798... -> 15
  std::vector<uint8_t> u(15, 0);
  u[7] = 100;
  EXPECT_EQ(ds(u, {3, 5}, DataType::uint8, {1, 3}, DownsampleMethod::gaussian),
            (std::vector<uint8_t>{0, 0, 23, 15, 0, 0}));
}

TEST(Downsample, GaussianKeepsConstantsAndSaturates) {
  EXPECT_EQ(
      ds1<uint8_t>(std::vector<uint8_t>(13, 255), DataType::uint8, 4, DownsampleMethod::gaussian),
      std::vector<uint8_t>(4, 255));
  constexpr int64_t hi = std::numeric_limits<int64_t>::max();
  EXPECT_EQ(
      ds1<int64_t>(std::vector<int64_t>(7, hi), DataType::int64, 2, DownsampleMethod::gaussian),
      std::vector<int64_t>(4, hi));  // 2^63 as a double: clipped
  constexpr uint64_t umax = std::numeric_limits<uint64_t>::max();
  EXPECT_EQ(ds1<uint64_t>(std::vector<uint64_t>(5, umax), DataType::uint64, 3,
                          DownsampleMethod::gaussian),
            std::vector<uint64_t>(2, umax));
  EXPECT_EQ(ds1<uint8_t>({1, 1, 1, 1, 0, 0, 0}, DataType::boolean, 2, DownsampleMethod::gaussian),
            (std::vector<uint8_t>{1, 1, 0, 0}));
  // factors of 1 everywhere: nothing is smoothed, every method is a copy
  std::vector<float> x{1.5f, -2.25f, 3, 4, 5, 6};
  for (auto m : kMethods) EXPECT_EQ(ds(x, {2, 3}, DataType::float32, {1, 1}, m), x);
}

TEST(Downsample, ZeroDimensionalAndEmptyArrays) {
  for (auto m : kMethods) {
    EXPECT_EQ(ds<int32_t>({-42}, {}, DataType::int32, {}, m), std::vector<int32_t>{-42});
    EXPECT_TRUE(ds<int32_t>({}, {3, 0}, DataType::int32, {2, 2}, m).empty());
  }
}

TEST(Downsample, RegionChecksItsInput) {
  std::vector<uint8_t> in(20), out(10);
  auto* i = reinterpret_cast<const std::byte*>(in.data());
  auto* o = reinterpret_cast<std::byte*>(out.data());
  // output [2:4] of 10 by 2 needs input [4:8]; gaussian needs [1:11] clipped to [1:10]
  EXPECT_NO_THROW(downsample_region(i, {{4}, {4}}, {20}, DataType::uint8, {2},
                                    DownsampleMethod::mean, {{2}, {2}}, o));
  EXPECT_THROW(downsample_region(i, {{5}, {4}}, {20}, DataType::uint8, {2}, DownsampleMethod::mean,
                                 {{2}, {2}}, o),
               UsageError);
  EXPECT_THROW(downsample_region(i, {{4}, {4}}, {20}, DataType::uint8, {2},
                                 DownsampleMethod::gaussian, {{2}, {2}}, o),
               UsageError);
  EXPECT_NO_THROW(downsample_region(i, {{1}, {10}}, {20}, DataType::uint8, {2},
                                    DownsampleMethod::gaussian, {{2}, {2}}, o));
  EXPECT_THROW(downsample_region(i, {{0}, {20}}, {20}, DataType::uint8, {2}, DownsampleMethod::mean,
                                 {{9}, {2}}, o),
               UsageError);  // output outside the 10 output elements
  EXPECT_THROW(downsample_region(i, {{0}, {21}}, {20}, DataType::uint8, {2}, DownsampleMethod::mean,
                                 {{0}, {2}}, o),
               UsageError);  // input box outside the array
}

namespace {

// Random data of a type: mostly finite values with a sprinkling of NaN for floats, so that
// bit-equality is meaningful; few distinct values for mode.
std::vector<std::byte> downsample_test_data(DataType t, uint64_t n, DownsampleMethod m,
                                            std::mt19937_64& rng) {
  const size_t es = zarr::dtype_size(t);
  std::vector<std::byte> data(n * es);
  std::uniform_real_distribution<double> real(-1000, 1000);
  for (uint64_t i = 0; i < n; ++i) {
    std::byte* p = data.data() + i * es;
    const uint64_t r = rng();
    switch (zarr::dtype_kind(t)) {
      case zarr::DataTypeKind::boolean:
        *p = static_cast<std::byte>(r & 1);
        break;
      case zarr::DataTypeKind::signed_int:
      case zarr::DataTypeKind::unsigned_int: {
        uint64_t v = m == DownsampleMethod::mode ? r % 3 : r;
        std::memcpy(p, &v, es);  // little-endian low bytes; any bits are a valid integer
        break;
      }
      default: {
        const size_t comps = zarr::dtype_kind(t) == zarr::DataTypeKind::complex ? 2 : 1;
        const size_t cs = es / comps;
        for (size_t c = 0; c < comps; ++c) {
          double v = m == DownsampleMethod::mode ? static_cast<double>(rng() % 3) : real(rng);
          if (rng() % (m == DownsampleMethod::gaussian ? 97 : 29) == 0) v = -kNaN;
          if (cs == 2) {
            uint16_t h = zarr::float_to_half(static_cast<float>(v));
            std::memcpy(p + c * cs, &h, 2);
          } else if (cs == 4) {
            float f = static_cast<float>(v);
            std::memcpy(p + c * cs, &f, 4);
          } else {
            std::memcpy(p + c * cs, &v, 8);
          }
        }
      }
    }
  }
  return data;
}

}  // namespace

TEST(Downsample, RegionsAreBitIdenticalToTheWholeArray) {
  std::mt19937_64 rng(20240611);
  const DataType types[] = {DataType::boolean,   DataType::int8,      DataType::uint16,
                            DataType::int32,     DataType::int64,     DataType::uint64,
                            DataType::float16,   DataType::float32,   DataType::float64,
                            DataType::complex64, DataType::complex128};
  int checked = 0;
  for (int trial = 0; trial < 40; ++trial) {
    const auto rank = static_cast<size_t>(1 + trial % 5);
    Shape shape(rank), factors(rank);
    for (size_t d = 0; d < rank; ++d) {
      shape[d] = 1 + rng() % (rank <= 2 ? 23 : rank == 3 ? 11 : 6);
      factors[d] = 1 + rng() % 4;
    }
    const Shape out_shape = downsampled_shape(shape, factors);
    for (DataType t : types) {
      for (auto m : kMethods) {
        if ((m == DownsampleMethod::min || m == DownsampleMethod::max) &&
            zarr::dtype_kind(t) == zarr::DataTypeKind::complex)
          continue;
        const size_t es = zarr::dtype_size(t);
        auto in = downsample_test_data(t, zarr::product(shape), m, rng);
        std::vector<std::byte> whole(zarr::product(out_shape) * es);
        downsample(in.data(), shape, t, factors, m, whole.data());
        // a grid of output tiles of a random shape, each from its input box widened at random
        Shape tile(rank);
        for (size_t d = 0; d < rank; ++d) tile[d] = 1 + rng() % out_shape[d];
        std::vector<std::byte> tiled(whole.size(), std::byte{0xee});
        Shape idx(rank, 0);
        while (true) {
          Region o{Shape(rank), Shape(rank)};
          for (size_t d = 0; d < rank; ++d) {
            o.start[d] = idx[d] * tile[d];
            o.shape[d] = std::min(tile[d], out_shape[d] - o.start[d]);
          }
          Region r = downsample_input_region(o, shape, factors, m);
          for (size_t d = 0; d < rank; ++d) {
            const uint64_t lo_extra = std::min<uint64_t>(rng() % 3, r.start[d]);
            const uint64_t hi_extra =
                std::min<uint64_t>(rng() % 3, shape[d] - r.start[d] - r.shape[d]);
            r.start[d] -= lo_extra;
            r.shape[d] += lo_extra + hi_extra;
          }
          std::vector<std::byte> tin(r.num_elements() * es), tout(o.num_elements() * es);
          zarr::copy_box(in.data(), shape, r.start, tin.data(), r.shape, Shape(rank, 0), r.shape,
                         es);
          downsample_region(tin.data(), r, shape, t, factors, m, o, tout.data());
          zarr::copy_box(tout.data(), o.shape, Shape(rank, 0), tiled.data(), out_shape, o.start,
                         o.shape, es);
          size_t d = rank;
          while (d-- > 0) {
            if (++idx[d] * tile[d] < out_shape[d]) break;
            idx[d] = 0;
          }
          if (d == static_cast<size_t>(-1)) break;
        }
        ASSERT_EQ(std::memcmp(tiled.data(), whole.data(), whole.size()), 0)
            << to_string(m) << " " << zarr::dtype_name(t) << " rank " << rank << " trial " << trial;
        ++checked;
      }
    }
  }
  EXPECT_GT(checked, 1000);
}
