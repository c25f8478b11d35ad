// JSON descriptions of OME-Zarr collections for `ngff info` and Python: a plate (grid, wells,
// fields, acquisitions, and the first field's image summary) and a bioformats2raw root (each
// series with its name, shape and data type).
#pragma once

#include "ngff/ome/hierarchy.hpp"
#include "ngff/util/json.hpp"

namespace ngff::image {

// ome::describe(plate) plus "first_field": summarize_image of the first well's first field
// (with its "path"), or null.
Json summarize_plate(const ome::Node& node);

// ome::describe(root) plus "ome_xml" (whether OME/METADATA.ome.xml exists) and, for each series,
// its image's "shape", "data_type", "axes" (names), "levels" and "ome_version".
Json summarize_bioformats2raw(const ome::Node& node);

}  // namespace ngff::image
