// The transitional "omero" metadata of OME-NGFF 0.4 / 0.5 images: how to render the channels.
//   "omero": {"id": 1, "name": "example.tif", "version": "0.5",
//             "channels": [{"label": "LaminB1", "color": "0000FF", "active": true,
//                           "coefficient": 1, "family": "linear", "inverted": false,
//                           "window": {"start": 0, "end": 1500, "min": 0, "max": 65535}}],
//             "rdefs": {"defaultT": 0, "defaultZ": 118, "model": "color"}}
// "channels" is required; a window has all of start, end, min and max.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ngff/util/json.hpp"

namespace ngff::ome {

struct Window {
  double start = 0, end = 0, min = 0, max = 0;
  Json extra = Json::object();

  static Window from_json(const Json& json, std::string_view where);
  Json to_json() const;
  bool operator==(const Window&) const = default;
};

struct Channel {
  std::optional<std::string> label;
  std::optional<std::string> color;  // "FF0000" (RRGGBB hex)
  std::optional<Window> window;
  std::optional<bool> active;
  std::optional<double> coefficient;
  std::optional<std::string> family;
  std::optional<bool> inverted;
  Json extra = Json::object();

  static Channel from_json(const Json& json, std::string_view where);
  Json to_json() const;
  bool operator==(const Channel&) const = default;
};

struct Omero {
  std::optional<int64_t> id;
  std::optional<std::string> name;
  std::optional<std::string> version;
  std::vector<Channel> channels;
  Json rdefs;  // null when absent
  Json extra = Json::object();

  // Throws ValidationError naming the JSON path (`where` is the path of the "omero" object).
  static Omero from_json(const Json& json, std::string_view where);
  Json to_json() const;
  // SHOULD-level problems (colours that are not RRGGBB). One "<path>: <message>" line each.
  void warnings(std::string_view where, std::vector<std::string>& out) const;
  bool operator==(const Omero&) const = default;
};

// Whether `color` is an RRGGBB hex string ("FF0000", case-insensitive).
bool is_hex_color(std::string_view color);

}  // namespace ngff::ome
