#include "ngff/zarr/region_spelling.hpp"

#include <charconv>
#include <string>
#include <vector>

#include "ngff/error.hpp"
#include "util/strings.hpp"

namespace ngff::zarr {
namespace {

uint64_t parse_uint(std::string_view s, std::string_view whole) {
  uint64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || s.empty())
    throw UsageError("'" + std::string(whole) + "': '" + std::string(s) +
                     "' is not a non-negative integer");
  return v;
}

}  // namespace

Region parse_region(std::string_view text, const Shape& shape) {
  auto parts = split(text, ',');
  if (parts.size() != shape.size())
    throw UsageError("region '" + std::string(text) + "' has " + std::to_string(parts.size()) +
                     " dimensions, the array has " + std::to_string(shape.size()));
  Region r{Shape(shape.size()), Shape(shape.size())};
  for (size_t i = 0; i < parts.size(); ++i) {
    auto bounds = split(parts[i], ':');
    if (bounds.size() == 1) {  // a single index
      r.start[i] = parse_uint(bounds[0], text);
      r.shape[i] = 1;
    } else if (bounds.size() == 2) {
      uint64_t lo = bounds[0].empty() ? 0 : parse_uint(bounds[0], text);
      uint64_t hi = bounds[1].empty() ? shape[i] : parse_uint(bounds[1], text);
      if (hi < lo) throw UsageError("region '" + std::string(text) + "': stop before start");
      r.start[i] = lo;
      r.shape[i] = hi - lo;
    } else {
      throw UsageError("region '" + std::string(text) + "': expected START:STOP per dimension");
    }
  }
  check_region(r, shape);
  return r;
}

Shape parse_shape(std::string_view text) {
  Shape s;
  if (text.empty()) return s;
  for (auto part : split(text, ',')) s.push_back(parse_uint(part, text));
  return s;
}

}  // namespace ngff::zarr
