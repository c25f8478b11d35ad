#include "ngff/image/spatial_image.hpp"

#include <algorithm>
#include <cmath>

#include "ngff/error.hpp"

namespace ngff::image {

SpatialImage::SpatialImage(VoxelSourcePtr source, std::vector<ome::Axis> axes,
                           std::vector<double> scale, std::vector<double> translation,
                           std::string name)
    : source_(std::move(source)),
      axes_(std::move(axes)),
      scale_(std::move(scale)),
      translation_(std::move(translation)),
      name_(std::move(name)) {
  if (!source_) throw UsageError("SpatialImage needs a voxel source");
  size_t n = source_->shape().size();
  if (axes_.size() != n)
    throw UsageError("SpatialImage: " + std::to_string(axes_.size()) + " axes for " +
                     std::to_string(n) + " dimensions");
  if (scale_.empty()) scale_.assign(n, 1.0);
  if (translation_.empty()) translation_.assign(n, 0.0);
  if (scale_.size() != n || translation_.size() != n)
    throw UsageError("SpatialImage: scale and translation need " + std::to_string(n) +
                     " values each");
  for (double s : scale_)
    if (!(s > 0) || !std::isfinite(s)) throw UsageError("SpatialImage: scales must be positive");
}

std::vector<ome::Axis> SpatialImage::axes_from_letters(std::string_view letters,
                                                       std::string_view space_unit,
                                                       std::string_view time_unit) {
  std::vector<ome::Axis> axes;
  for (char c : letters) {
    ome::Axis a;
    a.name = std::string(1, c);
    if (c == 't') {
      a.type = "time";
      if (!time_unit.empty()) a.unit = std::string(time_unit);
    } else if (c == 'c') {
      a.type = "channel";
    } else if (c == 'x' || c == 'y' || c == 'z') {
      a.type = "space";
      if (!space_unit.empty()) a.unit = std::string(space_unit);
    } else {
      throw UsageError("unknown axis letter '" + std::string(1, c) +
                       "' (expected t, c, z, y or x)");
    }
    axes.push_back(std::move(a));
  }
  return axes;
}

std::vector<std::string> SpatialImage::dims() const {
  std::vector<std::string> d;
  for (const auto& a : axes_) d.push_back(a.name);
  return d;
}

void SpatialImage::set_affine(ome::Affine affine, std::string target) {
  if (affine.in_ndim != rank())
    throw UsageError("SpatialImage: an affine of " + std::to_string(affine.in_ndim) +
                     " inputs for " + std::to_string(rank()) + " dimensions");
  affine_ = std::move(affine);
  affine_target_ = std::move(target);
}

size_t SpatialImage::axis_index(std::string_view name) const {
  for (size_t i = 0; i < axes_.size(); ++i)
    if (axes_[i].name == name) return i;
  throw UsageError("no axis named '" + std::string(name) + "'");
}

std::vector<double> SpatialImage::to_physical(const std::vector<double>& index) const {
  if (index.size() != rank()) throw UsageError("to_physical: wrong number of coordinates");
  std::vector<double> p(rank());
  for (size_t d = 0; d < rank(); ++d) p[d] = translation_[d] + index[d] * scale_[d];
  return p;
}

std::vector<double> SpatialImage::to_index(const std::vector<double>& physical) const {
  if (physical.size() != rank()) throw UsageError("to_index: wrong number of coordinates");
  std::vector<double> i(rank());
  for (size_t d = 0; d < rank(); ++d) i[d] = (physical[d] - translation_[d]) / scale_[d];
  return i;
}

zarr::Region SpatialImage::region_for_physical(const std::vector<double>& lo,
                                               const std::vector<double>& hi) const {
  if (lo.size() != rank() || hi.size() != rank())
    throw UsageError("physical bounds need " + std::to_string(rank()) + " values each");
  zarr::Region r{zarr::Shape(rank()), zarr::Shape(rank())};
  for (size_t d = 0; d < rank(); ++d) {
    double n = static_cast<double>(shape()[d]);
    // Small tolerance so that a bound computed in floating point still includes its voxel.
    double first = std::ceil((lo[d] - translation_[d]) / scale_[d] - 1e-9);
    double last = std::floor((hi[d] - translation_[d]) / scale_[d] + 1e-9);
    first = std::clamp(first, 0.0, n);
    last = std::clamp(last + 1, 0.0, n);
    r.start[d] = static_cast<uint64_t>(first);
    r.shape[d] = last > first ? static_cast<uint64_t>(last - first) : 0;
  }
  return r;
}

SpatialImage SpatialImage::crop(const zarr::Region& region) const {
  std::vector<double> t = translation_;
  for (size_t d = 0; d < rank(); ++d) t[d] += static_cast<double>(region.start[d]) * scale_[d];
  SpatialImage out(region_source(source_, region), axes_, scale_, t, name_);
  out.affine_ = affine_;  // in physical coordinates: a crop does not move it
  out.affine_target_ = affine_target_;
  return out;
}

SpatialImage SpatialImage::crop_physical(const std::vector<double>& lo,
                                         const std::vector<double>& hi) const {
  return crop(region_for_physical(lo, hi));
}

}  // namespace ngff::image
