// Converting whole OME-Zarr images between OME-NGFF 0.4 (Zarr v2) and 0.5 (Zarr v3), with new
// chunks or compression, and optionally a rebuilt pyramid: metadata is mapped, every level and
// label image is re-encoded block by block.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "ngff/image/downsample.hpp"
#include "ngff/ome/version.hpp"
#include "ngff/store/store.hpp"
#include "ngff/zarr/region.hpp"

namespace ngff::image {

struct ConvertImageOptions {
  std::optional<ome::Version> version{};  // default: the source's (0.4 for 0.1-0.3)
  std::optional<zarr::Shape> chunks{};    // default: each level's own (inner chunks when sharded)
  // Shard shape; empty = not sharded; default: each level's own sharding when the output is v3.
  std::optional<zarr::Shape> shards{};
  std::optional<std::string> codec{};  // default: each level's own compression
  // When either is set, only level 0 is copied and the pyramid is rebuilt.
  std::optional<size_t> levels{};
  std::optional<DownsampleMethod> method{};
  bool overwrite = false;
  uint64_t memory_budget = 512ull << 20;
  std::function<void(uint64_t, uint64_t)> progress{};
};

// Whether the group attributes describe an OME-NGFF image (0.4 or 0.5 multiscales).
bool is_ome_image(const Json& group_attributes);

// Converts the image at src/src_path (and its labels) to dst/dst_path.
void convert_image(const StorePtr& src, const std::string& src_path, const StorePtr& dst,
                   const std::string& dst_path, const ConvertImageOptions& options);

}  // namespace ngff::image
