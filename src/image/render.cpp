// ngff::image::render: choosing the level, the plane and the channels; reading the plane's box
// (render_plane.cpp), compositing it and the labels (render_composite.cpp).
#include "ngff/image/render.hpp"

#include <algorithm>
#include <cmath>

#include "image/label_colors.hpp"
#include "image/render_composite.hpp"
#include "image/render_plane.hpp"
#include "ngff/error.hpp"

namespace ngff::image {
namespace {

constexpr std::array<std::array<uint8_t, 3>, 6> kDefaultColors = {
    {{255, 0, 0}, {0, 255, 0}, {0, 0, 255}, {255, 0, 255}, {0, 255, 255}, {255, 255, 0}}};

// A non-negative integer of the omero "rdefs", if there.
std::optional<uint64_t> rdefs_index(const MultiscaleImage& image, const char* key) {
  const auto& omero = image.attributes().omero;
  if (!omero || !omero->rdefs.is_object() || !omero->rdefs.contains(key)) return std::nullopt;
  const Json& v = omero->rdefs[key];
  if (!v.is_number_integer() || v.get<int64_t>() < 0) return std::nullopt;
  return v.get<uint64_t>();
}

// The picture's size: the box fitted into width x height (0: unlimited), never enlarged.
std::pair<uint32_t, uint32_t> fit(uint64_t w, uint64_t h, uint32_t width, uint32_t height) {
  double f = 1;
  if (width > 0) f = std::min(f, static_cast<double>(width) / static_cast<double>(w));
  if (height > 0) f = std::min(f, static_cast<double>(height) / static_cast<double>(h));
  auto side = [&](uint64_t n) {
    return static_cast<uint32_t>(std::max(1.0, std::round(static_cast<double>(n) * f)));
  };
  return {side(w), side(h)};
}

// The level's index along `d` nearest to level-0 index `i0`.
uint64_t level_index(const MultiscaleImage& image, size_t level, size_t d, uint64_t i0) {
  return map_index(image.level(0), image.level(level), d, static_cast<double>(i0));
}

// The values of `plane` (a `box` of the level) at the picture's pixels, nearest neighbour.
std::vector<double> sample(const std::vector<double>& plane, const zarr::Region& box, uint32_t w,
                           uint32_t h) {
  std::vector<double> out(size_t{w} * h);
  std::vector<size_t> cols(w);
  for (uint32_t x = 0; x < w; ++x)
    cols[x] = static_cast<size_t>((x + 0.5) * static_cast<double>(box.shape[1]) / w);
  for (uint32_t y = 0; y < h; ++y) {
    const auto row = static_cast<size_t>((y + 0.5) * static_cast<double>(box.shape[0]) / h);
    for (uint32_t x = 0; x < w; ++x) out[size_t{y} * w + x] = plane[row * box.shape[1] + cols[x]];
  }
  return out;
}

// The label image's values at the picture's pixels: its finest level no coarser than the
// image's level, mapped through physical coordinates, nearest neighbour.
std::vector<int64_t> sample_labels(const MultiscaleImage& image, size_t level,
                                   const PlaneAxes& axes, const zarr::Region& box,
                                   const PlaneIndex& at, const MultiscaleImage& labels, uint32_t w,
                                   uint32_t h) {
  const SpatialImage& from = image.level(level);
  const PlaneAxes la = plane_axes(labels.axes());
  size_t ll = 0;
  for (size_t i = labels.num_levels(); i-- > 0;) {
    const SpatialImage& l = labels.level(i);
    if (l.scale()[la.y] <= from.scale()[axes.y] * 1.001 &&
        l.scale()[la.x] <= from.scale()[axes.x] * 1.001) {
      ll = i;
      break;
    }
  }
  const SpatialImage& to = labels.level(ll);
  const zarr::Region lbox = map_box(from, to, axes, la, box);
  PlaneIndex lat;
  if (la.t && axes.t) lat.t = map_index(from, to, *axes.t, static_cast<double>(at.t));
  if (la.z && axes.z && at.z) lat.z = map_index(from, to, *axes.z, static_cast<double>(*at.z));
  if (la.z && !axes.z) lat.z = 0;
  const std::vector<double> plane = read_plane(to, la, lbox, lat);
  // Each pixel's centre in the level's continuous index space, then in the label level's box.
  auto positions = [&](uint32_t n, size_t k, size_t fd, size_t td) {
    std::vector<size_t> out(n);
    for (uint32_t i = 0; i < n; ++i) {
      const double idx = static_cast<double>(box.start[k]) - 0.5 +
                         (i + 0.5) * static_cast<double>(box.shape[k]) / n;
      const double physical = from.translation()[fd] + idx * from.scale()[fd];
      const double j = std::round((physical - to.translation()[td]) / to.scale()[td]) -
                       static_cast<double>(lbox.start[k]);
      out[i] = static_cast<size_t>(std::clamp(j, 0.0, static_cast<double>(lbox.shape[k] - 1)));
    }
    return out;
  };
  const std::vector<size_t> rows = positions(h, 0, axes.y, la.y);
  const std::vector<size_t> cols = positions(w, 1, axes.x, la.x);
  std::vector<int64_t> out(size_t{w} * h);
  for (uint32_t y = 0; y < h; ++y)
    for (uint32_t x = 0; x < w; ++x)
      out[size_t{y} * w + x] = static_cast<int64_t>(plane[rows[y] * lbox.shape[1] + cols[x]]);
  return out;
}

}  // namespace

std::array<uint8_t, 3> parse_rgb(std::string_view hex) {
  if (!ome::is_hex_color(hex))
    throw UsageError("expected a colour as RRGGBB hex, e.g. FF8000, not '" + std::string(hex) +
                     "'");
  std::array<uint8_t, 3> c{};
  for (size_t k = 0; k < 3; ++k)
    c[k] = static_cast<uint8_t>(std::stoul(std::string(hex.substr(2 * k, 2)), nullptr, 16));
  return c;
}

std::string rgb_hex(const std::array<uint8_t, 3>& rgb) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  std::string s;
  for (uint8_t v : rgb) {
    s += kDigits[v >> 4];
    s += kDigits[v & 15];
  }
  return s;
}

ChannelStyle channel_style(const MultiscaleImage& image, size_t channel) {
  const size_t count = plane_shape(image).channels;
  if (channel >= count)
    throw UsageError("channel " + std::to_string(channel) + " does not exist (the image has " +
                     std::to_string(count) + ")");
  return omero_channel_styles(image, count)[channel];
}

PlaneShape plane_shape(const MultiscaleImage& image) {
  const PlaneAxes axes = plane_axes(image.axes());
  const zarr::Shape& shape = image.level(0).shape();
  return {shape[axes.y], shape[axes.x], axes.c ? shape[*axes.c] : 1};
}

std::vector<ChannelStyle> omero_channel_styles(const MultiscaleImage& image, size_t channel_count) {
  std::vector<ChannelStyle> styles(channel_count);
  const auto& omero = image.attributes().omero;
  for (size_t i = 0; i < channel_count; ++i) {
    ChannelStyle& s = styles[i];
    s.index = i;
    if (channel_count > 1) s.color = kDefaultColors[i % kDefaultColors.size()];
    if (!omero || i >= omero->channels.size()) continue;
    const ome::Channel& c = omero->channels[i];
    if (c.color && ome::is_hex_color(*c.color)) s.color = parse_rgb(*c.color);
    if (c.window) {
      s.start = c.window->start;
      s.end = c.window->end;
    }
    s.inverted = c.inverted.value_or(false);
  }
  return styles;
}

RgbImage render(const MultiscaleImage& image, const RenderOptions& o, RenderInfo* info) {
  const PlaneAxes axes = plane_axes(image.axes());
  const SpatialImage& base = image.level(0);
  const zarr::Shape& shape0 = base.shape();
  zarr::Region box0 = o.region.value_or(zarr::Region{{0, 0}, {shape0[axes.y], shape0[axes.x]}});
  zarr::check_region(box0, {shape0[axes.y], shape0[axes.x]});
  if (box0.num_elements() == 0) throw UsageError("the region to render is empty");

  // The level: as asked, or the coarsest whose box still has as many pixels as the picture.
  size_t level = 0;
  auto [w, h] = fit(box0.shape[1], box0.shape[0], o.width, o.height);
  if (o.exact_size && o.width > 0 && o.height > 0) std::tie(w, h) = std::pair(o.width, o.height);
  if (o.level) {
    if (*o.level >= image.num_levels())
      throw UsageError("the image has " + std::to_string(image.num_levels()) +
                       " levels; there is no level " + std::to_string(*o.level));
    level = *o.level;
  } else {
    for (size_t i = image.num_levels(); i-- > 1;) {
      const zarr::Region b = map_box(base, image.level(i), axes, axes, box0);
      if (b.shape[0] >= h && b.shape[1] >= w) {
        level = i;
        break;
      }
    }
  }
  const SpatialImage& lv = image.level(level);
  const zarr::Region box = level == 0 ? box0 : map_box(base, lv, axes, axes, box0);
  if (o.level && !o.exact_size) std::tie(w, h) = fit(box.shape[1], box.shape[0], o.width, o.height);

  PlaneIndex at;
  if (axes.t) {
    const uint64_t t0 = o.t.value_or(rdefs_index(image, "defaultT").value_or(0));
    if (t0 >= shape0[*axes.t])
      throw UsageError("t " + std::to_string(t0) + " is outside the image (" +
                       std::to_string(shape0[*axes.t]) + " time points)");
    at.t = level_index(image, level, *axes.t, t0);
  }
  if (axes.z && !o.mip) {
    uint64_t z0 = shape0[*axes.z] / 2;
    if (auto d = rdefs_index(image, "defaultZ"); d && *d < shape0[*axes.z]) z0 = *d;
    if (o.z) z0 = *o.z;
    if (z0 >= shape0[*axes.z])
      throw UsageError("z " + std::to_string(z0) + " is outside the image (" +
                       std::to_string(shape0[*axes.z]) + " planes)");
    at.z = level_index(image, level, *axes.z, z0);
  }

  // The channels: as asked, else those the omero metadata marks active (all when it marks none).
  const size_t nc = axes.c ? shape0[*axes.c] : 1;
  std::vector<ChannelStyle> all = omero_channel_styles(image, nc);
  for (const ChannelStyle& s : o.styles)
    if (s.index < nc) all[s.index] = s;
  std::vector<size_t> channels = o.channels;
  if (channels.empty()) {
    const auto& omero = image.attributes().omero;
    for (size_t i = 0; i < nc; ++i)
      if (!omero || i >= omero->channels.size() || omero->channels[i].active.value_or(true))
        channels.push_back(i);
    if (channels.empty())
      for (size_t i = 0; i < nc; ++i) channels.push_back(i);
  }

  std::vector<double> rgb(size_t{w} * h * 3, 0.0);
  std::vector<ChannelStyle> drawn;
  for (size_t c : channels) {
    if (c >= nc)
      throw UsageError("channel " + std::to_string(c) + " does not exist (the image has " +
                       std::to_string(nc) + ")");
    at.c = c;
    const std::vector<double> values = sample(read_plane(lv, axes, box, at), box, w, h);
    ChannelStyle s = all[c];
    if (!s.start || !s.end) {
      s.start = percentile(values, o.low_percentile);
      s.end = percentile(values, o.high_percentile);
    }
    composite_channel(values, s, rgb);
    drawn.push_back(s);
  }
  RgbImage out{w, h, to_rgb8(rgb)};

  if (!o.labels.empty()) {
    const MultiscaleImage labels = image.label(o.labels);
    const auto& meta = labels.attributes().image_label;
    const std::vector<int64_t> values = sample_labels(image, level, axes, box, at, labels, w, h);
    overlay_labels(
        out.pixels, values,
        [&](int64_t v) {
          if (meta)
            if (auto c = meta->color_of(v)) return *c;
          return label_rgba(v);
        },
        o.label_opacity);
  }
  if (info) *info = {level, box, std::move(drawn)};
  return out;
}

}  // namespace ngff::image
