// One entry point for what `ngff convert` and Python's ngff.convert do: from URLs, whatever the
// source is — a TIFF / OME-TIFF (or a folder or glob of 2-D TIFFs), an OME-Zarr image, plate,
// well or bioformats2raw root, or any Zarr array or group tree — with one set of options.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ngff/image/downsample.hpp"
#include "ngff/ome/version.hpp"
#include "ngff/zarr/region.hpp"

namespace ngff::image {

struct ConvertRequest {
  std::optional<ome::Version> version{};  // OME-Zarr output version; default: the source's
  std::optional<int> zarr_format{};       // 2 or 3; must agree with `version` when both are set
  std::optional<size_t> levels{};         // rebuild the pyramid with this many levels
  std::optional<DownsampleMethod> method{};
  std::optional<zarr::Shape> chunks{};
  std::optional<zarr::Shape> shards{};  // empty shape: not sharded
  std::optional<std::string> codec{};   // codec spelling, e.g. "zstd:3"
  bool overwrite = false;
  uint64_t memory_budget = 256ull << 20;
  std::optional<size_t> series{};  // TIFF input: only this series
  char stack_axis = 'z';           // TIFF input: the axis pages / files are stacked along
  std::function<void(uint64_t, uint64_t)> progress{};  // (bytes done, bytes total)
};

struct ConvertResult {
  std::string source;  // "tiff", "ome-zarr" or "zarr"
  std::string kind;    // "image", "plate", "well", "bioformats2raw", or "zarr" for plain Zarr
  size_t images = 0;   // multiscale images written (series, fields), label images not counted
  size_t labels = 0;
  size_t groups = 0;
  size_t arrays = 0;               // plain Zarr: arrays written
  std::vector<std::string> notes;  // what was not converted (TIFF reduced-resolution pages, ...)
};

// Converts `src_url` to `dst_url` (a path, .ozx, or s3://). Options that do not apply to the
// source (levels/method for plain Zarr, series/stack_axis for non-TIFF) are a UsageError. On
// failure nothing is left that looks complete: the library erases what it wrote, and a local
// destination folder that did not exist before is removed.
ConvertResult convert(std::string_view src_url, std::string_view dst_url,
                      const ConvertRequest& request);

}  // namespace ngff::image
