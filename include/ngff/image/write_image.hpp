// write_image: writes a SpatialImage as an OME-Zarr 0.4 (Zarr v2) or 0.5 (Zarr v3) image with a
// pyramid of levels. Streaming: level 0 is copied from the source block by block, then each level
// is computed from the one before, block by block, so peak memory stays near `memory_budget`
// however large the image; blocks are processed on all cores.
//
// Level metadata is exact: level k's scale is scale_0 * F_k where F_k is the integer product of
// the factors so far (no float drift). Block-reducing methods (mean, gaussian, mode, min, max)
// represent a block by its centre, so their translation is translation_0 + (F_k - 1) / 2 *
// scale_0 = translation_0 + (scale_k - scale_0) / 2; `nearest` keeps the block's first voxel and
// its translation is translation_0.
#pragma once

#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "ngff/image/downsample.hpp"
#include "ngff/image/multiscale_image.hpp"
#include "ngff/image/spatial_image.hpp"
#include "ngff/ome/image_attributes.hpp"
#include "ngff/zarr/codec_spelling.hpp"

namespace ngff::image {

// Every member has a default, so designated initializers name only what they change:
//   write_image(url, data, shape, "zyx", scale, {.levels = 3, .method = DownsampleMethod::mode});
struct WriteImageOptions {
  ome::Version version = ome::Version::v0_5;
  // Levels in all, full resolution included; 0 = until the largest space extent is <= 64.
  size_t levels = 0;
  DownsampleMethod method = DownsampleMethod::mean;
  // Per-axis integer factors between consecutive levels; empty = 2 on space axes, 1 on the others
  // (never on channel or time axes).
  zarr::Shape factors{};
  // Chunk shape of every level; empty = 1 along time/channel and about 1-2 MiB over space.
  zarr::Shape chunks{};
  // Shard shape of level 0 (a multiple of `chunks`; smaller levels get shards clipped to their
  // size); empty = not sharded. Needs OME-Zarr 0.5 (Zarr v3).
  zarr::Shape shards{};
  // Compression spelling (codec_spelling.hpp), or the bytes->bytes codecs as v3 JSON in
  // `compression` (which wins when not empty).
  std::string codec{zarr::kDefaultCodecSpelling};
  Json compression = Json::array();
  std::optional<ome::Omero> omero{};
  // Write as a label image (adds "image-label"; use method mode).
  std::optional<ome::ImageLabel> image_label{};
  bool overwrite = false;
  uint64_t memory_budget = 512ull << 20;
  // Called with (bytes done, bytes total) as blocks complete.
  std::function<void(uint64_t, uint64_t)> progress{};
};

MultiscaleImage write_image(const StorePtr& store, std::string_view path, const SpatialImage& image,
                            const WriteImageOptions& options = {});

// Throws UsageError unless `elements` equals the element count of `shape` (for `url`'s message).
void check_buffer_size(size_t elements, const zarr::Shape& shape, std::string_view url);

// What goes with a buffer that the buffer overloads below cannot infer: the units of the axes
// they make from letters ("" = none) and the image's name in its metadata.
struct BufferMetadata {
  std::string space_unit{};  // e.g. "micrometer"
  std::string time_unit{};   // e.g. "second"
  std::string name = "image";
};

// One call from a caller's buffer, as ngff.write_image in Python: `data` is C-order, native-endian
// voxels of `shape` and `dtype`; `axes` names the dimensions by letters ("czyx": t time, c channel,
// x/y/z space); `scale` is the voxel size per axis (empty = 1). `url` is anything open_store takes
// (a folder, .ozx, s3://...). Throws UsageError when the axes or scale do not match the shape.
//   std::vector<uint16_t> voxels(64 * 512 * 512);
//   ngff::image::write_image("out.ome.zarr", voxels.data(), {64, 512, 512},
//                            ngff::zarr::DataType::uint16, "zyx", {2.0, 0.325, 0.325});
MultiscaleImage write_image(std::string_view url, const void* data, const zarr::Shape& shape,
                            zarr::DataType dtype, std::string_view axes,
                            std::vector<double> scale = {}, const WriteImageOptions& options = {},
                            const BufferMetadata& metadata = {});

// The same for a typed span, whose length must equal the shape's element count:
//   ngff::image::write_image("out.ome.zarr", std::span<const uint16_t>(voxels), {64, 512, 512},
//                            "zyx", {2.0, 0.325, 0.325}, {}, {.space_unit = "micrometer"});
template <typename T>
MultiscaleImage write_image(std::string_view url, std::span<const T> data, const zarr::Shape& shape,
                            std::string_view axes, std::vector<double> scale = {},
                            const WriteImageOptions& options = {},
                            const BufferMetadata& metadata = {}) {
  check_buffer_size(data.size(), shape, url);
  return write_image(url, static_cast<const void*>(data.data()), shape, zarr::dtype_of<T>(), axes,
                     std::move(scale), options, metadata);
}

// Writes what write_image would, except voxels: the group, every level's (empty) array and the
// image attributes, for a caller that fills the levels itself (level 0 from its data, level k
// from level k-1 with downsample_region, e.g. chunk-parallel from dask). `axes`, `scale` and
// `translation` are as for SpatialImage; options.progress and options.memory_budget are unused.
MultiscaleImage create_empty_image(const StorePtr& store, std::string_view path,
                                   const zarr::Shape& shape, zarr::DataType dtype,
                                   std::vector<ome::Axis> axes, std::vector<double> scale,
                                   std::vector<double> translation, std::string name,
                                   const WriteImageOptions& options = {});

// Writes `labels` (integers, same space as the image: each axis one of the image's, with its
// extent or 1) as label image `name` under the image's "labels" group in the image's version,
// and adds it to that group's list. options.image_label carries the "image-label" metadata
// (colors, properties, source; source.image defaults to "../../", and 0.4 gets its "version").
// Without colors, the values present in level 0 (up to 4096, 0 excepted) get distinct colours.
// The pyramid is built with mode or nearest (the default is mode); any other method, a
// non-integer dtype or an axis the image lacks is a UsageError, and nothing is written.
// levels = 0 gives the label image as many levels as the image, and empty factors the image's
// factors between its levels 0 and 1.
//   ome::ImageLabel meta;
//   meta.colors = {{.label_value = 1, .rgba = std::array<uint8_t, 4>{255, 0, 0, 255}}};
//   write_labels(img, "cells", cells, {.levels = 3, .method = DownsampleMethod::mode,
//                                      .image_label = meta});
MultiscaleImage write_labels(const MultiscaleImage& image, std::string_view name,
                             const SpatialImage& labels,
                             WriteImageOptions options = {.method = DownsampleMethod::mode});

// Label voxels (e.g. a buffer_source) in the space of `image`: the axes named `axes` (a subset of
// the image's, in any order) with the image's level-0 types, units, scale and translation.
SpatialImage labels_in_image_space(const MultiscaleImage& image, VoxelSourcePtr voxels,
                                   const std::vector<std::string>& axes);

// What write_labels writes, except voxels (as create_empty_image): the label image's empty
// levels, its metadata, and its name in the labels group; the caller fills the levels.
MultiscaleImage create_empty_labels(const MultiscaleImage& image, std::string_view name,
                                    const zarr::Shape& shape, zarr::DataType dtype,
                                    const std::vector<std::string>& axes,
                                    WriteImageOptions options = {.method = DownsampleMethod::mode});

// Rebuilds levels 1.. of an existing image from its level 0 with new options (levels, method,
// factors); level 0 and the other metadata are kept.
MultiscaleImage rebuild_pyramid(const StorePtr& store, std::string_view path,
                                const WriteImageOptions& options);

// The factors write_image uses by default for these axes.
zarr::Shape default_factors(const std::vector<ome::Axis>& axes);
// The chunk shape write_image uses by default: about 1-2 MiB, each space dimension a multiple of
// `source_unit`'s (what the source decodes at once: TIFF tiles, Zarr chunks) where it is smaller.
zarr::Shape default_image_chunks(const zarr::Shape& shape, const std::vector<ome::Axis>& axes,
                                 zarr::DataType dtype, const zarr::Shape& source_unit = {});

}  // namespace ngff::image
