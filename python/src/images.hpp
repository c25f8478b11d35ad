// The handles ngff._ngff.Level and ngff._ngff.Image: a level of an OME-Zarr image (its voxels,
// axes and transformations) and the multiscale image. images.cpp binds them; the writers in
// module.cpp return an Image.
#pragma once

#include "binding.hpp"

namespace ngff::python {

struct PyLevel {
  image::SpatialImage image;
  zarr::Array array;
  std::string path;
  std::string image_url;  // for pickling: the image group and the level's index
  size_t index = 0;

  NumpyArray read(const std::vector<uint64_t>& start, const std::vector<uint64_t>& shape) const;
};

struct PyImage {
  std::shared_ptr<image::MultiscaleImage> image;

  // `series` picks a series of a bioformats2raw root (0 for a plain image).
  static PyImage open(const std::string& url, size_t series);
  std::vector<PyLevel> levels() const;
  static PyLevel open_level(const std::string& url, size_t index);
  PyImage label(const std::string& name) const;
};

}  // namespace ngff::python
