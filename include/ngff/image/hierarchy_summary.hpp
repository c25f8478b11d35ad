// JSON descriptions of OME-Zarr collections for `ngff info` and Python: a plate (grid, wells,
// fields, acquisitions, and the first field's image summary) and a bioformats2raw root (each
// series with its name, shape and data type).
#pragma once

#include "ngff/ome/hierarchy.hpp"
#include "ngff/util/json.hpp"

namespace ngff::image {

// {"kind": "plate", "ome_version", "name", "rows": [names], "columns": [names], "field_count",
//  "acquisitions": [{"id", "name", ...}], "wells": [{"path", "row", "column", "rowIndex",
//  "columnIndex", "fields": [{"path", "acquisition"}]}], "first_field": summarize_image(...)}
Json summarize_plate(const ome::Node& plate);

// {"kind": "bioformats2raw", "ome_version", "layout", "ome_xml": bool, "series": [{"path",
//  "name", "id", "shape", "data_type", "axes": [names], "levels"}]}
Json summarize_bioformats2raw(const ome::Node& root);

}  // namespace ngff::image
