#include "ngff/ome/named_children.hpp"

#include <algorithm>

namespace ngff::ome {
namespace {

void add_string(std::vector<std::string>& out, const Json& v) {
  if (v.is_string() && !v.get<std::string>().empty()) out.push_back(v.get<std::string>());
}

}  // namespace

std::vector<std::string> named_children(const Json& attributes) {
  std::vector<std::string> out;
  if (!attributes.is_object()) return out;
  const Json& a =
      attributes.contains("ome") && attributes["ome"].is_object() ? attributes["ome"] : attributes;
  if (a.contains("multiscales") && a["multiscales"].is_array()) {
    for (const auto& ms : a["multiscales"]) {
      if (!ms.is_object() || !ms.contains("datasets") || !ms["datasets"].is_array()) continue;
      for (const auto& d : ms["datasets"])
        if (d.is_object() && d.contains("path")) add_string(out, d["path"]);
    }
    out.emplace_back("labels");
  }
  if (a.contains("labels") && a["labels"].is_array())
    for (const auto& name : a["labels"]) add_string(out, name);
  if (a.contains("well") && a["well"].is_object() && a["well"].contains("images") &&
      a["well"]["images"].is_array())
    for (const auto& im : a["well"]["images"])
      if (im.is_object() && im.contains("path")) add_string(out, im["path"]);
  std::vector<std::string> unique;
  for (auto& n : out)
    if (std::find(unique.begin(), unique.end(), n) == unique.end()) unique.push_back(n);
  return unique;
}

}  // namespace ngff::ome
