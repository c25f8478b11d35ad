#include "ngff/ome/well.hpp"

#include <set>

#include "json_path.hpp"
#include "ome_member.hpp"

namespace ngff::ome {

using detail::fail;
using detail::index_path;
using detail::key_path;

namespace {

bool is_field_name_v06(std::string_view name) {
  if (name.empty() || name.starts_with("__")) return false;
  bool only_dots = true;
  for (char c : name) {
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '.' || c == '-';
    if (!ok) return false;
    only_dots &= c == '.';
  }
  return !only_dots;
}

}  // namespace

Well Well::from_json(const Json& json, std::string_view where, Version version) {
  detail::expect_object(json, where);
  Well w;
  if (zarr_format(version) == 2) {
    w.version = detail::optional_string(json, "version", where);
    if (w.version) {
      std::string path = key_path(where, "version");
      Version own = parse_version(*w.version, path);
      if (in_ome_namespace(own))
        fail(path, "version '" + *w.version + "' in well (OME-NGFF " + to_string(own) +
                       " metadata lives under 'ome')");
    }
  }
  std::string images_path = key_path(where, "images");
  const Json& images = detail::required(json, "images", where);
  detail::expect_array(images, images_path);
  if (images.empty()) fail(images_path, "expected at least one field image, got none");
  std::set<std::string> seen;
  for (size_t i = 0; i < images.size(); ++i) {
    std::string entry_path = index_path(images_path, i);
    detail::expect_object(images[i], entry_path);
    WellImage image;
    std::string path_path = key_path(entry_path, "path");
    image.path = detail::as_string(detail::required(images[i], "path", entry_path), path_path);
    if (version == Version::v0_6) {
      // 0.6 widens the names to letters, digits, '_', '.' and '-', but for "." / ".." and a
      // leading "__" (Zarr's reserved prefix).
      if (!is_field_name_v06(image.path))
        fail(path_path, "'" + image.path +
                            "' is not a field name (letters, digits, '_', '.' and '-'; not only "
                            "dots, not starting with '__')");
    } else if (!is_alphanumeric_name(image.path)) {
      fail(path_path, "'" + image.path + "' is not alphanumeric (letters and digits only)");
    }
    if (!seen.insert(image.path).second) fail(path_path, "duplicate field '" + image.path + "'");
    if (const Json* a = detail::find(images[i], "acquisition"))
      image.acquisition = detail::as_integer(*a, key_path(entry_path, "acquisition"));
    image.extra = detail::extra_members(images[i], {"path", "acquisition"});
    w.images.push_back(std::move(image));
  }
  if (zarr_format(version) == 2)
    w.extra = detail::extra_members(json, {"version", "images"});
  else
    w.extra = detail::extra_members(json, {"images"});
  return w;
}

Json Well::to_json(Version v) const {
  Json j = Json::object();
  if (zarr_format(v) == 2) j["version"] = to_string(v);
  Json images_json = Json::array();
  for (const WellImage& image : images) {
    Json e = {{"path", image.path}};
    if (image.acquisition) e["acquisition"] = *image.acquisition;
    detail::merge_extra(e, image.extra);
    images_json.push_back(std::move(e));
  }
  j["images"] = std::move(images_json);
  detail::merge_extra(j, extra);
  return j;
}

void Well::validate(std::string_view where, Version v) const {
  from_json(to_json(v), where, v);
}

std::optional<WellAttributes> WellAttributes::from_json(const Json& attributes,
                                                        std::string_view where) {
  return detail::parse_ome_member(attributes, where, "well", &WellAttributes::well);
}

Json WellAttributes::to_json(Version v) const {
  return detail::ome_attributes("well", well.to_json(v), v, extra, ome_extra);
}

void check_well_in_plate(const Well& well, const Plate& plate, std::string_view where) {
  std::string images_path = key_path(where, "images");
  for (size_t i = 0; i < well.images.size(); ++i) {
    const WellImage& image = well.images[i];
    std::string entry_path = index_path(images_path, i);
    if (image.acquisition) {
      if (!plate.acquisitions.empty() && !plate.has_acquisition(*image.acquisition))
        fail(key_path(entry_path, "acquisition"), "acquisition " +
                                                      std::to_string(*image.acquisition) +
                                                      " is not among the plate's acquisitions");
    } else if (plate.acquisitions.size() > 1) {
      fail(entry_path, "missing required field 'acquisition' (the plate has " +
                           std::to_string(plate.acquisitions.size()) + " acquisitions)");
    }
  }
}

}  // namespace ngff::ome
