#include "ngff/ome/finish_store.hpp"

#include <algorithm>
#include <exception>

#include "ngff/store/zip_store.hpp"
#include "ngff/util/json.hpp"
#include "store/metadata_keys.hpp"

namespace ngff::ome {
namespace {

// Whether a zarr.json leaves the zip RFC-9's recommended variant: a group, or a sharded array.
bool is_sharded_or_group(const Json& doc) {
  if (doc.value("node_type", "") != "array") return true;
  const Json& codecs = doc.at("codecs");
  return std::any_of(codecs.begin(), codecs.end(),
                     [](const Json& c) { return c.value("name", "") == "sharding_indexed"; });
}

}  // namespace

std::string ozx_comment(const Store& store) {
  try {
    auto bytes = store.get(kZarrJson);
    if (!bytes) return {};
    Json root = parse_json(*bytes, kZarrJson);
    const Json& version = root.at("attributes").at("ome").at("version");
    if (!version.is_string()) return {};
    for (const auto& key : store.list("")) {
      if (key_name(key) != kZarrJson) continue;
      auto doc = store.get(key);
      if (!doc || !is_sharded_or_group(parse_json(*doc, key))) return {};
    }
    return Json{{"ome", {{"version", version}}}}.dump() + std::string(1, '\0');
  } catch (const std::exception&) {
    return {};
  }
}

void finish_store(Store& store) {
  if (auto* zip = dynamic_cast<ZipStore*>(&store); zip && zip->is_writable())
    zip->set_comment(ozx_comment(*zip));
  store.close();
}

}  // namespace ngff::ome
