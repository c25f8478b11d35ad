#include "ome_member.hpp"

#include "json_path.hpp"
#include "store/key.hpp"

namespace ngff::ome::detail {

std::optional<OmeMember> find_ome_member(const Json& attributes, std::string_view where,
                                         std::string_view key) {
  if (!attributes.is_object()) return std::nullopt;
  std::optional<Version> version = detect_version(attributes, where);
  if (!version) return std::nullopt;
  if (zarr_format(*version) == 2) {  // 0.1-0.4: keys at the top level
    const Json* value = find(attributes, key);
    if (!value) return std::nullopt;
    return OmeMember{*version, value, key_path(where, key), extra_members(attributes, {key}),
                     Json::object()};
  }
  const Json& ome = attributes["ome"];
  const Json* value = find(ome, key);
  if (!value) return std::nullopt;
  return OmeMember{*version, value, key_path(key_path(where, "ome"), key),
                   extra_members(attributes, {"ome"}), extra_members(ome, {"version", key})};
}

Json ome_attributes(std::string_view key, Json member, Version version, const Json& extra,
                    const Json& ome_extra) {
  Json j = extra.is_object() ? extra : Json::object();
  if (zarr_format(version) == 2) {
    j[std::string(key)] = std::move(member);
    merge_extra(j, ome_extra);
    return j;
  }
  Json ome = Json::object();
  ome["version"] = to_string(version);
  ome[std::string(key)] = std::move(member);
  merge_extra(ome, ome_extra);
  j["ome"] = std::move(ome);
  return j;
}

std::optional<Json> read_group_attributes(const Store& store, const std::string& path) {
  if (auto v3 = store.get(join_key(path, "zarr.json"))) {
    Json doc = parse_json(*v3, store.key_url(join_key(path, "zarr.json")));
    if (doc.value("node_type", "") != "group") return std::nullopt;
    return doc.contains("attributes") ? doc["attributes"] : Json::object();
  }
  if (auto v2 = store.get(join_key(path, ".zattrs")))
    return parse_json(*v2, store.key_url(join_key(path, ".zattrs")));
  if (store.exists(join_key(path, ".zgroup"))) return Json::object();
  return std::nullopt;
}

}  // namespace ngff::ome::detail
