// The keys of a Zarr/OME-Zarr node found from its metadata, for sources that cannot list (plain
// HTTP): metadata documents are read, arrays give their candidate chunk keys from shape and chunk
// grid, and groups give their children from OME metadata (multiscales datasets, labels, plate
// wells, well images, bioformats2raw series) or from consolidated metadata. It lives in the OME
// layer because finding children of a group needs OME knowledge (a v3 group does not name them).
#pragma once

#include <string>
#include <vector>

#include "ngff/store/store.hpp"

namespace ngff::ome {

// Every key the metadata walk of the node at `path` finds: the metadata documents that exist and
// every chunk key the arrays' grids allow (some may be missing: chunks equal to the fill value
// are not stored). Sorted, without duplicates.
std::vector<std::string> walk_hierarchy_keys(const Store& store, const std::string& path);

// The keys of the node at `path`: store.list() when the store can list, else the metadata walk
// (a store that cannot list throws StoreError from list()).
std::vector<std::string> node_keys(const Store& store, const std::string& path);

}  // namespace ngff::ome
