#include "ngff/zarr/fill_value.hpp"

#include <cmath>
#include <complex>
#include <cstring>
#include <limits>

#include "ngff/error.hpp"
#include "zarr/float16.hpp"

namespace ngff::zarr {
namespace {

[[noreturn]] void fail(std::string_view where, const Json& j, DataType t, std::string_view why) {
  throw MetadataError(std::string(where) + ": invalid fill_value " + j.dump() + " for data type " +
                      std::string(dtype_name(t)) + " (" + std::string(why) + ")");
}

template <typename T>
void put(Bytes& out, T v) {
  out.resize(sizeof(T));
  std::memcpy(out.data(), &v, sizeof(T));
}

template <typename T>
T get(const void* p) {
  T v;
  std::memcpy(&v, p, sizeof(T));
  return v;
}

// A float component: number, "NaN", "Infinity", "-Infinity" or (v3) a hex bit pattern whose
// width matches the component. Writes `width` bytes at `out`.
void parse_float(const Json& j, size_t width, int zarr_format, std::byte* out,
                 std::string_view where, DataType t) {
  double d;
  if (j.is_number()) {
    d = j.get<double>();
  } else if (j.is_string()) {
    std::string s = j.get<std::string>();
    if (s == "NaN") {
      d = std::numeric_limits<double>::quiet_NaN();
    } else if (s == "Infinity") {
      d = std::numeric_limits<double>::infinity();
    } else if (s == "-Infinity") {
      d = -std::numeric_limits<double>::infinity();
    } else if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') && zarr_format == 3) {
      if (s.size() != 2 + 2 * width) fail(where, j, t, "hex pattern of the wrong width");
      uint64_t bits = 0;
      for (char c : s.substr(2)) {
        int v = std::isdigit(static_cast<unsigned char>(c)) ? c - '0'
                : (c >= 'a' && c <= 'f')                    ? c - 'a' + 10
                : (c >= 'A' && c <= 'F')                    ? c - 'A' + 10
                                                            : -1;
        if (v < 0) fail(where, j, t, "bad hex digit");
        bits = (bits << 4) | static_cast<uint64_t>(v);
      }
      if (width == 2) {
        uint16_t b = static_cast<uint16_t>(bits);
        std::memcpy(out, &b, 2);
      } else if (width == 4) {
        uint32_t b = static_cast<uint32_t>(bits);
        std::memcpy(out, &b, 4);
      } else {
        std::memcpy(out, &bits, 8);
      }
      return;
    } else {
      fail(where, j, t,
           zarr_format == 3 ? "expected a number, \"NaN\", \"Infinity\", \"-Infinity\" or hex bits"
                            : "expected a number, \"NaN\", \"Infinity\" or \"-Infinity\"");
    }
  } else {
    fail(where, j, t, "expected a number");
  }
  if (width == 2) {
    uint16_t h = float_to_half(static_cast<float>(d));
    std::memcpy(out, &h, 2);
  } else if (width == 4) {
    float f = static_cast<float>(d);
    std::memcpy(out, &f, 4);
  } else {
    std::memcpy(out, &d, 8);
  }
}

template <typename T>
void parse_int(const Json& j, Bytes& out, std::string_view where, DataType t) {
  if (j.is_number_integer()) {
    if constexpr (std::is_signed_v<T>) {
      if (j.is_number_unsigned() &&
          j.get<uint64_t>() > static_cast<uint64_t>(std::numeric_limits<T>::max()))
        fail(where, j, t, "out of range");
      int64_t v = j.get<int64_t>();
      if (v < std::numeric_limits<T>::min() || v > std::numeric_limits<T>::max())
        fail(where, j, t, "out of range");
      put(out, static_cast<T>(v));
    } else {
      if (!j.is_number_unsigned() && j.get<int64_t>() < 0) fail(where, j, t, "negative");
      uint64_t v = j.get<uint64_t>();
      if (v > std::numeric_limits<T>::max()) fail(where, j, t, "out of range");
      put(out, static_cast<T>(v));
    }
    return;
  }
  // Some writers store integral fill values of integer arrays as floats (0.0).
  if (j.is_number_float()) {
    double d = j.get<double>();
    if (std::floor(d) == d && d >= static_cast<double>(std::numeric_limits<T>::min()) &&
        d <= static_cast<double>(std::numeric_limits<T>::max())) {
      put(out, static_cast<T>(d));
      return;
    }
  }
  fail(where, j, t, "expected an integer");
}

Json float_to_json(double d) {
  if (std::isnan(d)) return "NaN";
  if (std::isinf(d)) return d > 0 ? "Infinity" : "-Infinity";
  return d;
}

}  // namespace

FillValue FillValue::from_json(const Json& j, DataType t, int zarr_format, std::string_view where) {
  FillValue fv;
  fv.json_ = j;
  if (j.is_null()) {
    if (zarr_format == 3) fail(where, j, t, "null is not allowed in Zarr v3");
    fv.undefined_ = true;
    fv.element_.assign(dtype_size(t), std::byte{0});
    return fv;
  }
  Bytes& out = fv.element_;
  switch (t) {
    case DataType::boolean:
      if (j.is_boolean()) {
        put<uint8_t>(out, j.get<bool>() ? 1 : 0);
      } else if (j.is_number_integer() && (j.get<int64_t>() == 0 || j.get<int64_t>() == 1)) {
        put<uint8_t>(out, static_cast<uint8_t>(j.get<int64_t>()));
      } else {
        fail(where, j, t, "expected true or false");
      }
      break;
    case DataType::int8:
      parse_int<int8_t>(j, out, where, t);
      break;
    case DataType::int16:
      parse_int<int16_t>(j, out, where, t);
      break;
    case DataType::int32:
      parse_int<int32_t>(j, out, where, t);
      break;
    case DataType::int64:
      parse_int<int64_t>(j, out, where, t);
      break;
    case DataType::uint8:
      parse_int<uint8_t>(j, out, where, t);
      break;
    case DataType::uint16:
      parse_int<uint16_t>(j, out, where, t);
      break;
    case DataType::uint32:
      parse_int<uint32_t>(j, out, where, t);
      break;
    case DataType::uint64:
      parse_int<uint64_t>(j, out, where, t);
      break;
    case DataType::float16:
    case DataType::float32:
    case DataType::float64:
      out.resize(dtype_size(t));
      parse_float(j, dtype_size(t), zarr_format, out.data(), where, t);
      break;
    case DataType::complex64:
    case DataType::complex128: {
      size_t w = dtype_component_size(t);
      out.resize(2 * w);
      if (j.is_array() && j.size() == 2) {
        parse_float(j[0], w, zarr_format, out.data(), where, t);
        parse_float(j[1], w, zarr_format, out.data() + w, where, t);
      } else if (j.is_number() || j.is_string()) {
        parse_float(j, w, zarr_format, out.data(), where, t);
        parse_float(Json(0.0), w, zarr_format, out.data() + w, where, t);
      } else {
        fail(where, j, t, "expected [real, imaginary]");
      }
      break;
    }
  }
  return fv;
}

Json element_to_json(const void* element, DataType t) {
  switch (t) {
    case DataType::boolean:
      return get<uint8_t>(element) != 0;
    case DataType::int8:
      return get<int8_t>(element);
    case DataType::int16:
      return get<int16_t>(element);
    case DataType::int32:
      return get<int32_t>(element);
    case DataType::int64:
      return get<int64_t>(element);
    case DataType::uint8:
      return get<uint8_t>(element);
    case DataType::uint16:
      return get<uint16_t>(element);
    case DataType::uint32:
      return get<uint32_t>(element);
    case DataType::uint64:
      return get<uint64_t>(element);
    case DataType::float16:
      return float_to_json(static_cast<double>(half_to_float(get<uint16_t>(element))));
    case DataType::float32:
      return float_to_json(static_cast<double>(get<float>(element)));
    case DataType::float64:
      return float_to_json(get<double>(element));
    case DataType::complex64: {
      auto* b = static_cast<const std::byte*>(element);
      return Json::array({float_to_json(static_cast<double>(get<float>(b))),
                          float_to_json(static_cast<double>(get<float>(b + 4)))});
    }
    case DataType::complex128: {
      auto* b = static_cast<const std::byte*>(element);
      return Json::array({float_to_json(get<double>(b)), float_to_json(get<double>(b + 8))});
    }
  }
  return nullptr;
}

FillValue FillValue::from_element(const void* element, DataType t) {
  FillValue fv;
  auto* b = static_cast<const std::byte*>(element);
  fv.element_.assign(b, b + dtype_size(t));
  fv.json_ = element_to_json(element, t);
  return fv;
}

FillValue FillValue::zero(DataType t) {
  Bytes z(dtype_size(t), std::byte{0});
  return from_element(z.data(), t);
}

FillValue FillValue::undefined(DataType t) {
  FillValue fv = zero(t);
  fv.undefined_ = true;
  fv.json_ = nullptr;
  return fv;
}

bool FillValue::fills(ByteView data) const {
  size_t w = element_.size();
  if (w == 0 || data.size() % w != 0) return false;
  const std::byte* e = element_.data();
  // Compare 8 bytes at a time against a repeated pattern when possible.
  if (w == 1 || w == 2 || w == 4 || w == 8) {
    uint64_t pattern = 0;
    for (size_t i = 0; i < 8; ++i) reinterpret_cast<std::byte*>(&pattern)[i] = e[i % w];
    size_t n = data.size() / 8;
    const std::byte* p = data.data();
    for (size_t i = 0; i < n; ++i) {
      uint64_t v;
      std::memcpy(&v, p + 8 * i, 8);
      if (v != pattern) return false;
    }
    for (size_t i = n * 8; i < data.size(); ++i)
      if (data[i] != e[i % w]) return false;
    return true;
  }
  for (size_t i = 0; i < data.size(); i += w)
    if (std::memcmp(data.data() + i, e, w) != 0) return false;
  return true;
}

}  // namespace ngff::zarr
