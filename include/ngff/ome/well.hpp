// OME-NGFF 0.4 / 0.5 well: the attributes of a well group of a plate ("A/1").
//   0.4 .zattrs:              {"well": {"version": "0.4", "images": [{"path": "0", "acquisition":
//   1}]}} 0.5 zarr.json attributes: {"ome": {"version": "0.5", "well": {"images": [{"path":
//   "0"}]}}}
// Each image is a field of view: an OME-Zarr image group under the well. The spec's MUSTs
// checked here: "images" present and not empty, each path alphanumeric and unique, acquisition an
// integer. check_well_in_plate adds those that need the plate: acquisitions listed by it, and
// present on every image when the plate has several.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ngff/ome/plate.hpp"
#include "ngff/ome/version.hpp"
#include "ngff/util/json.hpp"

namespace ngff::ome {

struct WellImage {
  std::string path;  // "0": the field's image group under the well
  std::optional<int64_t> acquisition;
  Json extra = Json::object();
  bool operator==(const WellImage&) const = default;
};

struct Well {
  std::vector<WellImage> images;
  std::optional<std::string> version;  // 0.4 only ("well.version")
  Json extra = Json::object();

  // Parses the "well" object of a `version` document. Throws ValidationError naming the path.
  static Well from_json(const Json& json, std::string_view where, Version version);
  Json to_json(Version version) const;
  void validate(std::string_view where, Version version) const;
  bool operator==(const Well&) const = default;
};

// A well with its version and the other attribute keys, as a well group stores it.
struct WellAttributes {
  Version version = kLatestVersion;
  Well well;
  Json extra = Json::object();
  Json ome_extra = Json::object();

  // nullopt when the attributes hold no "well"; throws ValidationError when it is malformed.
  static std::optional<WellAttributes> from_json(const Json& attributes, std::string_view where);
  Json to_json() const { return to_json(version); }
  Json to_json(Version version) const;
};

// The MUSTs between a plate and one of its wells (`where` is the well's "well" object path):
// every acquisition a field names is listed by the plate, and when the plate lists more than one
// acquisition every field names one.
void check_well_in_plate(const Well& well, const Plate& plate, std::string_view where);

}  // namespace ngff::ome
