// The one reader of OME-Zarr hierarchies: open a node and learn what it is, typed.
//   image           multiscales (with the names its "labels" group lists)
//   label_image     an image with "image-label"
//   plate           plate metadata, and each well's metadata with its fields (image paths)
//   well            well metadata (fields)
//   bioformats2raw  the series (paths and OME-XML names)
//   scene           0.6: coordinate systems and transformations between images (read only)
//   group / array   plain Zarr (a group's children when the store can list)
// Everything a node names is checked to exist (wells, fields, series), and an error names the
// JSON path that points nowhere. The CLI's info, Python's open_plate and the image layer's series
// selection all read through here.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ngff/ome/bioformats2raw.hpp"
#include "ngff/ome/image_attributes.hpp"
#include "ngff/ome/plate.hpp"
#include "ngff/ome/scene.hpp"
#include "ngff/ome/well.hpp"
#include "ngff/store/store.hpp"

namespace ngff::ome {

enum class NodeKind { image, label_image, plate, well, bioformats2raw, group, array, scene };

// "image", "label_image", "plate", "well", "bioformats2raw", "group", "array", "scene".
std::string to_string(NodeKind kind);

// A well of a plate: where the plate puts it and what its group says.
struct PlateWellNode {
  PlateWell position;  // path "A/1", rowIndex, columnIndex
  Well well;           // the fields (images) and their acquisitions
};

struct Node {
  NodeKind kind = NodeKind::group;
  StorePtr store;
  std::string path;
  int zarr_format = 3;
  Json attributes = Json::object();      // as stored (arrays: their attributes)
  std::optional<Version> version;        // OME-NGFF version, when the node has OME metadata
  std::optional<ImageAttributes> image;  // image, label_image
  std::vector<std::string> label_names;  // image: names its "labels" group lists
  std::optional<PlateAttributes> plate;  // plate
  std::vector<PlateWellNode> wells;      // plate: in the plate's order
  std::optional<WellAttributes> well;    // well
  std::vector<Series> series;            // bioformats2raw
  std::optional<Scene> scene;            // scene
  std::vector<std::string> children;     // group: child names when the store can list

  std::string url() const;
  // The field image paths of a plate well ("A/1" -> {"A/1/0", "A/1/1"}) relative to the plate.
  std::vector<std::string> field_paths(std::string_view well_path) const;
};

// Opens the node at `path` of `store`. Throws KeyNotFound when nothing is there and
// ValidationError (naming the document and JSON path) when OME metadata is malformed or names a
// well, field or series that does not exist.
Node open_node(const StorePtr& store, std::string_view path = "");
Node open_node(std::string_view url);

// The structure of a node as JSON, for `ngff info --json` and Python: {"kind", "url",
// "ome_version"} and by kind: plate {"name", "rows": [names], "columns": [names], "field_count",
// "acquisitions": [{"id", "name", "maximumfieldcount", "starttime", "endtime", "description"}],
// "wells": [{"path", "row", "column", "rowIndex", "columnIndex", "fields": [{"path",
// "acquisition"}]}], "metadata": the "plate" object}; well {"fields"}; image / label_image
// {"labels": [names]}; bioformats2raw {"layout", "series": [{"path", "name", "id"}]}; scene
// {"coordinate_systems": [names], "transformations": [describe_chain lines]}; group
// {"children"}.
Json describe(const Node& node);

// The wells of a plate node read from their groups (each checked against the plate); used by
// open_node and by readers holding the plate attributes already. `where` names the plate.
std::vector<PlateWellNode> read_plate_wells(const Store& store, const std::string& path,
                                            const PlateAttributes& plate);

}  // namespace ngff::ome
