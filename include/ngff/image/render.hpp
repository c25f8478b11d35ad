// Rendering an OME-Zarr image to an RGB picture: one y/x plane (a z plane or the maximum over z,
// at one t) of the chosen channels, each mapped through its omero window onto its omero colour
// and summed, with a label image laid over it in its image-label colours. Only the plane's region
// of one pyramid level is read: the coarsest level that still covers the requested size, so a
// picture of a huge image costs about as much as a picture of a small one.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ngff/image/multiscale_image.hpp"
#include "ngff/store/bytes.hpp"
#include "ngff/zarr/region.hpp"

namespace ngff::image {

// An RGB picture, 8 bits per sample, rows top to bottom, pixels interleaved (r, g, b).
struct RgbImage {
  uint32_t width = 0, height = 0;
  std::vector<uint8_t> pixels;  // width * height * 3
};

// How one channel is drawn: value v maps to clamp((v - start) / (end - start), 0, 1) (reversed
// when inverted) times the colour; channels add up and saturate.
struct ChannelStyle {
  size_t index = 0;                                // along the channel axis
  std::array<uint8_t, 3> color = {255, 255, 255};  // RGB
  std::optional<double> start, end;                // the window; nullopt: from the percentiles
  bool inverted = false;
};

struct RenderOptions {
  std::optional<size_t> level;  // nullopt: the coarsest level covering `width` x `height`
  // The picture fits in width x height (aspect kept, never enlarged); 0 means no limit (the
  // region at the level's own resolution).
  uint32_t width = 1024, height = 1024;
  // The picture is exactly width x height, the region stretched to it (the viewer's tiles).
  bool exact_size = false;
  std::optional<uint64_t> z;  // level-0 index; default: omero rdefs defaultZ, else the middle
  bool mip = false;           // maximum over z instead of one plane
  std::optional<uint64_t> t;  // default: omero rdefs defaultT, else 0
  // Channel indices to draw; empty: the omero channels marked active (all when none is marked).
  std::vector<size_t> channels;
  // Styles that override the omero ones (matched by index).
  std::vector<ChannelStyle> styles;
  // The window percentiles for channels without one (numpy's linear percentile of the drawn
  // plane's values).
  double low_percentile = 0.1, high_percentile = 99.9;
  std::string labels;          // a label image to overlay ("" for none)
  double label_opacity = 0.5;  // times the alpha of the label colour
  // The y/x box to draw, in level-0 voxel indices ({start y, start x}, {height, width});
  // nullopt: the whole plane.
  std::optional<zarr::Region> region;
};

// What was drawn, for callers that show it (the CLI's summary, the viewer's tiles).
struct RenderInfo {
  size_t level = 0;
  zarr::Region level_region;         // y/x box read at that level
  std::vector<ChannelStyle> styles;  // the channels drawn, windows resolved
};

// Renders `image` as `options` say. Throws UsageError for a channel, z, t or label image that
// does not exist, or an image without y and x axes.
RgbImage render(const MultiscaleImage& image, const RenderOptions& options,
                RenderInfo* info = nullptr);

// Level 0's y/x plane size and the number of channels (1 without a channel axis), what
// RenderOptions' region and channel indices refer to. Throws UsageError without y and x axes.
struct PlaneShape {
  uint64_t height = 0, width = 0;
  size_t channels = 1;
};
PlaneShape plane_shape(const MultiscaleImage& image);

// The channel styles the omero metadata gives (colour, window, inverted), one per channel of
// a `channel_count`-channel image; without omero colours a single channel is white, several
// cycle through red, green, blue, magenta, cyan, yellow.
std::vector<ChannelStyle> omero_channel_styles(const MultiscaleImage& image, size_t channel_count);
// The style of one channel as omero_channel_styles gives it; UsageError when there is no such
// channel.
ChannelStyle channel_style(const MultiscaleImage& image, size_t channel);

// "FF8000" <-> {255, 128, 0}; parse_rgb throws UsageError for anything but RRGGBB hex.
std::array<uint8_t, 3> parse_rgb(std::string_view hex);
std::string rgb_hex(const std::array<uint8_t, 3>& rgb);

// The image at `url` to render: an image (a label image included); series `series` of a
// bioformats2raw root; the first field of a well, or of a plate's first well.
MultiscaleImage open_render_image(std::string_view url, size_t series = 0);

// A PNG file's bytes (libpng, 8-bit RGB) and writing one to `path` on the local disk.
Bytes encode_png(const RgbImage& picture);
void write_png(const std::string& path, const RgbImage& picture);

}  // namespace ngff::image
