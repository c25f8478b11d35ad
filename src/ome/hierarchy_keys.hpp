// The keys of a Zarr/OME-Zarr node found from its metadata, for sources that cannot list (plain
// HTTP): metadata documents are read, arrays give their candidate chunk keys from shape and chunk
// grid, and groups give their children from OME metadata (multiscales datasets, labels, plate
// wells, well images, bioformats2raw series) or from consolidated metadata. It lives in the OME
// layer because finding children of a group needs OME knowledge (a v3 group does not name them).
#pragma once

#include <string>
#include <vector>

#include "ngff/store/store.hpp"
#include "ngff/util/json.hpp"

namespace ngff::ome {

// A node that a group's OME metadata names (or implies: an image's "labels" group, a
// bioformats2raw root's "OME" group and numbered series).
struct OmeChild {
  enum class Role { level, labels_group, label, well, field, ome_group, series };
  Role role;
  Json name;              // as the metadata spells it (a string when valid)
  std::string path;       // the node's key path; empty when `name` is not a valid node path
  std::string json_path;  // where in the OME metadata it is named, e.g. "plate.wells[2].path"
};

// The children that `ome` (the OME metadata of the group at `path`: 0.4 attributes or 0.5
// attributes.ome) names, in document order. A bioformats2raw root's numbered series are probed
// (0, 1, ... while a group exists); an OME group's "series" name siblings of that group.
std::vector<OmeChild> ome_children(const Store& store, const std::string& path, const Json& ome);

// Every key the metadata walk of the node at `path` finds: the metadata documents that exist and
// every chunk key the arrays' grids allow (some may be missing: chunks equal to the fill value
// are not stored). Sorted, without duplicates.
std::vector<std::string> walk_hierarchy_keys(const Store& store, const std::string& path);

// The keys of the node at `path`: store.list() when the store can list, else the metadata walk
// (a store that cannot list throws StoreError from list()).
std::vector<std::string> node_keys(const Store& store, const std::string& path);

}  // namespace ngff::ome
