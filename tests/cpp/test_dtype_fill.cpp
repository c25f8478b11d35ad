#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>

#include "ngff/error.hpp"
#include "ngff/zarr/dtype.hpp"
#include "ngff/zarr/fill_value.hpp"
#include "zarr/float16.hpp"

using namespace ngff;
using namespace ngff::zarr;

TEST(DataType, V2StringsMapToTypesAndEndians) {
  EXPECT_EQ(dtype_from_v2("<u2").type, DataType::uint16);
  EXPECT_EQ(dtype_from_v2("<u2").endian, Endian::little);
  EXPECT_EQ(dtype_from_v2(">i8").endian, Endian::big);
  EXPECT_EQ(dtype_from_v2("|b1").type, DataType::boolean);
  EXPECT_EQ(dtype_from_v2("|u1").endian, Endian::not_applicable);
  EXPECT_EQ(dtype_from_v2("<c16").type, DataType::complex128);
  EXPECT_EQ(dtype_from_v2("<f2").type, DataType::float16);
  EXPECT_EQ(dtype_to_v2(DataType::uint16, Endian::big), ">u2");
  EXPECT_EQ(dtype_to_v2(DataType::boolean, Endian::little), "|b1");
  for (const char* bad : {"<U10", "|O", "<u3", "uint16", "", "<f", "|u2", "<M8[ns]"})
    EXPECT_THROW(dtype_from_v2(bad), MetadataError) << bad;
}

TEST(DataType, V3NamesRoundTrip) {
  for (int i = 0; i <= static_cast<int>(DataType::complex128); ++i) {
    auto t = static_cast<DataType>(i);
    EXPECT_EQ(dtype_from_name(dtype_name(t)), t);
    auto v2 = dtype_from_v2(dtype_to_v2(t, Endian::big));
    EXPECT_EQ(v2.type, t);
  }
  EXPECT_THROW(dtype_from_name("string"), MetadataError);
}

TEST(DataType, ByteSwapIsPerComponent) {
  uint32_t v[2] = {0x01020304u, 0x05060708u};  // one complex64 element
  byteswap_elements(v, 1, DataType::complex64);
  EXPECT_EQ(v[0], 0x04030201u);
  EXPECT_EQ(v[1], 0x08070605u);
}

TEST(Float16, ConversionsMatchIeee) {
  EXPECT_EQ(float_to_half(1.0f), 0x3c00);
  EXPECT_EQ(float_to_half(-2.0f), 0xc000);
  EXPECT_EQ(float_to_half(65504.0f), 0x7bff);
  EXPECT_EQ(float_to_half(1e6f), 0x7c00);
  EXPECT_EQ(float_to_half(5.960464477539063e-08f), 0x0001);  // smallest subnormal
  EXPECT_TRUE(std::isnan(half_to_float(0x7e00)));
  for (uint32_t h = 0; h < 0x10000; ++h) {
    if ((h & 0x7c00) == 0x7c00 && (h & 0x3ff)) continue;  // NaNs
    EXPECT_EQ(float_to_half(half_to_float(static_cast<uint16_t>(h))), h);
  }
}

namespace {
template <typename T>
T element_as(const FillValue& f) {
  T v;
  std::memcpy(&v, f.element().data(), sizeof(T));
  return v;
}
}  // namespace

TEST(FillValue, SpecEncodings) {
  EXPECT_TRUE(
      std::isnan(element_as<float>(FillValue::from_json("NaN", DataType::float32, 3, "t"))));
  EXPECT_EQ(element_as<double>(FillValue::from_json("-Infinity", DataType::float64, 3, "t")),
            -INFINITY);
  auto hex = FillValue::from_json("0x7fc00001", DataType::float32, 3, "t");
  uint32_t bits = element_as<uint32_t>(hex);
  EXPECT_EQ(bits, 0x7fc00001u) << "hex keeps the exact NaN payload";
  EXPECT_EQ(element_as<uint16_t>(FillValue::from_json(1.0, DataType::float16, 3, "t")), 0x3c00);
  EXPECT_EQ(element_as<int16_t>(FillValue::from_json(-7, DataType::int16, 3, "t")), -7);
  EXPECT_EQ(
      element_as<uint64_t>(FillValue::from_json(18446744073709551615ull, DataType::uint64, 3, "t")),
      UINT64_MAX);
  EXPECT_EQ(element_as<uint8_t>(FillValue::from_json(true, DataType::boolean, 3, "t")), 1);
  auto c = FillValue::from_json(Json::array({1.5, "NaN"}), DataType::complex64, 3, "t");
  EXPECT_EQ(element_as<float>(c), 1.5f);
  EXPECT_TRUE(FillValue::from_json(nullptr, DataType::int32, 2, "t").is_undefined());
}

TEST(FillValue, JsonIsKeptAndCanonicalFormIsSpecCompliant) {
  Json j = "0x7fc00000";
  EXPECT_EQ(FillValue::from_json(j, DataType::float32, 3, "t").json(), j);
  float nan = NAN;
  EXPECT_EQ(FillValue::from_element(&nan, DataType::float32).json(), "NaN");
  double inf = std::numeric_limits<double>::infinity();
  EXPECT_EQ(FillValue::from_element(&inf, DataType::float64).json(), "Infinity");
}

TEST(FillValue, BadValuesNameTheDocument) {
  EXPECT_THROW(FillValue::from_json(300, DataType::uint8, 3, "x"), MetadataError);
  EXPECT_THROW(FillValue::from_json(-1, DataType::uint32, 3, "x"), MetadataError);
  EXPECT_THROW(FillValue::from_json(nullptr, DataType::uint8, 3, "x"), MetadataError);
  EXPECT_THROW(FillValue::from_json("0x7fc0", DataType::float32, 3, "x"), MetadataError);
  EXPECT_THROW(FillValue::from_json("nan", DataType::float32, 3, "x"), MetadataError);
  EXPECT_THROW(FillValue::from_json(1.5, DataType::int32, 3, "x"), MetadataError);
  try {
    FillValue::from_json("oops", DataType::float64, 3, "file:///a/zarr.json");
    FAIL();
  } catch (const MetadataError& e) {
    EXPECT_NE(std::string(e.what()).find("file:///a/zarr.json"), std::string::npos);
  }
}

TEST(FillValue, FillsDetectsUniformChunks) {
  uint16_t v = 7;
  auto f = FillValue::from_element(&v, DataType::uint16);
  std::vector<uint16_t> data(1001, 7);
  EXPECT_TRUE(f.fills(ByteView(reinterpret_cast<std::byte*>(data.data()), data.size() * 2)));
  data[1000] = 8;
  EXPECT_FALSE(f.fills(ByteView(reinterpret_cast<std::byte*>(data.data()), data.size() * 2)));
  float nan = NAN;
  auto fn = FillValue::from_element(&nan, DataType::float32);
  std::vector<float> nans(10, NAN);
  EXPECT_TRUE(fn.fills(ByteView(reinterpret_cast<std::byte*>(nans.data()), 40)));
}
