// ngff render URL -o out.png: a picture of an image (a well's or plate's first field, a
// bioformats2raw series), its channels in their omero colours and windows, a label image over
// them; read from the coarsest pyramid level that covers the picture.
#include <fmt/core.h>

#include "commands.hpp"
#include "error_exit.hpp"
#include "ngff/error.hpp"
#include "ngff/image/render.hpp"
#include "ngff/zarr/region_spelling.hpp"

namespace ngff::cli {
namespace {

struct RenderFlags {
  std::string url, output;
  std::string level = "auto";
  std::string size = "1024x1024";
  std::string channels, region, labels;
  std::vector<std::string> windows;
  int64_t z = -1, t = -1;
  size_t series = 0;
  bool mip = false;
  double opacity = 0.5;
};

// "800x600" -> {800, 600}; "0" in either place: no limit.
std::pair<uint32_t, uint32_t> parse_size(const std::string& text) {
  const size_t x = text.find('x');
  try {
    if (x != std::string::npos)
      return {static_cast<uint32_t>(std::stoul(text.substr(0, x))),
              static_cast<uint32_t>(std::stoul(text.substr(x + 1)))};
  } catch (const std::exception&) {
  }
  throw UsageError("--size: expected WIDTHxHEIGHT, e.g. 800x600, not '" + text + "'");
}

// "1:100:2000" -> channel 1 drawn with the window 100..2000.
image::ChannelStyle parse_window(const std::string& text, const image::MultiscaleImage& img) {
  const size_t a = text.find(':'), b = a == std::string::npos ? a : text.find(':', a + 1);
  try {
    if (b != std::string::npos) {
      image::ChannelStyle s = image::channel_style(img, std::stoul(text.substr(0, a)));
      s.start = std::stod(text.substr(a + 1, b - a - 1));
      s.end = std::stod(text.substr(b + 1));
      return s;
    }
  } catch (const std::invalid_argument&) {
  } catch (const std::out_of_range&) {
  }
  throw UsageError("--window: expected CHANNEL:START:END, e.g. 0:100:2000, not '" + text + "'");
}

int run_render(const RenderFlags& f) {
  const image::MultiscaleImage img = image::open_render_image(f.url, f.series);
  image::RenderOptions o;
  if (f.level != "auto") o.level = zarr::parse_shape(f.level).at(0);
  std::tie(o.width, o.height) = parse_size(f.size);
  if (f.z >= 0) o.z = static_cast<uint64_t>(f.z);
  if (f.t >= 0) o.t = static_cast<uint64_t>(f.t);
  o.mip = f.mip;
  if (!f.channels.empty())
    for (uint64_t c : zarr::parse_shape(f.channels)) o.channels.push_back(c);
  o.labels = f.labels;
  o.label_opacity = f.opacity;
  if (!f.region.empty()) {
    const image::PlaneShape plane = image::plane_shape(img);
    o.region = zarr::parse_region(f.region, {plane.height, plane.width});
  }
  for (const std::string& w : f.windows) o.styles.push_back(parse_window(w, img));
  image::RenderInfo info;
  const image::RgbImage picture = image::render(img, o, &info);
  image::write_png(f.output, picture);
  std::string channels;
  for (const auto& s : info.styles)
    channels += fmt::format("{}{} {} {:g}..{:g}", channels.empty() ? "" : ", ", s.index,
                            image::rgb_hex(s.color), *s.start, *s.end);
  fmt::print(stderr, "{}: {}x{} from level {} {}; channels {}\n", f.output, picture.width,
             picture.height, info.level, info.level_region.to_string(), channels);
  return kOk;
}

}  // namespace

void setup_render(CLI::App& app) {
  auto f = std::make_shared<RenderFlags>();
  auto* sub = app.add_subcommand("render", "Draw an OME-Zarr image (and a label image) as a PNG");
  sub->add_option("url", f->url,
                  "Image, well or plate (first field), or bioformats2raw root (--series)")
      ->required();
  sub->add_option("-o,--output", f->output, "The PNG file to write")->required();
  sub->add_option("--level", f->level,
                  "Pyramid level to read; auto: the coarsest that covers --size")
      ->capture_default_str();
  sub->add_option("--size", f->size,
                  "Fit the picture in WIDTHxHEIGHT pixels (never enlarged; 0x0: no limit)")
      ->capture_default_str();
  sub->add_option("--z", f->z,
                  "z plane, a full-resolution index (default: omero defaultZ, else "
                  "the middle)");
  sub->add_flag("--mip", f->mip, "Maximum intensity projection over z instead of one plane");
  sub->add_option("--t", f->t, "Time point (default: omero defaultT, else 0)");
  sub->add_option("--channels", f->channels,
                  "Channels to draw, e.g. 0,2 (default: those omero marks active)");
  sub->add_option("--window", f->windows,
                  "CHANNEL:START:END, a channel's window (default: omero's, else the 0.1 and "
                  "99.9 percentiles of the plane)");
  sub->add_option("--labels", f->labels, "A label image to lay over the picture, by name");
  sub->add_option("--label-opacity", f->opacity, "Opacity of the label overlay, 0 to 1")
      ->capture_default_str();
  sub->add_option("--region", f->region,
                  "The y/x box to draw in full-resolution indices, e.g. 100:612,0:512");
  sub->add_option("--series", f->series, "Series of a bioformats2raw root")->capture_default_str();
  sub->callback([f] { run_verb([&] { return run_render(*f); }); });
}

}  // namespace ngff::cli
