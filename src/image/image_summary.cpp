#include "ngff/image/image_summary.hpp"

#include "ngff/zarr/node_summary.hpp"

namespace ngff::image {

Json summarize_image(const MultiscaleImage& img) {
  Json axes = Json::array();
  for (const auto& a : img.axes()) {
    Json j{{"name", a.name}};
    j["type"] = a.type ? Json(*a.type) : Json();
    j["unit"] = a.unit ? Json(*a.unit) : Json();
    axes.push_back(std::move(j));
  }
  Json levels = Json::array();
  for (size_t i = 0; i < img.num_levels(); ++i) {
    const auto& level = img.level(i);
    zarr::SummaryOptions so;
    Json array = zarr::summarize_array(img.level_array(i), so);
    levels.push_back({{"path", img.multiscale().datasets[i].path},
                      {"shape", level.shape()},
                      {"chunks", array["chunks"]},
                      {"shards", array.value("shards", Json())},
                      {"data_type", array["data_type"]},
                      {"scale", level.scale()},
                      {"translation", level.translation()},
                      {"codecs", array["codecs"]},
                      {"bytes_stored", array["bytes_stored"]},
                      {"compression_ratio", array["compression_ratio"]}});
  }
  Json channels = Json::array();
  if (img.attributes().omero)
    for (const auto& c : img.attributes().omero->channels) {
      Json j = Json::object();
      j["label"] = c.label ? Json(*c.label) : Json();
      j["color"] = c.color ? Json(*c.color) : Json();
      if (c.window)
        j["window"] = {{"start", c.window->start},
                       {"end", c.window->end},
                       {"min", c.window->min},
                       {"max", c.window->max}};
      j["active"] = c.active ? Json(*c.active) : Json();
      channels.push_back(std::move(j));
    }
  Json j{{"ome_version", ome::to_string(img.version())},
         {"name", img.name()},
         {"axes", axes},
         {"levels", levels},
         {"channels", channels},
         {"labels", img.label_names()}};
  j["type"] = img.multiscale().type ? Json(*img.multiscale().type) : Json();
  j["is_label"] = img.attributes().image_label.has_value();
  return j;
}

}  // namespace ngff::image
