// OME-NGFF 0.4 / 0.5 high-content screening plate: the attributes of a plate group.
//   0.4 .zattrs:              {"plate": {"version": "0.4", "name": ..., "rows": [...], ...}}
//   0.5 zarr.json attributes: {"ome": {"version": "0.5", "plate": {"name": ..., ...}}}
//   "plate": {"name": "HCS", "field_count": 2,
//             "rows": [{"name": "A"}, {"name": "B"}], "columns": [{"name": "1"}],
//             "wells": [{"path": "A/1", "rowIndex": 0, "columnIndex": 0}],
//             "acquisitions": [{"id": 0, "name": "first", "maximumfieldcount": 2,
//                               "starttime": 1343731272000, "endtime": ..., "description": ...}]}
// The spec's MUSTs checked here: rows, columns and wells present and not empty; row and column
// names alphanumeric and unique; each well's path "<row name>/<column name>" of the names its
// rowIndex and columnIndex point at (both in range); no well twice; acquisition ids non-negative
// and unique; maximumfieldcount and field_count positive; times non-negative.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ngff/ome/version.hpp"
#include "ngff/util/json.hpp"

namespace ngff::ome {

// A row or a column: {"name": "A"}.
struct PlateAxisName {
  std::string name;
  Json extra = Json::object();
  bool operator==(const PlateAxisName&) const = default;
};

struct PlateWell {
  std::string path;  // "A/1": row name / column name
  int64_t row_index = 0;
  int64_t column_index = 0;
  Json extra = Json::object();
  bool operator==(const PlateWell&) const = default;
};

struct Acquisition {
  int64_t id = 0;
  std::optional<std::string> name;
  std::optional<int64_t> maximum_field_count;  // "maximumfieldcount"
  std::optional<int64_t> start_time;           // "starttime", epoch
  std::optional<int64_t> end_time;             // "endtime"
  std::optional<std::string> description;
  Json extra = Json::object();
  bool operator==(const Acquisition&) const = default;
};

struct Plate {
  std::optional<std::string> name;
  std::vector<PlateAxisName> rows;
  std::vector<PlateAxisName> columns;
  std::vector<PlateWell> wells;
  std::vector<Acquisition> acquisitions;  // empty when absent
  std::optional<int64_t> field_count;
  std::optional<std::string> version;  // 0.4 only ("plate.version")
  Json extra = Json::object();

  // Parses the "plate" object of a `version` document (`where` is its JSON path). Throws
  // ValidationError naming the JSON path of the first broken MUST.
  static Plate from_json(const Json& json, std::string_view where, Version version);
  // The "plate" object; 0.4 gets "version": "0.4" (the stored one or the default).
  Json to_json(Version version) const;
  // Checks a plate built in code as from_json would.
  void validate(std::string_view where, Version version) const;

  // The well at `path` ("A/1"), or nullptr.
  const PlateWell* find_well(std::string_view path) const;
  // Whether `id` is a listed acquisition.
  bool has_acquisition(int64_t id) const;
  bool operator==(const Plate&) const = default;
};

// A plate with its version and the other attribute keys, as a plate group stores it.
struct PlateAttributes {
  Version version = kLatestVersion;
  Plate plate;
  Json extra = Json::object();      // other top-level attribute keys
  Json ome_extra = Json::object();  // 0.5: other keys of "ome"

  // nullopt when the attributes hold no "plate"; throws ValidationError when it is malformed.
  static std::optional<PlateAttributes> from_json(const Json& attributes, std::string_view where);
  Json to_json() const { return to_json(version); }
  Json to_json(Version version) const;
};

// Whether `name` is a valid row, column or field name: alphanumeric ASCII, not empty.
bool is_alphanumeric_name(std::string_view name);

}  // namespace ngff::ome
