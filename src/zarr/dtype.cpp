#include "ngff/zarr/dtype.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <cstring>
#include <utility>

#include "ngff/error.hpp"

namespace ngff::zarr {
namespace {

struct DataTypeInfo {
  DataType type;
  std::string_view name;
  char v2_kind;  // numpy kind letter
  size_t size;
};

constexpr std::array<DataTypeInfo, 14> kTypes{{
    {DataType::boolean, "bool", 'b', 1},
    {DataType::int8, "int8", 'i', 1},
    {DataType::int16, "int16", 'i', 2},
    {DataType::int32, "int32", 'i', 4},
    {DataType::int64, "int64", 'i', 8},
    {DataType::uint8, "uint8", 'u', 1},
    {DataType::uint16, "uint16", 'u', 2},
    {DataType::uint32, "uint32", 'u', 4},
    {DataType::uint64, "uint64", 'u', 8},
    {DataType::float16, "float16", 'f', 2},
    {DataType::float32, "float32", 'f', 4},
    {DataType::float64, "float64", 'f', 8},
    {DataType::complex64, "complex64", 'c', 8},
    {DataType::complex128, "complex128", 'c', 16},
}};

const DataTypeInfo& info(DataType t) {
  return kTypes[static_cast<size_t>(t)];
}

}  // namespace

size_t dtype_size(DataType t) {
  return info(t).size;
}

DataTypeKind dtype_kind(DataType t) {
  switch (info(t).v2_kind) {
    case 'b':
      return DataTypeKind::boolean;
    case 'i':
      return DataTypeKind::signed_int;
    case 'u':
      return DataTypeKind::unsigned_int;
    case 'f':
      return DataTypeKind::floating;
    default:
      return DataTypeKind::complex;
  }
}

size_t dtype_component_size(DataType t) {
  return dtype_kind(t) == DataTypeKind::complex ? dtype_size(t) / 2 : dtype_size(t);
}

std::string_view dtype_name(DataType t) {
  return info(t).name;
}

DataType dtype_from_name(std::string_view name) {
  for (const auto& i : kTypes)
    if (i.name == name) return i.type;
  throw MetadataError("unsupported data type '" + std::string(name) +
                      "' (expected bool, int8..int64, uint8..uint64, float16/32/64, "
                      "complex64/128)");
}

V2DataType dtype_from_v2(std::string_view typestr) {
  auto fail = [&]() -> V2DataType {
    throw MetadataError("unsupported v2 dtype '" + std::string(typestr) +
                        "' (expected a numeric type string like '<u2', '|b1', '>f8')");
  };
  if (typestr.size() < 3) return fail();
  char order = typestr[0];
  char kind = typestr[1];
  size_t size = 0;
  for (char c : typestr.substr(2)) {
    if (c < '0' || c > '9') return fail();
    size = size * 10 + static_cast<size_t>(c - '0');
    if (size > 64) return fail();
  }
  if (order != '<' && order != '>' && order != '|' && order != '=') return fail();
  for (const auto& i : kTypes) {
    if (i.v2_kind == kind && i.size == size) {
      Endian e = size == 1 || order == '|' ? Endian::not_applicable
                 : order == '<'            ? Endian::little
                 : order == '>'            ? Endian::big
                                           : native_endian();
      if (order == '|' && size > 1) return fail();
      return {i.type, e};
    }
  }
  return fail();
}

std::string dtype_to_v2(DataType t, Endian endian) {
  const auto& i = info(t);
  char order = i.size == 1 ? '|' : endian == Endian::big ? '>' : '<';
  return std::string(1, order) + i.v2_kind + std::to_string(i.size);
}

Endian native_endian() {
  return std::endian::native == std::endian::little ? Endian::little : Endian::big;
}

void byteswap_elements(void* data, size_t count, DataType t) {
  size_t comp = dtype_component_size(t);
  size_t n = count * (dtype_size(t) / comp);
  auto* p = static_cast<uint8_t*>(data);
  switch (comp) {
    case 1:
      return;
    case 2: {
      for (size_t i = 0; i < n; ++i) std::swap(p[2 * i], p[2 * i + 1]);
      return;
    }
    case 4: {
      for (size_t i = 0; i < n; ++i) {
        uint32_t v;
        std::memcpy(&v, p + 4 * i, 4);
        v = __builtin_bswap32(v);
        std::memcpy(p + 4 * i, &v, 4);
      }
      return;
    }
    case 8: {
      for (size_t i = 0; i < n; ++i) {
        uint64_t v;
        std::memcpy(&v, p + 8 * i, 8);
        v = __builtin_bswap64(v);
        std::memcpy(p + 8 * i, &v, 8);
      }
      return;
    }
    default:
      return;
  }
}

}  // namespace ngff::zarr
