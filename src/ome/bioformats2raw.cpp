#include "ngff/ome/bioformats2raw.hpp"

#include "existing_child.hpp"
#include "json_path.hpp"
#include "ome_member.hpp"
#include "store/key.hpp"
#include "store/xml_text.hpp"

namespace ngff::ome {

using detail::index_path;
using detail::key_path;

namespace {

constexpr std::string_view kLayout = "bioformats2raw.layout";

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

// The attributes of one start tag's text (after the element name, up to '>').
std::pair<std::string, std::string> id_and_name(std::string_view tag) {
  std::string id, name;
  size_t i = 0;
  while (i < tag.size()) {
    while (i < tag.size() && is_space(tag[i])) ++i;
    size_t key_begin = i;
    while (i < tag.size() && tag[i] != '=' && !is_space(tag[i])) ++i;
    std::string_view key = tag.substr(key_begin, i - key_begin);
    while (i < tag.size() && is_space(tag[i])) ++i;
    if (i >= tag.size() || tag[i] != '=') {
      ++i;
      continue;
    }
    ++i;
    while (i < tag.size() && is_space(tag[i])) ++i;
    if (i >= tag.size() || (tag[i] != '"' && tag[i] != '\'')) continue;
    char quote = tag[i++];
    size_t end = tag.find(quote, i);
    if (end == std::string_view::npos) break;
    std::string value = ngff::detail::xml_unescape(tag.substr(i, end - i));
    if (key == "ID") id = value;
    if (key == "Name") name = value;
    i = end + 1;
  }
  return {id, name};
}

}  // namespace

bool is_bioformats2raw(const Json& attributes) {
  if (!attributes.is_object()) return false;
  if (const Json* ome = detail::find(attributes, "ome"))
    if (ome->is_object() && detail::find(*ome, kLayout)) return true;
  return detail::find(attributes, kLayout) != nullptr;
}

std::vector<std::string> numbered_series(const Store& store, const std::string& path) {
  std::vector<std::string> out;
  for (size_t series = 0;; ++series) {
    std::string child = join_key(path, std::to_string(series));
    if (!store.exists(join_key(child, "zarr.json")) && !store.exists(join_key(child, ".zattrs")) &&
        !store.exists(join_key(child, ".zgroup")))
      return out;
    out.push_back(std::to_string(series));
  }
}

std::vector<std::pair<std::string, std::string>> ome_xml_images(std::string_view xml) {
  std::vector<std::pair<std::string, std::string>> out;
  size_t pos = 0;
  while ((pos = xml.find('<', pos)) != std::string_view::npos) {
    if (xml.substr(pos, 4) == "<!--") {  // a comment may hold anything, "<Image" included
      pos = xml.find("-->", pos);
      if (pos == std::string_view::npos) break;
      continue;
    }
    if (xml.substr(pos, 9) == "<![CDATA[") {
      pos = xml.find("]]>", pos);
      if (pos == std::string_view::npos) break;
      continue;
    }
    size_t name_begin = pos + 1;
    size_t name_end = name_begin;
    while (name_end < xml.size() && !is_space(xml[name_end]) && xml[name_end] != '>' &&
           xml[name_end] != '/')
      ++name_end;
    std::string_view element = xml.substr(name_begin, name_end - name_begin);
    if (size_t colon = element.find(':'); colon != std::string_view::npos)
      element = element.substr(colon + 1);
    size_t tag_end = xml.find('>', name_end);
    if (tag_end == std::string_view::npos) break;
    if (element == "Image") out.push_back(id_and_name(xml.substr(name_end, tag_end - name_end)));
    pos = tag_end + 1;
  }
  return out;
}

std::vector<Series> bioformats2raw_series(const Store& store, const std::string& path) {
  std::string ome_path = join_key(path, "OME");
  std::vector<Series> out;
  bool listed = false;
  if (auto attributes = detail::read_group_attributes(store, ome_path)) {
    const Json* holder = &*attributes;
    std::string where = store.key_url(ome_path) + ": attributes";
    if (const Json* ome = detail::find(*attributes, "ome"); ome && ome->is_object()) {
      holder = ome;
      where = key_path(where, "ome");
    }
    if (const Json* series = detail::find(*holder, "series")) {
      listed = true;
      std::string list_path = key_path(where, "series");
      detail::expect_array(*series, list_path);
      for (size_t i = 0; i < series->size(); ++i) {
        std::string entry_path = index_path(list_path, i);
        std::string name = detail::as_string((*series)[i], entry_path);
        detail::existing_child(store, path, name, entry_path, "series");
        out.push_back({name, std::nullopt, std::nullopt});
      }
    }
  }
  if (!listed)
    for (std::string& name : numbered_series(store, path))
      out.push_back({std::move(name), std::nullopt, std::nullopt});
  if (auto xml = store.get(join_key(ome_path, "METADATA.ome.xml"))) {
    auto images = ome_xml_images(as_string_view(*xml));
    for (size_t i = 0; i < out.size() && i < images.size(); ++i) {
      if (!images[i].first.empty()) out[i].id = images[i].first;
      if (!images[i].second.empty()) out[i].name = images[i].second;
    }
  }
  return out;
}

}  // namespace ngff::ome
