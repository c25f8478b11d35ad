#include "ngff/ome/layout.hpp"

#include <array>
#include <string_view>

namespace ngff::ome {
namespace {

// The top-level keys of 0.4 attributes that OME-NGFF defines (under "ome" in 0.5).
constexpr std::array<std::string_view, 8> kOmeKeys = {"multiscales",           "omero", "labels",
                                                      "image-label",           "plate", "well",
                                                      "bioformats2raw.layout", "series"};

bool is_ome_key(std::string_view key) {
  for (std::string_view k : kOmeKeys)
    if (k == key) return true;
  return false;
}

// 0.4 keeps a "version" inside these objects (and inside each multiscale).
bool is_versioned(std::string_view key) {
  return key == "plate" || key == "well" || key == "image-label";
}

// Sets (0.5 -> 0.4) or drops (0.4 -> 0.5) the per-key "version" of one OME member.
void set_member_version(const std::string& key, Json& value, const Json* version) {
  auto apply = [&](Json& object) {
    if (!object.is_object()) return;
    if (version)
      object["version"] = *version;
    else
      object.erase("version");
  };
  if (is_versioned(key)) apply(value);
  if (key == "multiscales" && value.is_array())
    for (Json& m : value) apply(m);
}

}  // namespace

Json ome_metadata_of(const Json& attributes) {
  if (!attributes.is_object()) return Json::object();
  if (attributes.contains("ome") && attributes["ome"].is_object()) return attributes["ome"];
  Json out = Json::object();
  for (const auto& [key, value] : attributes.items())
    if (is_ome_key(key)) out[key] = value;
  return out;
}

Json map_layout(const Json& attributes, Version from, Version to) {
  if (from == to || !attributes.is_object()) return attributes;
  if (in_ome_namespace(to) && in_ome_namespace(from)) {  // 0.5 <-> 0.6: the same layout
    Json out = attributes;
    if (out.contains("ome") && out["ome"].is_object()) {
      Json& ome = out["ome"];
      ome["version"] = to_string(to);
      if (ome.contains("plate") && ome["plate"].is_object() && ome["plate"].contains("version"))
        ome["plate"]["version"] = to_string(to);
    }
    return out;
  }
  Json out = Json::object();
  if (in_ome_namespace(to)) {
    Json ome = {{"version", to_string(to)}};
    for (const auto& [key, value] : attributes.items()) {
      if (!is_ome_key(key)) {
        out[key] = value;
        continue;
      }
      Json member = value;
      // The 0.5 plate schema still requires a "version" in "plate" (ome-zarr-models warns
      // without it, ome-zarr-py writes it); the others lose theirs.
      const Json plate_version = to_string(to);
      set_member_version(key, member, key == "plate" ? &plate_version : nullptr);
      ome[key] = std::move(member);
    }
    if (ome.size() > 1) out["ome"] = std::move(ome);  // a group without OME keys stays plain
    return out;
  }
  for (const auto& [key, value] : attributes.items())
    if (key != "ome") out[key] = value;
  if (!attributes.contains("ome") || !attributes["ome"].is_object()) return out;
  const Json version = to_string(to);
  for (const auto& [key, value] : attributes["ome"].items()) {
    if (key == "version" || out.contains(key)) continue;  // a top-level key of the same name wins
    Json member = value;
    set_member_version(key, member, &version);
    out[key] = std::move(member);
  }
  return out;
}

}  // namespace ngff::ome
