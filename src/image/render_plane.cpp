#include "image/render_plane.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

#include "ngff/error.hpp"
#include "zarr/float16.hpp"
#include "zarr/integer_dtype.hpp"

namespace ngff::image {
namespace {

// Each element of a native-order buffer of `dtype` as a double.
template <typename T>
void widen(const std::byte* in, size_t n, double* out) {
  for (size_t i = 0; i < n; ++i) {
    T v;
    std::memcpy(&v, in + i * sizeof(T), sizeof(T));
    out[i] = static_cast<double>(v);
  }
}

void to_doubles(zarr::DataType dtype, const std::byte* in, size_t n, double* out) {
  if (zarr::visit_integer_dtype(dtype,
                                [&]<typename T>(std::type_identity<T>) { widen<T>(in, n, out); }))
    return;
  using zarr::DataType;
  switch (dtype) {
    case DataType::boolean:
      return widen<uint8_t>(in, n, out);
    case DataType::float16:
      for (size_t i = 0; i < n; ++i) {
        uint16_t h;
        std::memcpy(&h, in + i * 2, 2);
        out[i] = static_cast<double>(zarr::half_to_float(h));
      }
      return;
    case DataType::float32:
      return widen<float>(in, n, out);
    case DataType::float64:
      return widen<double>(in, n, out);
    default:
      throw UsageError("cannot render " + std::string(zarr::dtype_name(dtype)) + " data");
  }
}

bool named(const ome::Axis& a, std::string_view name) {
  return a.name == name;
}

}  // namespace

PlaneAxes plane_axes(const std::vector<ome::Axis>& axes) {
  PlaneAxes p;
  std::vector<size_t> space;
  for (size_t i = 0; i < axes.size(); ++i) {
    const std::string type = axes[i].type.value_or("");
    if (type == "space" ||
        (type.empty() && (named(axes[i], "x") || named(axes[i], "y") || named(axes[i], "z"))))
      space.push_back(i);
    else if (type == "time" || (type.empty() && named(axes[i], "t")))
      p.t = i;
    else if (type == "channel" || (type.empty() && named(axes[i], "c")))
      p.c = i;
  }
  if (space.size() < 2) throw UsageError("cannot render an image without two space axes (y and x)");
  p.y = space[space.size() - 2];
  p.x = space.back();
  if (space.size() >= 3) p.z = space[space.size() - 3];
  return p;
}

std::vector<double> read_plane(const SpatialImage& level, const PlaneAxes& axes,
                               const zarr::Region& yx, const PlaneIndex& at) {
  const size_t n = yx.shape[0] * yx.shape[1];
  zarr::Region r{zarr::Shape(level.rank(), 0), zarr::Shape(level.rank(), 1)};
  r.start[axes.y] = yx.start[0];
  r.shape[axes.y] = yx.shape[0];
  r.start[axes.x] = yx.start[1];
  r.shape[axes.x] = yx.shape[1];
  if (axes.t) r.start[*axes.t] = at.t;
  if (axes.c) r.start[*axes.c] = at.c;
  uint64_t z_begin = 0, z_end = 1;
  if (axes.z) {
    z_begin = at.z.value_or(0);
    z_end = at.z ? z_begin + 1 : level.shape()[*axes.z];
  }
  const size_t esize = zarr::dtype_size(level.dtype());
  // A MIP reads up to 64 MiB of planes at a time: whole chunks along z, not one plane per read.
  const uint64_t slab = std::max<uint64_t>(1, (64u << 20) / std::max<size_t>(1, n * esize));
  std::vector<double> out(n, -std::numeric_limits<double>::infinity());
  std::vector<double> values;
  Bytes buffer;
  for (uint64_t z = z_begin; z < z_end; z += slab) {
    const uint64_t planes = std::min(slab, z_end - z);
    if (axes.z) {
      r.start[*axes.z] = z;
      r.shape[*axes.z] = planes;
    }
    buffer.resize(n * planes * esize);
    level.read(r, buffer.data());
    values.resize(n * planes);
    to_doubles(level.dtype(), buffer.data(), values.size(), values.data());
    // The z axis comes before y and x, so each plane is a contiguous run of n values.
    for (uint64_t k = 0; k < planes; ++k)
      for (size_t i = 0; i < n; ++i) out[i] = std::max(out[i], values[k * n + i]);
  }
  return out;
}

uint64_t map_index(const SpatialImage& from, const SpatialImage& to, size_t d, double i) {
  const double physical = from.translation()[d] + i * from.scale()[d];
  const double j = std::round((physical - to.translation()[d]) / to.scale()[d]);
  const double last = static_cast<double>(to.shape()[d]) - 1;
  return static_cast<uint64_t>(std::clamp(j, 0.0, std::max(0.0, last)));
}

zarr::Region map_box(const SpatialImage& from, const SpatialImage& to, const PlaneAxes& from_axes,
                     const PlaneAxes& to_axes, const zarr::Region& box) {
  zarr::Region out{{0, 0}, {0, 0}};
  const size_t fd[2] = {from_axes.y, from_axes.x};
  const size_t td[2] = {to_axes.y, to_axes.x};
  for (size_t k = 0; k < 2; ++k) {
    // The outer edges of the box, then the voxels of `to` whose centres fall between them.
    auto edge = [&](double i) {
      const double physical = from.translation()[fd[k]] + (i - 0.5) * from.scale()[fd[k]];
      return (physical - to.translation()[td[k]]) / to.scale()[td[k]] + 0.5;
    };
    const double extent = static_cast<double>(to.shape()[td[k]]);
    const double lo = std::clamp(std::round(edge(static_cast<double>(box.start[k]))), 0.0, extent);
    double hi =
        std::clamp(std::round(edge(static_cast<double>(box.start[k] + box.shape[k]))), 0.0, extent);
    // Never empty: a box smaller than one voxel of `to` still reads the voxel it lies in.
    if (hi <= lo) hi = std::min(extent, lo + 1);
    const double first = hi > lo ? lo : std::max(0.0, hi - 1);
    out.start[k] = static_cast<uint64_t>(first);
    out.shape[k] = static_cast<uint64_t>(hi - first);
  }
  return out;
}

}  // namespace ngff::image
