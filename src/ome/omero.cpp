#include "ngff/ome/omero.hpp"

#include <cctype>

#include "json_path.hpp"

namespace ngff::ome {

using detail::index_path;
using detail::key_path;

Window Window::from_json(const Json& json, std::string_view where) {
  detail::expect_object(json, where);
  auto number = [&](std::string_view key) {
    return detail::as_number(detail::required(json, key, where), key_path(where, key));
  };
  Window w;
  w.start = number("start");
  w.end = number("end");
  w.min = number("min");
  w.max = number("max");
  w.extra = detail::extra_members(json, {"start", "end", "min", "max"});
  return w;
}

Json Window::to_json() const {
  Json j = {{"start", start}, {"end", end}, {"min", min}, {"max", max}};
  detail::merge_extra(j, extra);
  return j;
}

Channel Channel::from_json(const Json& json, std::string_view where) {
  detail::expect_object(json, where);
  Channel c;
  c.label = detail::optional_string(json, "label", where);
  c.color = detail::optional_string(json, "color", where);
  if (const Json* window = detail::find(json, "window"))
    c.window = Window::from_json(*window, key_path(where, "window"));
  c.active = detail::optional_bool(json, "active", where);
  c.coefficient = detail::optional_number(json, "coefficient", where);
  c.family = detail::optional_string(json, "family", where);
  c.inverted = detail::optional_bool(json, "inverted", where);
  c.extra = detail::extra_members(
      json, {"label", "color", "window", "active", "coefficient", "family", "inverted"});
  return c;
}

Json Channel::to_json() const {
  Json j = Json::object();
  if (label) j["label"] = *label;
  if (color) j["color"] = *color;
  if (window) j["window"] = window->to_json();
  if (active) j["active"] = *active;
  if (coefficient) j["coefficient"] = *coefficient;
  if (family) j["family"] = *family;
  if (inverted) j["inverted"] = *inverted;
  detail::merge_extra(j, extra);
  return j;
}

Omero Omero::from_json(const Json& json, std::string_view where) {
  detail::expect_object(json, where);
  Omero o;
  if (const Json* id = detail::find(json, "id"))
    o.id = detail::as_integer(*id, key_path(where, "id"));
  o.name = detail::optional_string(json, "name", where);
  o.version = detail::optional_string(json, "version", where);
  std::string channels_path = key_path(where, "channels");
  const Json& channels = detail::required(json, "channels", where);
  detail::expect_array(channels, channels_path);
  for (size_t i = 0; i < channels.size(); ++i)
    o.channels.push_back(Channel::from_json(channels[i], index_path(channels_path, i)));
  if (const Json* rdefs = detail::find(json, "rdefs")) {
    detail::expect_object(*rdefs, key_path(where, "rdefs"));
    o.rdefs = *rdefs;
  }
  o.extra = detail::extra_members(json, {"id", "name", "version", "channels", "rdefs"});
  return o;
}

Json Omero::to_json() const {
  Json j = Json::object();
  if (id) j["id"] = *id;
  if (name) j["name"] = *name;
  if (version) j["version"] = *version;
  Json cs = Json::array();
  for (const Channel& c : channels) cs.push_back(c.to_json());
  j["channels"] = std::move(cs);
  if (!rdefs.is_null()) j["rdefs"] = rdefs;
  detail::merge_extra(j, extra);
  return j;
}

bool is_hex_color(std::string_view color) {
  if (color.size() != 6) return false;
  for (char ch : color)
    if (!std::isxdigit(static_cast<unsigned char>(ch))) return false;
  return true;
}

void Omero::warnings(std::string_view where, std::vector<std::string>& out) const {
  std::string channels_path = key_path(where, "channels");
  for (size_t i = 0; i < channels.size(); ++i) {
    const Channel& c = channels[i];
    if (c.color && !is_hex_color(*c.color))
      out.push_back(key_path(index_path(channels_path, i), "color") + ": '" + *c.color +
                    "' is not an RRGGBB hex colour");
  }
}

}  // namespace ngff::ome
