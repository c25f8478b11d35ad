#include "ngff/ome/hierarchy.hpp"

#include "json_path.hpp"
#include "ngff/error.hpp"
#include "ngff/ome/labels.hpp"
#include "ngff/store/open_store.hpp"
#include "ngff/zarr/array.hpp"
#include "ngff/zarr/group.hpp"
#include "ome_member.hpp"
#include "store/key.hpp"

namespace ngff::ome {

using detail::fail;
using detail::index_path;
using detail::key_path;

namespace {

std::string attributes_where(const Store& store, const std::string& path) {
  return store.key_url(path) + ": attributes";
}

// The child at `name` under `path`, or a ValidationError at `json_path` when the name is not a
// usable path or nothing is there (`what` says what was expected: "well", "field").
std::string existing_child(const Store& store, const std::string& path, const std::string& name,
                           const std::string& json_path, std::string_view what) {
  std::string child;
  try {
    child = join_key(path, normalize_node_path(name));
  } catch (const InvalidKey& e) {
    fail(json_path, e.what());
  }
  if (!zarr::node_exists(store, child))
    fail(json_path, std::string(what) + " '" + name + "' has no group at " + store.key_url(child));
  return child;
}

// The fields of a well: each must exist.
void check_fields(const Store& store, const std::string& well_path, const WellAttributes& well) {
  std::string where = key_path(attributes_where(store, well_path),
                               well.version == Version::v0_4 ? "well" : "ome.well");
  for (size_t i = 0; i < well.well.images.size(); ++i)
    existing_child(store, well_path, well.well.images[i].path,
                   key_path(index_path(key_path(where, "images"), i), "path"), "field");
}

}  // namespace

std::string to_string(NodeKind kind) {
  switch (kind) {
    case NodeKind::image:
      return "image";
    case NodeKind::label_image:
      return "label_image";
    case NodeKind::plate:
      return "plate";
    case NodeKind::well:
      return "well";
    case NodeKind::bioformats2raw:
      return "bioformats2raw";
    case NodeKind::group:
      return "group";
    case NodeKind::array:
      return "array";
  }
  return "group";
}

std::string Node::url() const {
  return store->key_url(path);
}

std::vector<std::string> Node::field_paths(std::string_view well_path) const {
  std::vector<std::string> out;
  for (const PlateWellNode& w : wells)
    if (w.position.path == well_path)
      for (const WellImage& field : w.well.images)
        out.push_back(w.position.path + "/" + field.path);
  return out;
}

std::vector<PlateWellNode> read_plate_wells(const Store& store, const std::string& path,
                                            const PlateAttributes& plate) {
  std::string where = key_path(attributes_where(store, path),
                               plate.version == Version::v0_4 ? "plate" : "ome.plate");
  std::vector<PlateWellNode> out;
  for (size_t i = 0; i < plate.plate.wells.size(); ++i) {
    const PlateWell& position = plate.plate.wells[i];
    std::string json_path = key_path(index_path(key_path(where, "wells"), i), "path");
    std::string well_path = existing_child(store, path, position.path, json_path, "well");
    Json attributes = detail::read_group_attributes(store, well_path).value_or(Json::object());
    std::string well_where = attributes_where(store, well_path);
    auto well = WellAttributes::from_json(attributes, well_where);
    if (!well)
      fail(json_path, "well '" + position.path + "' at " + store.key_url(well_path) +
                          " has no 'well' metadata");
    check_well_in_plate(well->well, plate.plate,
                        key_path(well_where, well->version == Version::v0_4 ? "well" : "ome.well"));
    check_fields(store, well_path, *well);
    out.push_back({position, std::move(well->well)});
  }
  return out;
}

Node open_node(std::string_view url) {
  auto loc = open_store(url);
  return open_node(loc.store, loc.path);
}

Node open_node(const StorePtr& store, std::string_view path_in) {
  Node node;
  node.store = store;
  node.path = normalize_node_path(path_in);
  auto info = zarr::probe_node(*store, node.path);
  if (!info) throw KeyNotFound("no Zarr node at " + store->key_url(node.path));
  node.zarr_format = info->zarr_format;
  if (info->type == zarr::NodeType::array) {
    node.kind = NodeKind::array;
    const Json& a = zarr::Array::open(store, node.path).metadata().attributes;
    node.attributes = a.is_object() ? a : Json::object();
    return node;
  }
  zarr::Group group = zarr::Group::open(store, node.path);
  node.attributes = group.attributes();
  std::string where = attributes_where(*store, node.path);
  node.version = detect_version(node.attributes, where);

  if (auto plate = PlateAttributes::from_json(node.attributes, where)) {
    node.kind = NodeKind::plate;
    node.wells = read_plate_wells(*store, node.path, *plate);
    node.plate = std::move(plate);
    return node;
  }
  if (auto well = WellAttributes::from_json(node.attributes, where)) {
    node.kind = NodeKind::well;
    check_fields(*store, node.path, *well);
    node.well = std::move(well);
    return node;
  }
  if (has_multiscales(node.attributes)) {
    node.image = ImageAttributes::from_json(node.attributes, where);
    node.kind = node.image->image_label ? NodeKind::label_image : NodeKind::image;
    std::string labels = join_key(node.path, "labels");
    if (auto labels_attributes = detail::read_group_attributes(*store, labels))
      node.label_names = label_names(*labels_attributes, attributes_where(*store, labels));
    return node;
  }
  if (is_bioformats2raw(node.attributes)) {
    node.kind = NodeKind::bioformats2raw;
    node.series = bioformats2raw_series(*store, node.path);
    return node;
  }
  node.kind = NodeKind::group;
  if (store->is_listable())
    for (const zarr::ChildNode& child : group.children()) node.children.push_back(child.name);
  return node;
}

}  // namespace ngff::ome
