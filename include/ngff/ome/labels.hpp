// OME-NGFF 0.4 / 0.5 labels.
// The "labels" group of an image lists its label images:
//   0.4 .zattrs:            {"labels": ["cells", "nuclei"]}
//   0.5 zarr.json attributes: {"ome": {"version": "0.5", "labels": ["cells", "nuclei"]}}
// A label image is an image (multiscales) with "image-label" metadata next to its multiscales:
//   "image-label": {"version": "0.4",  // 0.4 only
//                   "colors": [{"label-value": 1, "rgba": [255, 255, 255, 255]}],
//                   "properties": [{"label-value": 1, "area (pixels)": 1200, "class": "foo"}],
//                   "source": {"image": "../../"}}
// Rules: "colors" and "properties", when present, are not empty, every entry has an integer
// "label-value" and no label-value appears twice; "rgba" is four integers in 0..255.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ngff/ome/version.hpp"
#include "ngff/util/json.hpp"

namespace ngff::ome {

struct LabelColor {
  int64_t label_value = 0;                     // "label-value"
  std::optional<std::array<uint8_t, 4>> rgba;  // "rgba"
  Json extra = Json::object();
  bool operator==(const LabelColor&) const = default;
};

struct LabelProperty {
  int64_t label_value = 0;      // "label-value"
  Json extra = Json::object();  // the properties themselves ("class", "area (pixels)", ...)
  bool operator==(const LabelProperty&) const = default;
};

struct ImageLabel {
  std::optional<std::string> version;  // 0.4 only
  std::vector<LabelColor> colors;      // empty when absent
  std::vector<LabelProperty> properties;
  std::optional<std::string> source_image;  // "source": {"image": ...}
  // The other members of "source"; null when there is no "source" object (and no source_image).
  Json source_extra;
  Json extra = Json::object();

  // Parses the "image-label" object of a `version` document (`where` is its JSON path). In 0.5 a
  // "version" member is kept among the extra members. Throws ValidationError.
  static ImageLabel from_json(const Json& json, std::string_view where, Version version);
  Json to_json(Version version) const;
  // The colour of `label_value`, if listed.
  std::optional<std::array<uint8_t, 4>> color_of(int64_t label_value) const;
  // SHOULD-level problems (strict schema: colors, and version in 0.4).
  void warnings(std::string_view where, Version version, std::vector<std::string>& out) const;
  bool operator==(const ImageLabel&) const = default;
};

// The label names listed by a labels group's attributes (`where` names them in errors).
// Throws ValidationError when there is no list or it is malformed.
std::vector<std::string> label_names(const Json& labels_group_attributes, std::string_view where);
// The attributes of a labels group listing `names`, in `version`'s layout.
Json labels_group_attributes(const std::vector<std::string>& names, Version version);

}  // namespace ngff::ome
