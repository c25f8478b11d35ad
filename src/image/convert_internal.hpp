// The steps of convert_image that the whole-hierarchy conversion (convert_hierarchy.cpp) repeats
// for every image of a plate or bioformats2raw root.
#pragma once

#include <string>

#include "ngff/image/convert_image.hpp"
#include "ngff/image/multiscale_image.hpp"

namespace ngff::image::detail {

// Bytes done over the bytes of everything the conversion reads, reported to options.progress.
struct ConvertProgress {
  const ConvertImageOptions& options;
  uint64_t total = 0, done = 0;
  void add(uint64_t bytes) {
    done += bytes;
    if (options.progress) options.progress(done, total);
  }
};

// The voxel bytes of every level of `img` and of its label images (opening each label checks it).
uint64_t image_bytes(const MultiscaleImage& img);

// Writes `img` and its label images to dst/dst_path in the options' version (default: the
// image's); returns the number of label images written.
size_t convert_image_tree(const MultiscaleImage& img, const StorePtr& dst,
                          const std::string& dst_path, const ConvertImageOptions& options,
                          ConvertProgress& progress);

}  // namespace ngff::image::detail
