// import_tiff: a TIFF, BigTIFF or OME-TIFF file, or a stack of 2-D TIFFs (a folder or glob), to
// OME-Zarr with a pyramid, streaming through write_image within its memory budget. One series
// becomes an image; an OME-TIFF with several series becomes a bioformats2raw layout (one image
// per series under "0", "1", ..., the OME-XML kept as OME/METADATA.ome.xml), or one image with
// `series`.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "ngff/image/write_image.hpp"
#include "ngff/store/store.hpp"

namespace ngff::image {

struct TiffImportOptions {
  char stack_axis = 'z';           // the axis that pages / files are stacked along: z, t or c
  std::optional<size_t> series{};  // import only this series (0-based)
  WriteImageOptions write{};       // version, levels, method, chunks, shards, codec, budget, ...
};

struct TiffImportSummary {
  std::string kind;                // "image" or "bioformats2raw"
  size_t series = 0;               // images written
  std::vector<std::string> notes;  // what was not imported (reduced-resolution pages, ...)
};

// Imports `input` (a file, folder or glob pattern; tiff_inputs) to dst/dst_path. The OME-XML's
// channel names and colours become omero metadata unless options.write.omero is set. Throws
// UsageError for a series that does not exist, and what open_tiff / write_image throw.
TiffImportSummary import_tiff(const std::string& input, const StorePtr& dst,
                              const std::string& dst_path, const TiffImportOptions& options);

}  // namespace ngff::image
