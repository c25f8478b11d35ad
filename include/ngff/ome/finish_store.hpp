// Finishing a store an OME-Zarr hierarchy was written to. A zip (.ozx) is where the two meet:
// NGFF RFC-9 gives the archive the comment {"ome": {"version": ...}} when it is RFC-9's
// recommended variant, which only the OME layer can tell; ZipStore writes the comment it is given.
#pragma once

#include <string>

#include "ngff/store/store.hpp"

namespace ngff::ome {

// RFC-9's archive comment for the hierarchy at the root of `store`: {"ome": {"version": V}} and
// a NUL when the root zarr.json names OME-NGFF version V and every array's zarr.json has a
// sharding codec (ngff's zip writer does the rest of the recommended variant: stored entries,
// zip64, zarr.json first, breadth-first); "" otherwise, and when a document cannot be read.
std::string ozx_comment(const Store& store);

// Finishes writing `store`: a zip being written gets its ozx_comment, then the store is closed
// (a zip writes its central directory and renames itself into place; its errors surface here).
// Call it once the hierarchy is complete, instead of Store::close().
void finish_store(Store& store);

}  // namespace ngff::ome
