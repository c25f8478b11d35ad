// Converting whole OME-Zarr images, plates and bioformats2raw roots between OME-NGFF 0.4 (Zarr v2)
// and 0.5 (Zarr v3), with new chunks or compression, and optionally a rebuilt pyramid: metadata
// is mapped, every level and label image is re-encoded block by block.
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
  // When either is set, only level 0 is copied and the pyramid is rebuilt. Label images are
  // rebuilt with mode unless the method is nearest; a label image converted on its own takes
  // only mode or nearest (UsageError otherwise).
  std::optional<size_t> levels{};
  std::optional<DownsampleMethod> method{};
  bool overwrite = false;
  uint64_t memory_budget = 512ull << 20;
  // (bytes done, bytes total) over the whole conversion (every image of a plate or series).
  std::function<void(uint64_t, uint64_t)> progress{};
};

// Whether the group attributes describe an OME-NGFF image (0.4 or 0.5 multiscales).
bool is_ome_image(const Json& group_attributes);

// Converts the image at src/src_path (and its labels) to dst/dst_path.
void convert_image(const StorePtr& src, const std::string& src_path, const StorePtr& dst,
                   const std::string& dst_path, const ConvertImageOptions& options);

// What convert_ome found and wrote.
struct ConvertSummary {
  std::string kind;   // "image", "plate", "well" or "bioformats2raw"
  size_t images = 0;  // multiscale images (plate fields, series), label images not counted
  size_t labels = 0;  // label images
  size_t groups = 0;  // other groups (plate, rows, wells, the bioformats2raw root, OME)
};

// Whether the group attributes hold OME-NGFF metadata that convert_ome converts: an image, a
// plate, a well or a bioformats2raw root (0.4 or 0.5 layout).
bool is_ome_node(const Json& group_attributes);

// Converts the OME-Zarr hierarchy at src/src_path to dst/dst_path: an image with its labels; a
// plate (its row and well groups and every field image with its labels); a well; or a
// bioformats2raw root (its series images, from the OME group's "series" when present, and the OME
// group, whose METADATA.ome.xml is copied byte for byte). Images are converted as convert_image
// does, with the same options; the other groups' OME keys are mapped between the 0.4 and 0.5
// layouts (ome/layout.hpp). The output version is options.version, else the source root's (Zarr v2
// is 0.4, v3 is 0.5).
// The whole source is opened and checked before anything is written: a well, field or series
// that the metadata names but that does not exist is a KeyNotFound naming the document and JSON
// path ("<url>: attributes.plate.wells[3].path: ..."). When the conversion fails, whatever it
// wrote is erased (unless a node was at dst_path before). Group metadata is written last, after
// the images below it.
ConvertSummary convert_ome(const StorePtr& src, const std::string& src_path, const StorePtr& dst,
                           const std::string& dst_path, const ConvertImageOptions& options);

}  // namespace ngff::image
