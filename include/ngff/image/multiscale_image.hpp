// MultiscaleImage: an OME-Zarr image group read as typed metadata plus one lazy SpatialImage per
// pyramid level, each with its own scale and translation.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "ngff/image/spatial_image.hpp"
#include "ngff/ome/image_attributes.hpp"
#include "ngff/zarr/group.hpp"

namespace ngff::image {

class MultiscaleImage {
 public:
  // Opens the image group at `path` (any OME-NGFF 0.1-0.5 image; 0.1-0.3 datasets get the
  // scales their level shapes imply, ome::Multiscale::derive_scales; a bioformats2raw root
  // opens as its first series). `multiscale` picks one
  // of several multiscales. Throws ValidationError naming the JSON path when the metadata is
  // not an image, KeyNotFound when a dataset's array is missing.
  static MultiscaleImage open(const StorePtr& store, std::string_view path = "",
                              size_t multiscale = 0);
  // A bioformats2raw root (ome/bioformats2raw.hpp) opens as its first series.
  static MultiscaleImage open(std::string_view url, size_t multiscale = 0);
  // Opens series `series` of the bioformats2raw root at `path` (0 is also the image itself when
  // `path` is a plain image). Throws UsageError when there is no such series.
  static MultiscaleImage open_series(const StorePtr& store, std::string_view path, size_t series,
                                     size_t multiscale = 0);
  static MultiscaleImage open_series(std::string_view url, size_t series, size_t multiscale = 0);

  const ome::ImageAttributes& attributes() const { return attributes_; }
  ome::Version version() const { return attributes_.version; }
  const ome::Multiscale& multiscale() const { return attributes_.multiscales[index_]; }
  const std::vector<ome::Axis>& axes() const { return multiscale().axes; }
  std::string name() const;
  size_t num_levels() const { return levels_.size(); }
  const SpatialImage& level(size_t i) const { return levels_.at(i); }
  const std::vector<SpatialImage>& levels() const { return levels_; }
  const zarr::Group& group() const { return group_; }
  const zarr::Array& level_array(size_t i) const { return arrays_.at(i); }

  // Names listed by the image's "labels" group (empty when there is none).
  std::vector<std::string> label_names() const;
  MultiscaleImage label(std::string_view name) const;

  // The coarsest level whose scale on every space axis is at most `target` (physical units per
  // voxel, one value per space axis in axis order); level 0 when none is fine enough.
  size_t level_for_resolution(const std::vector<double>& target) const;

 private:
  explicit MultiscaleImage(zarr::Group group) : group_(std::move(group)) {}
  static MultiscaleImage open_group(zarr::Group group, size_t multiscale);
  zarr::Group group_;
  ome::ImageAttributes attributes_;
  size_t index_ = 0;
  std::vector<zarr::Array> arrays_;
  std::vector<SpatialImage> levels_;
};

}  // namespace ngff::image
