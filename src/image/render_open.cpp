// open_render_image: what `ngff render` and ngff.render() draw for a URL that is not an image
// itself: a well's first field, a plate's first well's first field, a bioformats2raw series.
#include "ngff/error.hpp"
#include "ngff/image/render.hpp"
#include "ngff/ome/hierarchy.hpp"
#include "ngff/store/open_store.hpp"
#include "store/key.hpp"

namespace ngff::image {

MultiscaleImage open_render_image(std::string_view url, size_t series) {
  auto loc = open_store(url);
  const ome::Node node = ome::open_node(loc.store, loc.path);
  std::string path = loc.path;
  if (node.kind == ome::NodeKind::plate) {
    if (node.wells.empty() || node.wells[0].well.images.empty())
      throw UsageError(node.url() + ": the plate has no field to render");
    path = join_key(join_key(path, node.wells[0].position.path), node.wells[0].well.images[0].path);
  } else if (node.kind == ome::NodeKind::well) {
    path = join_key(path, node.well->well.images.at(0).path);
  }
  return MultiscaleImage::open_series(loc.store, path, series);
}

}  // namespace ngff::image
