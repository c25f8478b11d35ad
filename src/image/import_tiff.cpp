#include "ngff/image/import_tiff.hpp"

#include <algorithm>
#include <iterator>

#include "ngff/error.hpp"
#include "ngff/image/tiff_image.hpp"
#include "ngff/zarr/group.hpp"
#include "store/key.hpp"
#include "zarr/integer_dtype.hpp"

namespace ngff::image {
namespace {

// The colours of channels the OME-XML does not colour: blue, green, red, magenta, yellow, cyan,
// grey, as viewers cycle them.
constexpr const char* kPalette[] = {"0000FF", "00FF00", "FF0000", "FF00FF",
                                    "FFFF00", "00FFFF", "FFFFFF"};

// The voxels of a (small) float image as doubles.
std::vector<double> float_values(const SpatialImage& image) {
  const zarr::Shape& shape = image.shape();
  zarr::Region all{zarr::Shape(shape.size(), 0), shape};
  const size_t n = zarr::product(shape);
  std::vector<double> out(n);
  if (image.dtype() == zarr::DataType::float64) {
    image.source()->read(all, out.data());
  } else {
    std::vector<float> f(n);
    image.source()->read(all, f.data());
    std::copy(f.begin(), f.end(), out.begin());
  }
  return out;
}

// The omero metadata of a series: the OME-XML's channel names and colours, or red/green/blue for
// RGB pages; none for other images. Every channel gets a colour and a window (ome-zarr-models
// and most viewers need both): integers span their type's range, floats the range of the values,
// filled in from the written pyramid's smallest level (window_from_levels).
std::optional<ome::Omero> series_omero(const TiffSeries& series) {
  std::optional<ome::Omero> omero = series.omero;
  const SpatialImage& image = series.image;
  if (!omero && series.samples_per_pixel == 3) {
    omero.emplace();
    for (const char* label : {"red", "green", "blue"}) {
      ome::Channel channel;
      channel.label = label;
      omero->channels.push_back(std::move(channel));
    }
    omero->channels[0].color = "FF0000";
    omero->channels[1].color = "00FF00";
    omero->channels[2].color = "0000FF";
  }
  if (!omero) return omero;
  const zarr::DataType dtype = image.dtype();
  for (size_t c = 0; c < omero->channels.size(); ++c) {
    ome::Channel& channel = omero->channels[c];
    if (!channel.color) channel.color = kPalette[c % std::size(kPalette)];
    if (auto range = zarr::integer_range(dtype); range && !channel.window)
      channel.window = ome::Window{range->first, range->second, range->first, range->second};
  }
  return omero;
}

// Float images: each channel's window from the values of the pyramid's smallest level.
void window_from_levels(const MultiscaleImage& written) {
  ome::ImageAttributes attrs = written.attributes();
  const zarr::DataType dtype = written.level(0).dtype();
  if (!attrs.omero || (dtype != zarr::DataType::float32 && dtype != zarr::DataType::float64))
    return;
  if (std::all_of(attrs.omero->channels.begin(), attrs.omero->channels.end(),
                  [](const ome::Channel& c) { return c.window.has_value(); }))
    return;
  const SpatialImage& smallest = written.level(written.num_levels() - 1);
  const auto& axes = smallest.axes();
  auto channel_axis =
      std::find_if(axes.begin(), axes.end(), [](const ome::Axis& a) { return a.is_channel(); });
  std::vector<double> values = float_values(smallest);
  const size_t channels = attrs.omero->channels.size();
  const size_t per_channel = values.size() / std::max<size_t>(channels, 1);
  for (size_t c = 0; c < channels; ++c) {
    // With a channel axis the values are channel-major only when c comes first (t extent 1);
    // otherwise every channel gets the whole level's range.
    bool own = channel_axis != axes.end() &&
               (channel_axis == axes.begin() || smallest.shape().front() == 1);
    auto first = values.begin() + static_cast<std::ptrdiff_t>(own ? c * per_channel : 0);
    auto last = own ? first + static_cast<std::ptrdiff_t>(per_channel) : values.end();
    auto [lo, hi] = std::minmax_element(first, last);
    double min = lo == last ? 0.0 : *lo, max = hi == last ? 1.0 : *hi;
    if (!attrs.omero->channels[c].window)
      attrs.omero->channels[c].window = ome::Window{min, max, min, max};
  }
  zarr::Group group = written.group();
  group.set_attributes(attrs.to_json());
}

// write_image of one series with its omero metadata (unless the caller gave some).
void write_series(const TiffSeries& series, const StorePtr& dst, const std::string& path,
                  WriteImageOptions options) {
  if (!options.omero) options.omero = series_omero(series);
  window_from_levels(write_image(dst, path, series.image, options));
}

// The OME group of a bioformats2raw layout (0.4: top level; 0.5 and later: under "ome").
Json layout_attributes(ome::Version version, Json members) {
  if (ome::zarr_format(version) == 2) return members;
  members["version"] = ome::to_string(version);
  return Json{{"ome", std::move(members)}};
}

}  // namespace

TiffImportSummary import_tiff(const std::string& input, const StorePtr& dst,
                              const std::string& dst_path, const TiffImportOptions& o) {
  std::vector<std::string> files = tiff_inputs(input);
  TiffImportSummary summary;
  if (files.size() > 1) {
    if (o.series && *o.series != 0)
      throw UsageError(input + ": a stack of 2-D TIFFs is one series (0), not " +
                       std::to_string(*o.series));
    write_series(open_tiff_stack(files, o.stack_axis), dst, dst_path, o.write);
    summary.kind = "image";
    summary.series = 1;
    return summary;
  }
  TiffFile file = open_tiff(files.front(), o.stack_axis);
  summary.notes = file.notes;
  if (o.series) {
    if (*o.series >= file.series.size())
      throw UsageError(file.path + " has " + std::to_string(file.series.size()) +
                       " series; there is no series " + std::to_string(*o.series));
    write_series(file.series[*o.series], dst, dst_path, o.write);
    summary.kind = "image";
    summary.series = 1;
    return summary;
  }
  if (file.series.size() == 1) {
    write_series(file.series.front(), dst, dst_path, o.write);
    summary.kind = "image";
    summary.series = 1;
    return summary;
  }
  // Several series: bioformats2raw's layout. The images first, the root's metadata last, so an
  // interrupted import is not mistaken for a complete one.
  const ome::Version version = o.write.version;
  const int zarr_format = ome::zarr_format(version);
  zarr::Group root =
      zarr::Group::create(dst, dst_path, zarr_format, Json::object(), o.write.overwrite);
  Json series_paths = Json::array();
  for (size_t k = 0; k < file.series.size(); ++k) {
    write_series(file.series[k], dst, join_key(root.path(), std::to_string(k)), o.write);
    series_paths.push_back(std::to_string(k));
  }
  zarr::Group ome_group =
      root.create_group("OME", layout_attributes(version, Json{{"series", series_paths}}));
  dst->set(join_key(ome_group.path(), "METADATA.ome.xml"), as_bytes(file.ome_xml));
  root.set_attributes(layout_attributes(version, Json{{"bioformats2raw.layout", 3}}));
  summary.kind = "bioformats2raw";
  summary.series = file.series.size();
  return summary;
}

}  // namespace ngff::image
