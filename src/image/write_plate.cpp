#include "ngff/image/write_plate.hpp"

#include <algorithm>

#include "ngff/error.hpp"
#include "ngff/ome/finish_store.hpp"
#include "ngff/store/open_store.hpp"
#include "ngff/zarr/group.hpp"
#include "ngff/zarr/node.hpp"
#include "store/key.hpp"

namespace ngff::image {
namespace {

size_t index_of(const std::vector<std::string>& names, std::string_view name, std::string_view well,
                std::string_view what) {
  auto it = std::find(names.begin(), names.end(), name);
  if (it == names.end())
    throw UsageError("well '" + std::string(well) + "': " + std::string(what) + " '" +
                     std::string(name) + "' is not among the plate's " + std::string(what) + "s");
  return static_cast<size_t>(it - names.begin());
}

std::vector<ome::PlateAxisName> axis_names(std::vector<std::string> names) {
  std::vector<ome::PlateAxisName> out;
  out.reserve(names.size());
  for (std::string& n : names) out.push_back({std::move(n), Json::object()});
  return out;
}

}  // namespace

ome::Plate plate_layout(std::vector<std::string> rows, std::vector<std::string> columns,
                        const std::map<std::string, size_t>& field_counts,
                        std::optional<std::string> name) {
  ome::Plate plate;
  plate.name = std::move(name);
  int64_t most = 0;
  for (const auto& [path, count] : field_counts) {
    size_t slash = path.find('/');
    if (slash == std::string::npos || path.find('/', slash + 1) != std::string::npos)
      throw UsageError("well '" + path + "': expected '<row>/<column>', e.g. 'A/1'");
    ome::PlateWell well;
    well.path = path;
    well.row_index = static_cast<int64_t>(index_of(rows, path.substr(0, slash), path, "row"));
    well.column_index =
        static_cast<int64_t>(index_of(columns, path.substr(slash + 1), path, "column"));
    plate.wells.push_back(std::move(well));
    most = std::max(most, static_cast<int64_t>(count));
  }
  std::sort(plate.wells.begin(), plate.wells.end(), [](const auto& a, const auto& b) {
    return std::pair(a.row_index, a.column_index) < std::pair(b.row_index, b.column_index);
  });
  plate.rows = axis_names(std::move(rows));
  plate.columns = axis_names(std::move(columns));
  if (most > 0) plate.field_count = most;
  return plate;
}

ome::Plate plate_layout(std::vector<std::string> rows, std::vector<std::string> columns,
                        const PlateFields& fields, std::optional<std::string> name) {
  std::map<std::string, size_t> counts;
  for (const auto& [well, images] : fields) counts[well] = images.size();
  return plate_layout(std::move(rows), std::move(columns), counts, std::move(name));
}

ome::Well well_layout(const ome::Plate& plate, size_t count) {
  ome::Well well;
  for (size_t i = 0; i < count; ++i) {
    ome::WellImage image;
    image.path = std::to_string(i);
    if (plate.acquisitions.size() == 1) image.acquisition = plate.acquisitions[0].id;
    well.images.push_back(std::move(image));
  }
  return well;
}

void write_plate_metadata(const StorePtr& store, std::string_view path_in, const ome::Plate& plate,
                          const std::map<std::string, ome::Well>& wells, ome::Version version,
                          bool overwrite) {
  std::string path = normalize_node_path(path_in);
  plate.validate("plate", version);
  for (const ome::PlateWell& w : plate.wells)
    if (!wells.contains(w.path))
      throw UsageError("plate well '" + w.path + "' has no well metadata (no fields given)");
  for (const auto& [well_path, well] : wells) {
    if (!plate.find_well(well_path))
      throw UsageError("well '" + well_path + "' is not among the plate's wells");
    std::string where = "well '" + well_path + "'";
    well.validate(where, version);
    ome::check_well_in_plate(well, plate, where);
  }
  if (!overwrite && zarr::node_exists(*store, path))
    throw StoreError("a Zarr node already exists at " + store->key_url(path) +
                     " (use overwrite to replace it)");
  int format = ome::zarr_format(version);
  ome::PlateAttributes attributes;
  attributes.version = version;
  attributes.plate = plate;
  zarr::Group root = zarr::Group::create(store, path, format, attributes.to_json(), overwrite);
  for (const auto& [well_path, well] : wells) {
    std::string row = well_path.substr(0, well_path.find('/'));
    root.create_group(row);
    ome::WellAttributes wa;
    wa.version = version;
    wa.well = well;
    root.create_group(well_path, wa.to_json());
  }
}

void write_plate(const StorePtr& store, std::string_view path_in, const ome::Plate& plate,
                 const PlateFields& fields, const WriteImageOptions& options) {
  std::string path = normalize_node_path(path_in);
  std::map<std::string, ome::Well> wells;
  for (const auto& [well_path, images] : fields) {
    if (images.empty()) throw UsageError("well '" + well_path + "' has no field images");
    wells[well_path] = well_layout(plate, images.size());
  }
  write_plate_metadata(store, path, plate, wells, options.version, options.overwrite);
  WriteImageOptions field_options = options;
  field_options.overwrite = false;  // the plate group was just written afresh
  for (const auto& [well_path, images] : fields) {
    const ome::Well& well = wells.at(well_path);
    for (size_t i = 0; i < images.size(); ++i)
      write_image(store, join_key(join_key(path, well_path), well.images[i].path), images[i],
                  field_options);
  }
}

void write_plate(std::string_view url, const ome::Plate& plate, const PlateFields& fields,
                 const WriteImageOptions& options) {
  auto loc = open_store(url, OpenMode::write);
  write_plate(loc.store, loc.path, plate, fields, options);
  ome::finish_store(*loc.store);
}

}  // namespace ngff::image
