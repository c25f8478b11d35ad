#include "ngff/ome/hierarchy.hpp"

#include "existing_child.hpp"
#include "json_path.hpp"
#include "ngff/error.hpp"
#include "ngff/ome/labels.hpp"
#include "ngff/store/open_store.hpp"
#include "ngff/zarr/array.hpp"
#include "ngff/zarr/group.hpp"
#include "ome_member.hpp"
#include "store/key.hpp"

namespace ngff::ome {

using detail::existing_child;
using detail::fail;
using detail::index_path;
using detail::key_path;

namespace {

std::string attributes_where(const Store& store, const std::string& path) {
  return store.key_url(path) + ": attributes";
}

// The fields of a well: each must exist.
void check_fields(const Store& store, const std::string& well_path, const WellAttributes& well) {
  std::string where = key_path(attributes_where(store, well_path),
                               zarr_format(well.version) == 2 ? "well" : "ome.well");
  for (size_t i = 0; i < well.well.images.size(); ++i)
    existing_child(store, well_path, well.well.images[i].path,
                   key_path(index_path(key_path(where, "images"), i), "path"), "field");
}

Json optional_json(const auto& value) {
  return value ? Json(*value) : Json();
}

Json fields_json(const Well& well) {
  Json fields = Json::array();
  for (const WellImage& image : well.images)
    fields.push_back({{"path", image.path}, {"acquisition", optional_json(image.acquisition)}});
  return fields;
}

void describe_plate(const Node& node, Json& j) {
  const Plate& plate = node.plate->plate;
  Json rows = Json::array(), columns = Json::array();
  for (const auto& r : plate.rows) rows.push_back(r.name);
  for (const auto& c : plate.columns) columns.push_back(c.name);
  Json acquisitions = Json::array();
  for (const auto& a : plate.acquisitions)
    acquisitions.push_back({{"id", a.id},
                            {"name", optional_json(a.name)},
                            {"maximumfieldcount", optional_json(a.maximum_field_count)},
                            {"starttime", optional_json(a.start_time)},
                            {"endtime", optional_json(a.end_time)},
                            {"description", optional_json(a.description)}});
  Json wells = Json::array();
  for (const PlateWellNode& w : node.wells)
    wells.push_back({{"path", w.position.path},
                     {"row", plate.rows[static_cast<size_t>(w.position.row_index)].name},
                     {"column", plate.columns[static_cast<size_t>(w.position.column_index)].name},
                     {"rowIndex", w.position.row_index},
                     {"columnIndex", w.position.column_index},
                     {"fields", fields_json(w.well)}});
  j["name"] = optional_json(plate.name);
  j["rows"] = std::move(rows);
  j["columns"] = std::move(columns);
  j["field_count"] = optional_json(plate.field_count);
  j["acquisitions"] = std::move(acquisitions);
  j["wells"] = std::move(wells);
  j["metadata"] = plate.to_json(node.plate->version);
}

}  // namespace

Json describe(const Node& node) {
  Json j{{"kind", to_string(node.kind)},
         {"url", node.url()},
         {"ome_version", node.version ? Json(to_string(*node.version)) : Json()}};
  switch (node.kind) {
    case NodeKind::plate:
      describe_plate(node, j);
      break;
    case NodeKind::well:
      j["fields"] = fields_json(node.well->well);
      break;
    case NodeKind::image:
    case NodeKind::label_image:
      j["labels"] = node.label_names;
      break;
    case NodeKind::bioformats2raw: {
      const Json* holder = &node.attributes;
      if (node.attributes.contains("ome") && node.attributes["ome"].is_object())
        holder = &node.attributes["ome"];
      j["layout"] = holder->value("bioformats2raw.layout", Json());
      Json series = Json::array();
      for (const Series& s : node.series)
        series.push_back(
            {{"path", s.path}, {"name", optional_json(s.name)}, {"id", optional_json(s.id)}});
      j["series"] = std::move(series);
      break;
    }
    case NodeKind::group:
      j["children"] = node.children;
      break;
    case NodeKind::array:
      break;
    case NodeKind::scene: {
      Json systems = Json::array(), chain = Json::array();
      for (const auto& system : node.scene->coordinate_systems) systems.push_back(system.name);
      for (const auto& t : node.scene->coordinate_transformations)
        chain.push_back(describe_chain(t));
      j["coordinate_systems"] = std::move(systems);
      j["transformations"] = std::move(chain);
      break;
    }
  }
  return j;
}

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
    case NodeKind::scene:
      return "scene";
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
                               zarr_format(plate.version) == 2 ? "plate" : "ome.plate");
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
    check_well_in_plate(
        well->well, plate.plate,
        key_path(well_where, zarr_format(well->version) == 2 ? "well" : "ome.well"));
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
  if (node.version && in_ome_namespace(*node.version) &&
      detail::find(node.attributes["ome"], "scene")) {
    node.kind = NodeKind::scene;
    node.scene = Scene::from_json(node.attributes["ome"]["scene"], key_path(where, "ome.scene"));
    return node;
  }
  node.kind = NodeKind::group;
  if (store->is_listable())
    for (const zarr::ChildNode& child : group.children()) node.children.push_back(child.name);
  return node;
}

}  // namespace ngff::ome
