// Reading one y/x plane of an image level for ngff::image::render: the axes found by type and
// name, a box of the plane read at a fixed t, channel and z (or the maximum over z) as doubles,
// and the mapping of indices between levels through physical coordinates.
#pragma once

#include <optional>
#include <vector>

#include "ngff/image/spatial_image.hpp"
#include "ngff/zarr/region.hpp"

namespace ngff::image {

// Which axis is which: t (type "time"), c (type "channel"), and of the space axes the last two
// are y and x, a third before them z. Other axes are read at index 0.
struct PlaneAxes {
  std::optional<size_t> t, c, z;
  size_t y = 0, x = 0;
};
// Throws UsageError when there are fewer than two space (or unnamed-type y/x) axes.
PlaneAxes plane_axes(const std::vector<ome::Axis>& axes);

// Where one plane is: t, c and z indices (nullopt z: the maximum over every z).
struct PlaneIndex {
  uint64_t t = 0, c = 0;
  std::optional<uint64_t> z;
};

// The box `yx` ({y, x} start and shape) of the plane, row-major, as doubles. MIPs read z in
// slabs of bounded size. Throws UsageError for complex data.
std::vector<double> read_plane(const SpatialImage& level, const PlaneAxes& axes,
                               const zarr::Region& yx, const PlaneIndex& at);

// The index along axis `d` of `to` nearest to index `i` of `from` (same physical position),
// clamped to `to`'s extent.
uint64_t map_index(const SpatialImage& from, const SpatialImage& to, size_t d, double i);

// The box of `to` covering the voxels `box` ({y, x}) of `from` (their outer edges), clipped.
zarr::Region map_box(const SpatialImage& from, const SpatialImage& to, const PlaneAxes& from_axes,
                     const PlaneAxes& to_axes, const zarr::Region& box);

}  // namespace ngff::image
