#include "ngff/ome/labels.hpp"

#include <set>

#include "json_path.hpp"

namespace ngff::ome {

using detail::fail;
using detail::index_path;
using detail::key_path;

namespace {

int64_t label_value_of(const Json& entry, std::string_view where) {
  return detail::as_integer(detail::required(entry, "label-value", where),
                            key_path(where, "label-value"));
}

// Parses a non-empty array of objects with unique label-values.
template <typename Parse>
void parse_entries(const Json& array, std::string_view path, Parse parse) {
  detail::expect_array(array, path);
  if (array.empty()) fail(path, "expected at least one entry, got none");
  std::set<int64_t> seen;
  for (size_t i = 0; i < array.size(); ++i) {
    std::string entry_path = index_path(path, i);
    detail::expect_object(array[i], entry_path);
    int64_t value = label_value_of(array[i], entry_path);
    if (!seen.insert(value).second)
      fail(key_path(entry_path, "label-value"), "duplicate label-value " + std::to_string(value));
    parse(array[i], entry_path, value);
  }
}

}  // namespace

ImageLabel ImageLabel::from_json(const Json& json, std::string_view where, Version version) {
  detail::expect_object(json, where);
  ImageLabel label;
  const bool inner_version = !in_ome_namespace(version);  // before 0.5: inside image-label
  if (inner_version) {
    label.version = detail::optional_string(json, "version", where);
    if (label.version) {
      std::string path = key_path(where, "version");
      Version own = parse_version(*label.version, path);
      if (in_ome_namespace(own))
        fail(path, "version '" + *label.version + "' in image-label (OME-NGFF " + to_string(own) +
                       " metadata lives under 'ome')");
    }
  }
  if (const Json* colors = detail::find(json, "colors")) {
    parse_entries(*colors, key_path(where, "colors"),
                  [&](const Json& entry, const std::string& path, int64_t value) {
                    LabelColor color;
                    color.label_value = value;
                    if (const Json* rgba = detail::find(entry, "rgba")) {
                      std::string rgba_path = key_path(path, "rgba");
                      detail::expect_array(*rgba, rgba_path);
                      if (rgba->size() != 4)
                        fail(rgba_path, "expected 4 integers (RGBA), got " +
                                            std::to_string(rgba->size()) + " values");
                      std::array<uint8_t, 4> c{};
                      for (size_t k = 0; k < 4; ++k) {
                        int64_t v = detail::as_integer((*rgba)[k], index_path(rgba_path, k));
                        if (v < 0 || v > 255)
                          fail(index_path(rgba_path, k),
                               "expected an integer in 0..255, got " + std::to_string(v));
                        c[k] = static_cast<uint8_t>(v);
                      }
                      color.rgba = c;
                    }
                    color.extra = detail::extra_members(entry, {"label-value", "rgba"});
                    label.colors.push_back(std::move(color));
                  });
  }
  if (const Json* properties = detail::find(json, "properties")) {
    parse_entries(
        *properties, key_path(where, "properties"),
        [&](const Json& entry, const std::string&, int64_t value) {
          label.properties.push_back({value, detail::extra_members(entry, {"label-value"})});
        });
  }
  if (const Json* source = detail::find(json, "source")) {
    std::string source_path = key_path(where, "source");
    detail::expect_object(*source, source_path);
    label.source_image = detail::optional_string(*source, "image", source_path);
    label.source_extra = detail::extra_members(*source, {"image"});
  }
  if (inner_version)
    label.extra = detail::extra_members(json, {"version", "colors", "properties", "source"});
  else
    label.extra = detail::extra_members(json, {"colors", "properties", "source"});
  return label;
}

Json ImageLabel::to_json(Version v) const {
  Json j = Json::object();
  if (!in_ome_namespace(v) && version) j["version"] = *version;
  if (!colors.empty()) {
    Json cs = Json::array();
    for (const LabelColor& c : colors) {
      Json e = {{"label-value", c.label_value}};
      if (c.rgba) e["rgba"] = Json::array({(*c.rgba)[0], (*c.rgba)[1], (*c.rgba)[2], (*c.rgba)[3]});
      detail::merge_extra(e, c.extra);
      cs.push_back(std::move(e));
    }
    j["colors"] = std::move(cs);
  }
  if (!properties.empty()) {
    Json ps = Json::array();
    for (const LabelProperty& p : properties) {
      Json e = {{"label-value", p.label_value}};
      detail::merge_extra(e, p.extra);
      ps.push_back(std::move(e));
    }
    j["properties"] = std::move(ps);
  }
  if (source_image || source_extra.is_object()) {
    Json s = Json::object();
    if (source_image) s["image"] = *source_image;
    detail::merge_extra(s, source_extra);
    j["source"] = std::move(s);
  }
  detail::merge_extra(j, extra);
  return j;
}

std::optional<std::array<uint8_t, 4>> ImageLabel::color_of(int64_t label_value) const {
  for (const LabelColor& c : colors)
    if (c.label_value == label_value) return c.rgba;
  return std::nullopt;
}

void ImageLabel::warnings(std::string_view where, Version v, std::vector<std::string>& out) const {
  if (colors.empty()) out.push_back(std::string(where) + ": image-label SHOULD have 'colors'");
  if (!in_ome_namespace(v) && !version)
    out.push_back(std::string(where) + ": image-label SHOULD have a 'version'");
}

std::vector<std::string> label_names(const Json& attributes, std::string_view where) {
  detail::expect_object(attributes, where);
  const Json* holder = &attributes;
  std::string holder_path(where);
  // ome-zarr-py writes 0.5 labels groups as {"ome": {"labels": [...]}} without a "version";
  // the list is read from under "ome" whenever there is one.
  if ((attributes.contains("ome") && attributes["ome"].is_object() &&
       attributes["ome"].contains("labels")) ||
      zarr_format(detect_version(attributes, where).value_or(Version::v0_4)) == 3) {
    holder = &attributes["ome"];
    holder_path = key_path(where, "ome");
  }
  std::string path = key_path(holder_path, "labels");
  const Json& labels = detail::required(*holder, "labels", holder_path);
  detail::expect_array(labels, path);
  std::vector<std::string> names;
  for (size_t i = 0; i < labels.size(); ++i)
    names.push_back(detail::as_string(labels[i], index_path(path, i)));
  return names;
}

Json labels_group_attributes(const std::vector<std::string>& names, Version version) {
  if (!in_ome_namespace(version)) return {{"labels", names}};
  return {{"ome", {{"version", to_string(version)}, {"labels", names}}}};
}

}  // namespace ngff::ome
