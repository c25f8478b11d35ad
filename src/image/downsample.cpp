// The public entry points of the downsampling kernels: names, shapes, halos, the validation of a
// tile's geometry and the dispatch to the kernels in downsample_blocks.cpp and
// downsample_gaussian.cpp.
#include "ngff/image/downsample.hpp"

#include <algorithm>
#include <array>
#include <cstring>
#include <string>

#include "downsample_internal.hpp"
#include "ngff/error.hpp"

namespace ngff::image {
namespace {

constexpr std::array<std::pair<DownsampleMethod, std::string_view>, 6> kMethods{{
    {DownsampleMethod::nearest, "nearest"},
    {DownsampleMethod::mean, "mean"},
    {DownsampleMethod::gaussian, "gaussian"},
    {DownsampleMethod::mode, "mode"},
    {DownsampleMethod::min, "min"},
    {DownsampleMethod::max, "max"},
}};

std::string shape_text(const zarr::Shape& s) {
  std::string t = "(";
  for (size_t i = 0; i < s.size(); ++i) t += (i ? ", " : "") + std::to_string(s[i]);
  return t + ")";
}

void check_factors(const zarr::Shape& shape, const zarr::Shape& factors) {
  if (factors.size() != shape.size())
    throw UsageError("downsampling factors " + shape_text(factors) + " have " +
                     std::to_string(factors.size()) + " dimensions, the array " +
                     shape_text(shape) + " has " + std::to_string(shape.size()));
  for (auto f : factors)
    if (f == 0) throw UsageError("downsampling factors " + shape_text(factors) + " must be >= 1");
}

void check_method(zarr::DataType dtype, DownsampleMethod method) {
  if ((method == DownsampleMethod::min || method == DownsampleMethod::max) &&
      zarr::dtype_kind(dtype) == zarr::DataTypeKind::complex)
    throw UsageError("downsampling method '" + std::string(to_string(method)) +
                     "' is not defined for complex data type " +
                     std::string(zarr::dtype_name(dtype)));
}

bool contains(const zarr::Region& outer, const zarr::Region& inner) {
  for (size_t d = 0; d < inner.rank(); ++d)
    if (inner.start[d] < outer.start[d] ||
        inner.start[d] + inner.shape[d] > outer.start[d] + outer.shape[d])
      return false;
  return true;
}

}  // namespace

DownsampleMethod parse_downsample_method(std::string_view name) {
  std::string valid;
  for (const auto& [m, n] : kMethods) {
    if (n == name) return m;
    valid += (valid.empty() ? "" : ", ") + std::string(n);
  }
  throw UsageError("unknown downsampling method '" + std::string(name) + "' (valid: " + valid +
                   ")");
}

std::string_view to_string(DownsampleMethod method) {
  for (const auto& [m, n] : kMethods)
    if (m == method) return n;
  return "unknown";
}

zarr::Shape downsampled_shape(const zarr::Shape& in_shape, const zarr::Shape& factors) {
  check_factors(in_shape, factors);
  zarr::Shape out(in_shape.size());
  for (size_t d = 0; d < in_shape.size(); ++d)
    out[d] = in_shape[d] / factors[d] + (in_shape[d] % factors[d] != 0);
  return out;
}

zarr::Shape downsample_halo(const zarr::Shape& factors, DownsampleMethod method) {
  zarr::Shape halo(factors.size(), 0);
  if (method == DownsampleMethod::gaussian)
    for (size_t d = 0; d < factors.size(); ++d) halo[d] = detail::gaussian_radius(factors[d]);
  return halo;
}

zarr::Region downsample_input_region(const zarr::Region& out_region, const zarr::Shape& full_shape,
                                     const zarr::Shape& factors, DownsampleMethod method) {
  zarr::check_region(out_region, downsampled_shape(full_shape, factors));
  const size_t rank = full_shape.size();
  zarr::Region r{zarr::Shape(rank, 0), zarr::Shape(rank, 0)};
  if (out_region.num_elements() == 0) return r;
  const zarr::Shape halo = downsample_halo(factors, method);
  for (size_t d = 0; d < rank; ++d) {
    const uint64_t lo = out_region.start[d] * factors[d];
    const uint64_t hi =
        std::min((out_region.start[d] + out_region.shape[d]) * factors[d], full_shape[d]);
    const uint64_t ext_lo = lo > halo[d] ? lo - halo[d] : 0;
    const uint64_t ext_hi = std::min(hi + halo[d], full_shape[d]);
    r.start[d] = ext_lo;
    r.shape[d] = ext_hi - ext_lo;
  }
  return r;
}

void downsample_region(const std::byte* in, const zarr::Region& in_region,
                       const zarr::Shape& full_shape, zarr::DataType dtype,
                       const zarr::Shape& factors, DownsampleMethod method,
                       const zarr::Region& out_region, std::byte* out) {
  check_method(dtype, method);
  zarr::check_region(in_region, full_shape);
  const zarr::Region needed = downsample_input_region(out_region, full_shape, factors, method);
  if (out_region.num_elements() == 0) return;
  if (!contains(in_region, needed))
    throw UsageError("downsampling output " + out_region.to_string() + " needs input " +
                     needed.to_string() + ", which the input box " + in_region.to_string() +
                     " does not contain");
  if (full_shape.empty()) {  // 0-d: a copy
    std::memcpy(out, in, zarr::dtype_size(dtype));
    return;
  }
  detail::Tile t{full_shape,      factors,          in_region.start,
                 in_region.shape, out_region.start, out_region.shape};
  switch (method) {
    case DownsampleMethod::nearest:
      return detail::downsample_nearest(t, dtype, in, out);
    case DownsampleMethod::mean:
      return detail::downsample_mean(t, dtype, in, out);
    case DownsampleMethod::min:
      return detail::downsample_minmax(t, dtype, false, in, out);
    case DownsampleMethod::max:
      return detail::downsample_minmax(t, dtype, true, in, out);
    case DownsampleMethod::mode:
      return detail::downsample_mode(t, dtype, in, out);
    case DownsampleMethod::gaussian:
      return detail::downsample_gaussian(t, dtype, in, out);
  }
  throw UsageError("unknown downsampling method");
}

void downsample(const std::byte* in, const zarr::Shape& in_shape, zarr::DataType dtype,
                const zarr::Shape& factors, DownsampleMethod method, std::byte* out) {
  const zarr::Shape out_shape = downsampled_shape(in_shape, factors);
  downsample_region(in, zarr::Region::whole(in_shape), in_shape, dtype, factors, method,
                    zarr::Region::whole(out_shape), out);
}

}  // namespace ngff::image
