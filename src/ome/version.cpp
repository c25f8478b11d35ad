#include "ngff/ome/version.hpp"

#include "json_path.hpp"

namespace ngff::ome {

using detail::fail;
using detail::key_path;

std::string to_string(Version version) {
  return version == Version::v0_4 ? "0.4" : "0.5";
}

Version parse_version(std::string_view text, std::string_view where) {
  if (text == "0.4") return Version::v0_4;
  if (text == "0.5") return Version::v0_5;
  fail(where, "unsupported OME-NGFF version '" + std::string(text) + "' (supported: 0.4, 0.5)");
}

int zarr_format(Version version) {
  return version == Version::v0_4 ? 2 : 3;
}

namespace {

// Checks one "version" field of 0.4 metadata: it must say 0.4.
void check_v04_version(const Json& object, std::string_view where) {
  const Json* value = detail::find(object, "version");
  if (!value) return;
  std::string path = key_path(where, "version");
  Version v = parse_version(detail::as_string(*value, path), path);
  if (v != Version::v0_4)
    fail(path, "version '" + to_string(v) +
                   "' outside an 'ome' attribute (OME-NGFF 0.5 metadata lives under 'ome')");
}

}  // namespace

std::optional<Version> detect_version(const Json& attributes, std::string_view where) {
  if (!attributes.is_object()) return std::nullopt;
  if (const Json* ome = detail::find(attributes, "ome")) {
    std::string ome_path = key_path(where, "ome");
    detail::expect_object(*ome, ome_path);
    std::string path = key_path(ome_path, "version");
    Version v =
        parse_version(detail::as_string(detail::required(*ome, "version", ome_path), path), path);
    if (v != Version::v0_5)
      fail(path, "version '" + to_string(v) + "' inside 'ome' (OME-NGFF 0.4 has no 'ome' key)");
    return v;
  }
  bool found = false;
  if (const Json* multiscales = detail::find(attributes, "multiscales")) {
    found = true;
    if (multiscales->is_array()) {
      std::string path = key_path(where, "multiscales");
      for (size_t i = 0; i < multiscales->size(); ++i)
        if ((*multiscales)[i].is_object())
          check_v04_version((*multiscales)[i], detail::index_path(path, i));
    }
  }
  for (std::string_view key : {"image-label", "plate", "well"}) {
    if (const Json* value = detail::find(attributes, key)) {
      found = true;
      if (value->is_object()) check_v04_version(*value, key_path(where, key));
    }
  }
  for (std::string_view key : {"labels", "omero", "bioformats2raw.layout"})
    if (detail::find(attributes, key)) found = true;
  if (!found) return std::nullopt;
  return Version::v0_4;
}

}  // namespace ngff::ome
