// The two layouts of OME-NGFF metadata in a group's attributes, mapped generically by key for
// groups that are not images (plates, wells, bioformats2raw roots and their OME group; images go
// through the typed ImageAttributes):
//   0.4 (Zarr v2 .zattrs): the OME keys ("plate", "well", "bioformats2raw.layout", "series",
//       "labels", ...) are top-level attributes, and "plate", "well", "image-label" and each
//       multiscale carry their own "version": "0.4";
//   0.5 (Zarr v3 zarr.json): the OME keys live under "ome", which has the one "version": "0.5".
// Attributes that are not OME keys stay at the top level in both.
#pragma once

#include "ngff/ome/version.hpp"
#include "ngff/util/json.hpp"

namespace ngff::ome {

// The OME keys of `attributes` (0.4: the top-level keys OME-NGFF defines; 0.5: the members of
// "ome"), with their "version" members as stored. An empty object when there are none.
Json ome_metadata_of(const Json& attributes);

// `attributes`, stored in `from`'s layout, in `to`'s layout: 0.4 -> 0.5 moves the OME keys under
// "ome" with "version": "0.5" and drops the per-key versions (but for "plate", whose 0.5 schema
// still asks for "version": "0.5"); 0.5 -> 0.4 moves the members of
// "ome" to the top level (a top-level key of the same name wins) and writes "version": "0.4" into
// "plate", "well", "image-label" and each multiscale; 0.5 <-> 0.6 (the same layout) rewrites
// "ome.version" (and the plate's). The same version gives `attributes` back.
Json map_layout(const Json& attributes, Version from, Version to);

}  // namespace ngff::ome
