// write_plate: writes a high-content screening plate as OME-Zarr 0.4 (Zarr v2) or 0.5 (Zarr v3):
//   plate/              plate group: "plate" metadata (rows, columns, wells, acquisitions, ...)
//   plate/A/            row group
//   plate/A/1/          well group: "well" metadata listing the fields
//   plate/A/1/0/        field 0: a full OME-Zarr image with its pyramid (write_image)
// Everything is checked before anything is written: the plate's MUSTs (ome/plate.hpp), wells
// named "row/column" of the plate's rows and columns, fields' acquisitions listed by the plate.
//   std::map<std::string, std::vector<SpatialImage>> fields{{"A/1", {f0, f1}}, {"B/3", {f2}}};
//   write_plate("plate.ome.zarr", plate_layout({"A", "B"}, {"1", "2", "3"}, fields), fields);
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ngff/image/spatial_image.hpp"
#include "ngff/image/write_image.hpp"
#include "ngff/ome/plate.hpp"
#include "ngff/ome/well.hpp"

namespace ngff::image {

// Field images by well path ("A/1"), in field order.
using PlateFields = std::map<std::string, std::vector<SpatialImage>>;

// Plate metadata for the wells of `field_counts` (well path "A/1" -> number of fields) on a grid
// of `rows` x `columns` names: wells in row-major order with their indices, field_count the most
// fields of any well. Throws UsageError when a well's path is not "<row>/<column>" of the names.
ome::Plate plate_layout(std::vector<std::string> rows, std::vector<std::string> columns,
                        const std::map<std::string, size_t>& field_counts,
                        std::optional<std::string> name = std::nullopt);
ome::Plate plate_layout(std::vector<std::string> rows, std::vector<std::string> columns,
                        const PlateFields& fields, std::optional<std::string> name = std::nullopt);

// The well metadata write_plate writes for `count` fields: paths "0", "1", ..., each with the
// plate's acquisition when it has exactly one.
ome::Well well_layout(const ome::Plate& plate, size_t count);

// Writes the plate group and every well group (metadata only) for `wells` (well path -> well
// metadata; every well of `plate` must be there and no other). Validates everything first (throws
// ValidationError or UsageError with nothing written). The field images are the caller's to
// write, at "<path>/<well>/<field path>". An existing node at `path` is an error unless
// `overwrite`, which replaces it.
void write_plate_metadata(const StorePtr& store, std::string_view path, const ome::Plate& plate,
                          const std::map<std::string, ome::Well>& wells, ome::Version version,
                          bool overwrite = false);

// Writes a whole plate: metadata as write_plate_metadata, then each field with write_image and
// `options` (whose version picks 0.4 or 0.5). `plate` must list exactly the wells of `fields`.
void write_plate(const StorePtr& store, std::string_view path, const ome::Plate& plate,
                 const PlateFields& fields, const WriteImageOptions& options = {});
// The same at a URL (anything open_store takes; a zip is finished on return).
void write_plate(std::string_view url, const ome::Plate& plate, const PlateFields& fields,
                 const WriteImageOptions& options = {});

}  // namespace ngff::image
