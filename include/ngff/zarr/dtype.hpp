// Zarr numeric data types. v2 type strings ("<u2", "|b1", ">f8") and v3 names ("uint16", "bool")
// map onto one enum; byte order is a separate property (v2: in the type string; v3: the `bytes`
// codec's `endian`). In memory ngff always holds elements in the machine's native byte order.
#pragma once

#include <complex>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>

namespace ngff::zarr {

enum class DataType {
  boolean,
  int8,
  int16,
  int32,
  int64,
  uint8,
  uint16,
  uint32,
  uint64,
  float16,
  float32,
  float64,
  complex64,
  complex128,
};

enum class Endian { little, big, not_applicable };

enum class DataTypeKind { boolean, signed_int, unsigned_int, floating, complex };

// Size in bytes of one element.
size_t dtype_size(DataType t);
DataTypeKind dtype_kind(DataType t);
// The size of one scalar component: the element size, or half of it for complex types. Byte
// swapping works per component.
size_t dtype_component_size(DataType t);

// v3 name: "uint16".
std::string_view dtype_name(DataType t);
// Throws MetadataError for unknown names.
DataType dtype_from_name(std::string_view name);

// v2 type strings.
struct V2DataType {
  DataType type;
  Endian endian;
};
V2DataType dtype_from_v2(std::string_view typestr);
std::string dtype_to_v2(DataType t, Endian endian);

Endian native_endian();

// The DataType of a C++ element type: dtype_of<uint16_t>() == DataType::uint16. (float16 has no
// standard C++ type; pass DataType::float16 explicitly.)
template <typename T>
constexpr DataType dtype_of() {
  if constexpr (std::is_same_v<T, bool>)
    return DataType::boolean;
  else if constexpr (std::is_same_v<T, int8_t>)
    return DataType::int8;
  else if constexpr (std::is_same_v<T, int16_t>)
    return DataType::int16;
  else if constexpr (std::is_same_v<T, int32_t>)
    return DataType::int32;
  else if constexpr (std::is_same_v<T, int64_t>)
    return DataType::int64;
  else if constexpr (std::is_same_v<T, uint8_t>)
    return DataType::uint8;
  else if constexpr (std::is_same_v<T, uint16_t>)
    return DataType::uint16;
  else if constexpr (std::is_same_v<T, uint32_t>)
    return DataType::uint32;
  else if constexpr (std::is_same_v<T, uint64_t>)
    return DataType::uint64;
  else if constexpr (std::is_same_v<T, float>)
    return DataType::float32;
  else if constexpr (std::is_same_v<T, double>)
    return DataType::float64;
  else if constexpr (std::is_same_v<T, std::complex<float>>)
    return DataType::complex64;
  else if constexpr (std::is_same_v<T, std::complex<double>>)
    return DataType::complex128;
  else
    static_assert(sizeof(T) == 0, "no Zarr data type for this element type");
}

// Reverses the byte order of `count` elements in place (per component for complex types).
void byteswap_elements(void* data, size_t count, DataType t);

}  // namespace ngff::zarr
