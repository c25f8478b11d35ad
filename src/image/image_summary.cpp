#include "ngff/image/image_summary.hpp"

#include "ngff/zarr/node_summary.hpp"

namespace ngff::image {

Json summarize_image(const MultiscaleImage& image) {
  Json axes = Json::array();
  for (const auto& a : image.axes()) {
    Json j{{"name", a.name}};
    j["type"] = a.type ? Json(*a.type) : Json();
    j["unit"] = a.unit ? Json(*a.unit) : Json();
    axes.push_back(std::move(j));
  }
  Json levels = Json::array();
  for (size_t i = 0; i < image.num_levels(); ++i) {
    const auto& level = image.level(i);
    zarr::SummaryOptions so;
    Json array = zarr::summarize_array(image.level_array(i), so);
    levels.push_back({{"path", image.multiscale().datasets[i].path},
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
  if (image.attributes().omero)
    for (const auto& c : image.attributes().omero->channels) {
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
  Json j{{"ome_version", ome::to_string(image.version())},
         {"name", image.name()},
         {"axes", axes},
         {"levels", levels},
         {"channels", channels},
         {"labels", image.label_names()}};
  j["type"] = image.multiscale().type ? Json(*image.multiscale().type) : Json();
  // 0.6: the coordinate systems (the intrinsic one first) and the multiscale's transformations.
  const ome::Multiscale& ms = image.multiscale();
  if (!ms.coordinate_systems.empty()) {
    Json systems = Json::array();
    for (const auto& system : ms.coordinate_systems)
      systems.push_back({{"name", system.name},
                         {"axes", system.axis_names()},
                         {"intrinsic", system.name == ms.intrinsic}});
    Json chain = Json::array();
    for (const auto& t : ms.coordinate_transformations) chain.push_back(ome::describe_chain(t));
    j["coordinate_systems"] = std::move(systems);
    j["transformations"] = std::move(chain);
  }
  j["is_label"] = image.attributes().image_label.has_value();
  return j;
}

}  // namespace ngff::image
