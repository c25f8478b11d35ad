#include "ngff/image/hierarchy_summary.hpp"

#include "ngff/image/image_summary.hpp"
#include "ngff/image/multiscale_image.hpp"
#include "store/key.hpp"

namespace ngff::image {

Json summarize_plate(const ome::Node& node) {
  Json j = ome::describe(node);
  j["first_field"] = Json();
  if (!node.wells.empty() && !node.wells[0].well.images.empty()) {
    std::string path = node.wells[0].position.path + "/" + node.wells[0].well.images[0].path;
    j["first_field"] =
        summarize_image(MultiscaleImage::open(node.store, join_key(node.path, path)));
    j["first_field"]["path"] = path;
  }
  return j;
}

Json summarize_bioformats2raw(const ome::Node& node) {
  Json j = ome::describe(node);
  for (Json& s : j["series"]) {
    MultiscaleImage image =
        MultiscaleImage::open(node.store, join_key(node.path, s["path"].get<std::string>()));
    Json axes = Json::array();
    for (const auto& a : image.axes()) axes.push_back(a.name);
    s["shape"] = image.level(0).shape();
    s["data_type"] = zarr::dtype_name(image.level(0).dtype());
    s["axes"] = std::move(axes);
    s["levels"] = image.num_levels();
    s["ome_version"] = ome::to_string(image.version());
  }
  j["ome_xml"] = node.store->exists(join_key(node.path, "OME/METADATA.ome.xml"));
  return j;
}

}  // namespace ngff::image
