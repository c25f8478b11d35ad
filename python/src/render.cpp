// ngff._ngff.render and open_render_image: image::render for python/ngff/render.py, the picture
// as an (height, width, 3) uint8 numpy array.
#include "ngff/image/render.hpp"
#include <cstring>

#include "binding.hpp"
#include "images.hpp"

using namespace nb::literals;

namespace ngff::python {
namespace {

PyImage open_render_image(const std::string& url, size_t series) {
  nb::gil_scoped_release release;
  return {std::make_shared<image::MultiscaleImage>(image::open_render_image(url, series))};
}

// `windows`: (channel, start, end) each; `region`: (y, x, height, width) in level-0 indices.
NumpyArray render(const PyImage& img, std::optional<size_t> level, uint32_t width, uint32_t height,
                  std::optional<uint64_t> z, bool mip, std::optional<uint64_t> t,
                  const std::vector<size_t>& channels,
                  const std::vector<std::tuple<size_t, double, double>>& windows,
                  const std::string& labels, double label_opacity,
                  const std::optional<std::vector<uint64_t>>& region) {
  image::RenderOptions o;
  o.level = level;
  o.width = width;
  o.height = height;
  o.z = z;
  o.mip = mip;
  o.t = t;
  o.channels = channels;
  o.labels = labels;
  o.label_opacity = label_opacity;
  if (region) {
    if (region->size() != 4) throw UsageError("region: expected (y, x, height, width)");
    o.region = zarr::Region{{(*region)[0], (*region)[1]}, {(*region)[2], (*region)[3]}};
  }
  image::RgbImage picture;
  {
    nb::gil_scoped_release release;
    for (const auto& [c, start, end] : windows) {
      image::ChannelStyle s = image::channel_style(*img.image, c);
      s.start = start;
      s.end = end;
      o.styles.push_back(s);
    }
    picture = image::render(*img.image, o);
  }
  return new_array({picture.height, picture.width, 3}, DataType::uint8, [&](void* out) {
    std::memcpy(out, picture.pixels.data(), picture.pixels.size());
  });
}

}  // namespace

void register_render(nb::module_& m) {
  m.def("open_render_image", &open_render_image, "url"_a, "series"_a = 0);
  m.def("render", &render, "image"_a, "level"_a = nb::none(), "width"_a = 1024, "height"_a = 1024,
        "z"_a = nb::none(), "mip"_a = false, "t"_a = nb::none(),
        "channels"_a = std::vector<size_t>{},
        "windows"_a = std::vector<std::tuple<size_t, double, double>>{}, "labels"_a = "",
        "label_opacity"_a = 0.5, "region"_a = nb::none());
}

}  // namespace ngff::python
