// The integer data types as C++ types: code generic over the element type is written once, as a
// template, and the visit here picks its instance for a DataType (instead of a switch per use).
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <type_traits>
#include <utility>

#include "ngff/zarr/dtype.hpp"

namespace ngff::zarr {

namespace detail {

// Calls `f` for the one of the types T whose data type is `t`; false when none is.
template <typename... T, typename F>
bool visit_dtype_among(DataType t, F& f) {
  return ((t == dtype_of<T>() ? (f(std::type_identity<T>{}), true) : false) || ...);
}

}  // namespace detail

// Calls `f(std::type_identity<T>{})` with T the C++ type of the integer data type `t` (int8_t ..
// uint64_t) and returns true; for the other types (boolean, floats, complex) returns false and
// calls nothing.
//   visit_integer_dtype(t, [&]<typename T>(std::type_identity<T>) { sum<T>(data, n); });
template <typename F>
bool visit_integer_dtype(DataType t, F&& f) {
  return detail::visit_dtype_among<int8_t, int16_t, int32_t, int64_t, uint8_t, uint16_t, uint32_t,
                                   uint64_t>(t, f);
}

// The lowest and highest value of an integer data type, as doubles; nullopt for the others.
inline std::optional<std::pair<double, double>> integer_range(DataType t) {
  std::optional<std::pair<double, double>> range;
  visit_integer_dtype(t, [&]<typename T>(std::type_identity<T>) {
    range = {static_cast<double>(std::numeric_limits<T>::min()),
             static_cast<double>(std::numeric_limits<T>::max())};
  });
  return range;
}

}  // namespace ngff::zarr
