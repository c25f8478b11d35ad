#include "ngff/image/hierarchy_summary.hpp"

#include "ngff/image/image_summary.hpp"
#include "ngff/image/multiscale_image.hpp"
#include "store/key.hpp"

namespace ngff::image {
namespace {

Json optional_json(const auto& value) {
  return value ? Json(*value) : Json();
}

Json version_json(const ome::Node& node) {
  return node.version ? Json(ome::to_string(*node.version)) : Json();
}

}  // namespace

Json summarize_plate(const ome::Node& node) {
  const ome::Plate& plate = node.plate->plate;
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
  for (const ome::PlateWellNode& w : node.wells) {
    Json fields = Json::array();
    for (const auto& image : w.well.images)
      fields.push_back({{"path", image.path}, {"acquisition", optional_json(image.acquisition)}});
    wells.push_back({{"path", w.position.path},
                     {"row", plate.rows[static_cast<size_t>(w.position.row_index)].name},
                     {"column", plate.columns[static_cast<size_t>(w.position.column_index)].name},
                     {"rowIndex", w.position.row_index},
                     {"columnIndex", w.position.column_index},
                     {"fields", std::move(fields)}});
  }
  Json first = Json();
  if (!node.wells.empty() && !node.wells[0].well.images.empty()) {
    std::string path =
        join_key(node.path, node.wells[0].position.path + "/" + node.wells[0].well.images[0].path);
    first = summarize_image(MultiscaleImage::open(node.store, path));
    first["path"] = node.wells[0].position.path + "/" + node.wells[0].well.images[0].path;
  }
  return {{"kind", "plate"},
          {"ome_version", version_json(node)},
          {"name", optional_json(plate.name)},
          {"rows", std::move(rows)},
          {"columns", std::move(columns)},
          {"field_count", optional_json(plate.field_count)},
          {"acquisitions", std::move(acquisitions)},
          {"wells", std::move(wells)},
          {"first_field", std::move(first)}};
}

Json summarize_bioformats2raw(const ome::Node& node) {
  const Json& attributes = node.attributes;
  Json layout = attributes.contains("ome") && attributes["ome"].is_object()
                    ? attributes["ome"].value("bioformats2raw.layout", Json())
                    : attributes.value("bioformats2raw.layout", Json());
  Json series = Json::array();
  for (const ome::Series& s : node.series) {
    MultiscaleImage image = MultiscaleImage::open(node.store, join_key(node.path, s.path));
    Json axes = Json::array();
    for (const auto& a : image.axes()) axes.push_back(a.name);
    series.push_back({{"path", s.path},
                      {"name", optional_json(s.name)},
                      {"id", optional_json(s.id)},
                      {"shape", image.level(0).shape()},
                      {"data_type", zarr::dtype_name(image.level(0).dtype())},
                      {"axes", std::move(axes)},
                      {"levels", image.num_levels()},
                      {"ome_version", ome::to_string(image.version())}});
  }
  return {{"kind", "bioformats2raw"},
          {"ome_version", version_json(node)},
          {"layout", layout},
          {"ome_xml", node.store->exists(join_key(node.path, "OME/METADATA.ome.xml"))},
          {"series", std::move(series)}};
}

}  // namespace ngff::image
