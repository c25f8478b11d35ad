#include "ngff/ome/plate.hpp"

#include <set>

#include "json_path.hpp"
#include "ome_member.hpp"

namespace ngff::ome {

using detail::fail;
using detail::index_path;
using detail::key_path;

namespace {

std::optional<int64_t> optional_integer(const Json& object, std::string_view key,
                                        std::string_view where, int64_t minimum) {
  const Json* value = detail::find(object, key);
  if (!value) return std::nullopt;
  std::string path = key_path(where, key);
  int64_t v = detail::as_integer(*value, path);
  if (v < minimum)
    fail(path, "expected an integer >= " + std::to_string(minimum) + ", got " + std::to_string(v));
  return v;
}

// "rows" or "columns": a non-empty list of unique alphanumeric names.
std::vector<PlateAxisName> parse_names(const Json& plate, std::string_view key,
                                       std::string_view where) {
  std::string path = key_path(where, key);
  const Json& list = detail::required(plate, key, where);
  detail::expect_array(list, path);
  if (list.empty()) fail(path, "expected at least one entry, got none");
  std::vector<PlateAxisName> out;
  std::set<std::string> seen;
  for (size_t i = 0; i < list.size(); ++i) {
    std::string entry_path = index_path(path, i);
    detail::expect_object(list[i], entry_path);
    std::string name_path = key_path(entry_path, "name");
    std::string name = detail::as_string(detail::required(list[i], "name", entry_path), name_path);
    if (!is_alphanumeric_name(name))
      fail(name_path, "'" + name + "' is not alphanumeric (letters and digits only)");
    if (!seen.insert(name).second) fail(name_path, "duplicate name '" + name + "'");
    out.push_back({name, detail::extra_members(list[i], {"name"})});
  }
  return out;
}

int64_t index_into(const Json& well, std::string_view key, std::string_view where, size_t size,
                   std::string_view list) {
  std::string path = key_path(where, key);
  int64_t v = detail::as_integer(detail::required(well, key, where), path);
  if (v < 0 || static_cast<uint64_t>(v) >= size)
    fail(path, std::to_string(v) + " is out of range: the plate has " + std::to_string(size) + " " +
                   std::string(list));
  return v;
}

// The row and column indices of a pre-0.4 well path "ROW/COLUMN".
std::pair<int64_t, int64_t> indices_from_path(const std::string& path, const Plate& plate,
                                              const std::string& where) {
  auto slash = path.find('/');
  auto find = [&](const std::vector<PlateAxisName>& names, std::string_view name,
                  std::string_view list) {
    for (size_t i = 0; i < names.size(); ++i)
      if (names[i].name == name) return static_cast<int64_t>(i);
    fail(where, "'" + path + "' names " + std::string(list) + " '" + std::string(name) +
                    "', which the plate does not list");
  };
  if (slash == std::string::npos) fail(where, "'" + path + "' is not 'ROW/COLUMN'");
  return {find(plate.rows, std::string_view{path}.substr(0, slash), "row"),
          find(plate.columns, std::string_view{path}.substr(slash + 1), "column")};
}

Acquisition parse_acquisition(const Json& json, const std::string& path) {
  detail::expect_object(json, path);
  Acquisition a;
  detail::required(json, "id", path);
  a.id = *optional_integer(json, "id", path, 0);
  a.name = detail::optional_string(json, "name", path);
  a.maximum_field_count = optional_integer(json, "maximumfieldcount", path, 1);
  a.start_time = optional_integer(json, "starttime", path, 0);
  a.end_time = optional_integer(json, "endtime", path, 0);
  a.description = detail::optional_string(json, "description", path);
  a.extra = detail::extra_members(
      json, {"id", "name", "maximumfieldcount", "starttime", "endtime", "description"});
  return a;
}

Json names_json(const std::vector<PlateAxisName>& names) {
  Json out = Json::array();
  for (const PlateAxisName& n : names) {
    Json e = {{"name", n.name}};
    detail::merge_extra(e, n.extra);
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace

bool is_alphanumeric_name(std::string_view name) {
  if (name.empty()) return false;
  for (char c : name)
    if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) return false;
  return true;
}

Plate Plate::from_json(const Json& json, std::string_view where, Version version) {
  detail::expect_object(json, where);
  Plate p;
  if (zarr_format(version) == 2) {
    p.version = detail::optional_string(json, "version", where);
    if (p.version) {
      std::string path = key_path(where, "version");
      Version own = parse_version(*p.version, path);
      if (in_ome_namespace(own))
        fail(path, "version '" + *p.version + "' in plate (OME-NGFF " + to_string(own) +
                       " metadata lives under 'ome')");
    }
  }
  p.name = detail::optional_string(json, "name", where);
  p.rows = parse_names(json, "rows", where);
  p.columns = parse_names(json, "columns", where);
  p.field_count = optional_integer(json, "field_count", where, 1);

  if (const Json* acquisitions = detail::find(json, "acquisitions")) {
    std::string path = key_path(where, "acquisitions");
    detail::expect_array(*acquisitions, path);
    std::set<int64_t> ids;
    for (size_t i = 0; i < acquisitions->size(); ++i) {
      std::string entry_path = index_path(path, i);
      Acquisition a = parse_acquisition((*acquisitions)[i], entry_path);
      if (!ids.insert(a.id).second)
        fail(key_path(entry_path, "id"), "duplicate acquisition id " + std::to_string(a.id));
      p.acquisitions.push_back(std::move(a));
    }
  }

  std::string wells_path = key_path(where, "wells");
  const Json& wells = detail::required(json, "wells", where);
  detail::expect_array(wells, wells_path);
  if (wells.empty()) fail(wells_path, "expected at least one well, got none");
  std::set<std::string> seen;
  for (size_t i = 0; i < wells.size(); ++i) {
    std::string entry_path = index_path(wells_path, i);
    const Json& w = wells[i];
    detail::expect_object(w, entry_path);
    PlateWell well;
    std::string path_path = key_path(entry_path, "path");
    well.path = detail::as_string(detail::required(w, "path", entry_path), path_path);
    if (version < Version::v0_4 && !w.contains("rowIndex") && !w.contains("columnIndex")) {
      // Before 0.4 a well had only its path: the indices are those of the names it joins.
      auto [row, column] = indices_from_path(well.path, p, path_path);
      well.row_index = row;
      well.column_index = column;
    } else {
      well.row_index = index_into(w, "rowIndex", entry_path, p.rows.size(), "rows");
      well.column_index = index_into(w, "columnIndex", entry_path, p.columns.size(), "columns");
    }
    std::string expected = p.rows[static_cast<size_t>(well.row_index)].name + "/" +
                           p.columns[static_cast<size_t>(well.column_index)].name;
    if (well.path != expected)
      fail(path_path, "'" + well.path + "' is not the row/column its indices name ('" + expected +
                          "': rowIndex " + std::to_string(well.row_index) + ", columnIndex " +
                          std::to_string(well.column_index) + ")");
    if (!seen.insert(well.path).second) fail(path_path, "duplicate well '" + well.path + "'");
    well.extra = detail::extra_members(w, {"path", "rowIndex", "columnIndex"});
    p.wells.push_back(std::move(well));
  }
  if (zarr_format(version) == 2)
    p.extra = detail::extra_members(
        json, {"version", "name", "rows", "columns", "wells", "acquisitions", "field_count"});
  else
    p.extra = detail::extra_members(
        json, {"name", "rows", "columns", "wells", "acquisitions", "field_count"});
  return p;
}

Json Plate::to_json(Version v) const {
  Json j = Json::object();
  if (zarr_format(v) == 2) j["version"] = to_string(v);
  if (name) j["name"] = *name;
  j["rows"] = names_json(rows);
  j["columns"] = names_json(columns);
  Json ws = Json::array();
  for (const PlateWell& w : wells) {
    Json e = {{"path", w.path}, {"rowIndex", w.row_index}, {"columnIndex", w.column_index}};
    detail::merge_extra(e, w.extra);
    ws.push_back(std::move(e));
  }
  j["wells"] = std::move(ws);
  if (!acquisitions.empty()) {
    Json as = Json::array();
    for (const Acquisition& a : acquisitions) {
      Json e = {{"id", a.id}};
      if (a.name) e["name"] = *a.name;
      if (a.maximum_field_count) e["maximumfieldcount"] = *a.maximum_field_count;
      if (a.start_time) e["starttime"] = *a.start_time;
      if (a.end_time) e["endtime"] = *a.end_time;
      if (a.description) e["description"] = *a.description;
      detail::merge_extra(e, a.extra);
      as.push_back(std::move(e));
    }
    j["acquisitions"] = std::move(as);
  }
  if (field_count) j["field_count"] = *field_count;
  detail::merge_extra(j, extra);
  return j;
}

void Plate::validate(std::string_view where, Version v) const {
  from_json(to_json(v), where, v);
}

const PlateWell* Plate::find_well(std::string_view path) const {
  for (const PlateWell& w : wells)
    if (w.path == path) return &w;
  return nullptr;
}

bool Plate::has_acquisition(int64_t id) const {
  for (const Acquisition& a : acquisitions)
    if (a.id == id) return true;
  return false;
}

std::optional<PlateAttributes> PlateAttributes::from_json(const Json& attributes,
                                                          std::string_view where) {
  return detail::parse_ome_member(attributes, where, "plate", &PlateAttributes::plate);
}

Json PlateAttributes::to_json(Version v) const {
  return detail::ome_attributes("plate", plate.to_json(v), v, extra, ome_extra);
}

}  // namespace ngff::ome
