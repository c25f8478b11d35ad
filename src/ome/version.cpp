#include "ngff/ome/version.hpp"

#include <array>

#include "json_path.hpp"
#include "ngff/error.hpp"

namespace ngff::ome {

using detail::fail;
using detail::key_path;

namespace {

constexpr std::array<std::string_view, 6> kNames = {"0.1", "0.2", "0.3", "0.4", "0.5", "0.6"};

// The spellings of 0.6 besides "0.6": the spec's release candidate, and the drafts' "0.6.devN".
constexpr std::string_view kV06Candidate = "0.6rc0";
constexpr std::string_view kV06DevPrefix = "0.6.dev";

bool is_v06_dev(std::string_view text) {
  if (!text.starts_with(kV06DevPrefix) || text.size() == kV06DevPrefix.size()) return false;
  for (char c : text.substr(kV06DevPrefix.size()))
    if (c < '0' || c > '9') return false;
  return true;
}

}  // namespace

std::string to_string(Version version) {
  return std::string(kNames.at(static_cast<size_t>(version)));
}

Version parse_version(std::string_view text, std::string_view where) {
  for (size_t i = 0; i < kNames.size(); ++i)
    if (text == kNames[i]) return static_cast<Version>(i);
  if (text == kV06Candidate || is_v06_dev(text)) return Version::v0_6;
  fail(where, "unsupported OME-NGFF version '" + std::string(text) +
                  "' (supported: 0.1, 0.2, 0.3, 0.4, 0.5, 0.6)");
}

std::optional<std::string> version_warning(std::string_view text) {
  if (!is_v06_dev(text)) return std::nullopt;
  return "version '" + std::string(text) +
         "' is a pre-release draft of OME-NGFF 0.6; read as 0.6 (the released spelling is '0.6')";
}

bool is_writable(Version version) {
  return version >= Version::v0_4;
}

void require_writable(Version version, std::string_view where) {
  if (!is_writable(version))
    throw UsageError(std::string(where) + ": OME-NGFF " + to_string(version) +
                     " is read-only: ngff writes 0.4 (Zarr v2), 0.5 or 0.6 (Zarr v3)");
}

Version parse_write_version(std::string_view text, std::string_view where) {
  Version version = parse_version(text, where);
  require_writable(version, where);
  return version;
}

Version default_write_version(Version version) {
  return is_writable(version) ? version : Version::v0_4;
}

int zarr_format(Version version) {
  return in_ome_namespace(version) ? 3 : 2;
}

namespace {

// A "version" field of the layouts before 0.5 (inside a top-level key): 0.1-0.4.
std::optional<Version> inner_version(const Json& object, std::string_view where) {
  const Json* value = detail::find(object, "version");
  if (!value) return std::nullopt;
  std::string path = key_path(where, "version");
  Version v = parse_version(detail::as_string(*value, path), path);
  if (in_ome_namespace(v))
    fail(path, "version '" + to_string(v) + "' outside an 'ome' attribute (OME-NGFF " +
                   to_string(v) + " metadata lives under 'ome')");
  return v;
}

// The version of one multiscale: its own, else what its axes say. Names (["z", "y", "x"]) are
// 0.3's; no axes at all is 0.1/0.2, read as 0.1 (ome-zarr-py's default too).
Version multiscale_version(const Json& multiscale, std::string_view where) {
  if (auto v = inner_version(multiscale, where)) return *v;
  const Json* axes = detail::find(multiscale, "axes");
  if (!axes) return Version::v0_1;
  if (axes->is_array() && !axes->empty() && (*axes)[0].is_string()) return Version::v0_3;
  return Version::v0_4;
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
    if (!in_ome_namespace(v))
      fail(path, "version '" + to_string(v) + "' inside 'ome' (OME-NGFF " + to_string(v) +
                     " has no 'ome' key)");
    return v;
  }
  bool found = false;
  std::optional<Version> version;
  if (const Json* multiscales = detail::find(attributes, "multiscales")) {
    found = true;
    if (multiscales->is_array()) {
      std::string path = key_path(where, "multiscales");
      for (size_t i = 0; i < multiscales->size(); ++i) {
        if (!(*multiscales)[i].is_object()) continue;
        std::string item = detail::index_path(path, i);
        Version v = multiscale_version((*multiscales)[i], item);
        if (version && *version != v)
          fail(item, "OME-NGFF " + to_string(v) + " multiscale beside OME-NGFF " +
                         to_string(*version) + " ones (one image has one version)");
        version = v;
      }
    }
  }
  for (std::string_view key : {"image-label", "plate", "well"}) {
    if (const Json* value = detail::find(attributes, key)) {
      found = true;
      if (!value->is_object()) continue;
      std::optional<Version> v = inner_version(*value, key_path(where, key));
      if (!version) version = v;
    }
  }
  for (std::string_view key : {"labels", "omero", "bioformats2raw.layout"})
    if (detail::find(attributes, key)) found = true;
  if (!found) return std::nullopt;
  return version.value_or(Version::v0_4);
}

}  // namespace ngff::ome
