// SpatialImage: *persistent metadata*. Voxels never travel alone: a lazy voxel
// source goes with its axes (names, types, units), per-axis scale and translation and a name,
// through every read, crop, write and pyramid level. Physical coordinate of index i along axis d:
//   translation[d] + i * scale[d]   (the centre of voxel i, as in OME-NGFF)
// An OME-NGFF 0.6 image may also map these coordinates (its intrinsic coordinate system) on to
// another system by an affine (a multiscale-level transformation with a closed form): affine()
// and affine_target() carry it, crops and pyramid levels keep it.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "ngff/image/voxel_source.hpp"
#include "ngff/ome/axes.hpp"
#include "ngff/ome/coordinate_transformations.hpp"

namespace ngff::image {

class SpatialImage {
 public:
  SpatialImage() = default;
  // `axes`, `scale` and `translation` must have one entry per dimension of `source` (scale
  // defaults to 1, translation to 0 when empty). Throws UsageError on mismatches.
  SpatialImage(VoxelSourcePtr source, std::vector<ome::Axis> axes, std::vector<double> scale = {},
               std::vector<double> translation = {}, std::string name = "image");

  // Axes named by a string of one-letter names ("tczyx"): t is time, c channel, x/y/z space.
  static std::vector<ome::Axis> axes_from_letters(std::string_view letters,
                                                  std::string_view space_unit = "",
                                                  std::string_view time_unit = "");

  const VoxelSourcePtr& source() const { return source_; }
  const zarr::Shape& shape() const { return source_->shape(); }
  zarr::DataType dtype() const { return source_->dtype(); }
  size_t rank() const { return axes_.size(); }
  const std::vector<ome::Axis>& axes() const { return axes_; }
  std::vector<std::string> dims() const;
  const std::vector<double>& scale() const { return scale_; }
  const std::vector<double>& translation() const { return translation_; }
  const std::string& name() const { return name_; }
  void set_name(std::string name) { name_ = std::move(name); }
  // The affine from the physical coordinates above to the coordinate system affine_target()
  // (nullopt when the metadata has none). set_affine throws UsageError unless it maps rank()
  // inputs.
  const std::optional<ome::Affine>& affine() const { return affine_; }
  const std::string& affine_target() const { return affine_target_; }
  void set_affine(ome::Affine affine, std::string target);
  // The index of the axis called `name`, or throws UsageError.
  size_t axis_index(std::string_view name) const;

  // Index <-> physical coordinates (voxel centres).
  std::vector<double> to_physical(const std::vector<double>& index) const;
  std::vector<double> to_index(const std::vector<double>& physical) const;
  // The voxels whose centres lie in [lo, hi] per axis (physical units), clipped to the image.
  zarr::Region region_for_physical(const std::vector<double>& lo,
                                   const std::vector<double>& hi) const;

  // Reads voxels (C order, native byte order).
  void read(const zarr::Region& region, void* out) const { source_->read(region, out); }
  // A lazy crop that keeps the metadata consistent: translation moves with the region start.
  SpatialImage crop(const zarr::Region& region) const;
  SpatialImage crop_physical(const std::vector<double>& lo, const std::vector<double>& hi) const;

 private:
  VoxelSourcePtr source_;
  std::vector<ome::Axis> axes_;
  std::vector<double> scale_, translation_;
  std::string name_ = "image";
  std::optional<ome::Affine> affine_;
  std::string affine_target_;
};

}  // namespace ngff::image
