#include "ngff/image/tiff_image.hpp"

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <regex>
#include <thread>

#include "image/ome_tiff_xml.hpp"
#include "image/tiff_file.hpp"
#include "ngff/error.hpp"
#include "util/parallel_for.hpp"

namespace ngff::image {
namespace {

namespace fs = std::filesystem;

// Which page of which file holds a plane; file < 0: no page (read as zeros).
struct PlaneRef {
  int32_t file = -1;
  uint32_t page = 0;
};

// The sizes of a TIFF series before dropping extents of 1: t, channel elements (OME Channel
// elements or 1), z, and the samples of each page, which multiply the channels.
struct SeriesSizes {
  uint64_t t = 1, channels = 1, z = 1;
  uint32_t samples = 1;
};

// Voxels of TIFF pages: planes (t, channel element, z) of one page layout, each page's samples
// on c. Reads decode the strips/tiles of the asked box, plane by plane in parallel, each task on
// its own libtiff handle.
class TiffSource final : public VoxelSource {
 public:
  TiffSource(std::vector<std::shared_ptr<TiffFilePool>> files, std::vector<PlaneRef> planes,
             TiffPage layout, SeriesSizes sizes)
      : files_(std::move(files)),
        planes_(std::move(planes)),
        layout_(std::move(layout)),
        sizes_(sizes) {
    const uint64_t c = sizes_.channels * sizes_.samples;
    if (sizes_.t > 1) shape_.push_back(sizes_.t);
    if (c > 1) shape_.push_back(c);
    if (sizes_.z > 1) shape_.push_back(sizes_.z);
    shape_.push_back(layout_.height);
    shape_.push_back(layout_.width);
  }

  const zarr::Shape& shape() const override { return shape_; }
  zarr::DataType dtype() const override { return layout_.dtype; }
  zarr::Shape preferred_block() const override {
    zarr::Shape block(shape_.size(), 1);
    // Rows of an uncompressed tile or strip are read alone (TiffHandle::decode_block): blocks
    // need its whole width only (aligned to 256² tiles, the stack's 128² chunks doubled blocks).
    if (layout_.compressed)
      block[block.size() - 2] = std::min<uint64_t>(layout_.height, layout_.block_height);
    block[block.size() - 1] = std::min<uint64_t>(layout_.width, layout_.block_width);
    // A tile of interleaved samples holds every sample of its pixels: all of c's samples.
    if (layout_.samples > 1 && !layout_.planar_separate)
      block[sizes_.t > 1 ? 1 : 0] = layout_.samples;
    return block;
  }

  void read(const zarr::Region& region, void* out) const override {
    // The region in full (t, c, z, y, x) coordinates.
    std::array<uint64_t, 5> start{0, 0, 0, 0, 0}, extent{1, 1, 1, 1, 1};
    const uint64_t c_size = sizes_.channels * sizes_.samples;
    size_t d = 0;
    auto take = [&](size_t k, bool present) {
      if (!present) return;
      start[k] = region.start[d];
      extent[k] = region.shape[d];
      ++d;
    };
    take(0, sizes_.t > 1);
    take(1, c_size > 1);
    take(2, sizes_.z > 1);
    take(3, true);
    take(4, true);
    const size_t esize = zarr::dtype_size(layout_.dtype);
    const uint64_t plane_elems = extent[3] * extent[4];
    if (plane_elems == 0) return;
    // One task per (t, channel element, z) and band of rows: its samples in the region.
    struct Task {
      uint64_t t, channel, z, sample0, samples, row0, rows;  // rows from the region's first
    };
    std::vector<Task> tasks;
    for (uint64_t t = start[0]; t < start[0] + extent[0]; ++t)
      for (uint64_t ch = start[1] / sizes_.samples; ch * sizes_.samples < start[1] + extent[1];
           ++ch)
        for (uint64_t z = start[2]; z < start[2] + extent[2]; ++z) {
          uint64_t s0 = std::max(start[1], ch * sizes_.samples);
          uint64_t s1 = std::min(start[1] + extent[1], (ch + 1) * sizes_.samples);
          tasks.push_back({t, ch, z, s0, s1 - s0, 0, extent[3]});
        }
    split_into_bands(tasks, start[3]);
    auto* bytes = static_cast<uint8_t*>(out);
    ngff::detail::parallel_for(tasks.size(), [&](size_t i) {
      const Task& task = tasks[i];
      const uint64_t band_elems = task.rows * extent[4];
      // The task's rows of the output plane of (t, c, z): C order over the region's
      // (t, c, z, y, x).
      auto out_plane = [&](uint64_t c) {
        uint64_t index =
            ((task.t - start[0]) * extent[1] + (c - start[1])) * extent[2] + (task.z - start[2]);
        return bytes + (index * plane_elems + task.row0 * extent[4]) * esize;
      };
      const PlaneRef& ref = planes_[(task.t * sizes_.channels + task.channel) * sizes_.z + task.z];
      if (ref.file < 0) {
        for (uint64_t s = 0; s < task.samples; ++s)
          std::memset(out_plane(task.sample0 + s), 0, band_elems * esize);
        return;
      }
      auto handle = files_[static_cast<size_t>(ref.file)]->acquire();
      const auto s0 = static_cast<uint16_t>(task.sample0 - task.channel * sizes_.samples);
      const auto ns = static_cast<uint16_t>(task.samples);
      const auto y0 = static_cast<uint32_t>(start[3] + task.row0);
      const auto h = static_cast<uint32_t>(task.rows);
      const auto x0 = static_cast<uint32_t>(start[4]), w = static_cast<uint32_t>(extent[4]);
      // The task's samples decode as consecutive planes: straight into the output when their c
      // planes follow each other there (one z in the region: an RGB image's blocks).
      if (task.samples == 1 || extent[2] == 1) {
        handle->read(ref.page, layout_, y0, h, x0, w, s0, ns, out_plane(task.sample0),
                     static_cast<uint32_t>(extent[3]));
        return;
      }
      // Several samples of one page among several z: decoded together, then each to its c plane.
      std::vector<uint8_t> planes(task.samples * band_elems * esize);
      handle->read(ref.page, layout_, y0, h, x0, w, s0, ns, planes.data(), h);
      for (uint64_t s = 0; s < task.samples; ++s)
        std::memcpy(out_plane(task.sample0 + s), planes.data() + s * band_elems * esize,
                    band_elems * esize);
    });
  }

 private:
  // Splits each task into bands of whole tile rows (strips) when there are too few tasks to
  // keep every core decoding: a 2-D slide's block is one plane, whose tiles decoded on one
  // thread took 2.7 of its conversion's 3.1 s. Band boundaries are multiples of the band in the
  // page (the region starts at row y0), so each tile row is decoded by one band. Not for a
  // stack of files: each band holds a handle of its file, and each file's pool keeps what it
  // was given, so a thousand files would keep a handle per core each (one each otherwise).
  template <class Task>
  void split_into_bands(std::vector<Task>& tasks, uint64_t y0) const {
    const uint64_t cores = std::max(1u, std::thread::hardware_concurrency());
    const uint64_t tile_rows = std::max<uint64_t>(layout_.block_height, 1);
    if (files_.size() != 1 || tasks.empty() || tasks.size() >= 2 * cores ||
        tasks[0].rows <= tile_rows)
      return;
    const uint64_t wanted = (4 * cores + tasks.size() - 1) / tasks.size();  // bands per task
    const uint64_t rows = (tasks[0].rows + wanted - 1) / wanted;
    const uint64_t band = (rows + tile_rows - 1) / tile_rows * tile_rows;
    std::vector<Task> bands;
    for (const Task& task : tasks)
      for (uint64_t y = y0; y < y0 + task.rows;) {
        const uint64_t end = std::min(y0 + task.rows, (y / band + 1) * band);
        Task part = task;
        part.row0 = y - y0;
        part.rows = end - y;
        bands.push_back(part);
        y = end;
      }
    tasks = std::move(bands);
  }

  std::vector<std::shared_ptr<TiffFilePool>> files_;
  std::vector<PlaneRef> planes_;
  TiffPage layout_;
  SeriesSizes sizes_;
  zarr::Shape shape_;
};

// The axes (t, c, z kept when their extent is above 1; y, x always) with their scales.
struct AxesAndScale {
  std::vector<ome::Axis> axes;
  std::vector<double> scale;
};

AxesAndScale series_axes(const SeriesSizes& s, const OmeTiffImage* ome) {
  AxesAndScale out;
  auto add = [&](const char* name, const char* type, std::optional<std::string> unit,
                 double scale) {
    ome::Axis axis;
    axis.name = name;
    axis.type = type;
    axis.unit = std::move(unit);
    out.axes.push_back(std::move(axis));
    out.scale.push_back(scale);
  };
  auto physical = [&](std::optional<double> size,
                      const std::string& unit) -> std::pair<std::optional<std::string>, double> {
    if (!size || !(*size > 0)) return {std::nullopt, 1.0};
    return {unit, *size};
  };
  if (s.t > 1) {
    auto [unit, scale] = ome ? physical(ome->time_increment, ome->time_unit)
                             : std::pair<std::optional<std::string>, double>{std::nullopt, 1.0};
    add("t", "time", unit, scale);
  }
  if (s.channels * s.samples > 1) add("c", "channel", std::nullopt, 1.0);
  const char* names[3] = {"z", "y", "x"};
  for (int k = 0; k < 3; ++k) {
    if (k == 0 && s.z <= 1) continue;
    if (!ome) {
      add(names[k], "space", std::nullopt, 1.0);
      continue;
    }
    const auto& size = k == 0 ? ome->physical_z : k == 1 ? ome->physical_y : ome->physical_x;
    const auto& unit = k == 0 ? ome->unit_z : k == 1 ? ome->unit_y : ome->unit_x;
    auto [u, scale] = physical(size, unit);
    add(names[k], "space", u, scale);
  }
  return out;
}

// "512x256, 3 samples, uint8": what must match between the pages of one image.
std::string layout_text(const TiffPage& p) {
  return std::to_string(p.width) + "x" + std::to_string(p.height) + ", " +
         std::to_string(p.samples) + " samples, " + std::string(zarr::dtype_name(p.dtype));
}

void check_stack_axis(char axis) {
  if (axis != 'z' && axis != 't' && axis != 'c')
    throw UsageError(std::string("TIFF stacks are stacked along z, t or c, not '") + axis + "'");
}

SeriesSizes stacked(char axis, uint64_t count, uint32_t samples) {
  SeriesSizes s;
  s.samples = samples;
  (axis == 'z' ? s.z : axis == 't' ? s.t : s.channels) = count;
  return s;
}

// Natural order: digit runs compare as numbers ("img2" < "img10").
bool natural_less(const std::string& a, const std::string& b) {
  size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    if (std::isdigit(static_cast<unsigned char>(a[i])) &&
        std::isdigit(static_cast<unsigned char>(b[j]))) {
      size_t i1 = i, j1 = j;
      while (i1 < a.size() && std::isdigit(static_cast<unsigned char>(a[i1]))) ++i1;
      while (j1 < b.size() && std::isdigit(static_cast<unsigned char>(b[j1]))) ++j1;
      std::string x = a.substr(i, i1 - i), y = b.substr(j, j1 - j);
      x.erase(0, std::min(x.find_first_not_of('0'), x.size() - 1));
      y.erase(0, std::min(y.find_first_not_of('0'), y.size() - 1));
      if (x.size() != y.size()) return x.size() < y.size();
      if (x != y) return x < y;
      i = i1;
      j = j1;
    } else {
      if (a[i] != b[j]) return a[i] < b[j];
      ++i;
      ++j;
    }
  }
  return a.size() - i < b.size() - j;
}

bool has_tiff_extension(const std::string& name) {
  std::string lower = name;
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
  for (const char* ext : {".tif", ".tiff", ".btf", ".tf8"})
    if (lower.size() > std::strlen(ext) && lower.ends_with(ext)) return true;
  return false;
}

// A shell wildcard pattern (* ? [..]) as a regex.
std::regex wildcard_regex(const std::string& pattern) {
  std::string r;
  for (char ch : pattern) {
    if (ch == '*')
      r += ".*";
    else if (ch == '?')
      r += '.';
    else if (std::strchr(".^$|()+{}\\", ch))
      r += std::string("\\") + ch;
    else
      r += ch;
  }
  return std::regex(r);
}

}  // namespace

TiffFile open_tiff(const std::string& path, char stack_axis) {
  check_stack_axis(stack_axis);
  auto pool = std::make_shared<TiffFilePool>(path);
  auto handle = pool->acquire();
  TiffFile file;
  file.path = path;
  file.bigtiff = handle->bigtiff();
  const uint32_t count = handle->page_count();
  if (count == 0) throw MetadataError(path + ": the TIFF has no pages");
  TiffPage first = handle->page(0);
  if (handle->has_sub_ifds())
    file.notes.emplace_back(
        "reduced-resolution SubIFDs are not read (ngff builds its own pyramid)");
  file.ome = is_ome_xml(first.description);
  if (file.ome) file.ome_xml = first.description;
  std::vector<std::shared_ptr<TiffFilePool>> files{pool};
  if (file.ome) {
    for (const OmeTiffImage& ome : parse_ome_tiff_xml(first.description, count, path)) {
      std::string where = path + " (OME Image '" + ome.name + "')";
      SeriesSizes sizes{ome.size_time, ome.channel_elements(), ome.size_z, ome.samples_per_pixel()};
      std::vector<PlaneRef> planes;
      std::optional<TiffPage> layout;
      for (int64_t page : ome.plane_page) {
        if (page < 0) {
          planes.push_back({});
          continue;
        }
        TiffPage p = handle->page(static_cast<uint32_t>(page));
        if (!layout) layout = p;
        if (!p.same_layout(*layout) || p.samples != sizes.samples)
          throw MetadataError(where + ": page " + std::to_string(page) +
                              " differs in size, samples or type from the image's first page");
        planes.push_back({0, static_cast<uint32_t>(page)});
      }
      if (!layout) throw MetadataError(where + ": no plane is stored in the file");
      if (layout->width != ome.size_x || layout->height != ome.size_y)
        throw MetadataError(where + ": pages are " + std::to_string(layout->width) + "x" +
                            std::to_string(layout->height) + ", the OME-XML says " +
                            std::to_string(ome.size_x) + "x" + std::to_string(ome.size_y));
      AxesAndScale axes = series_axes(sizes, &ome);
      auto source = std::make_shared<TiffSource>(files, std::move(planes), *layout, sizes);
      TiffSeries series{SpatialImage(source, std::move(axes.axes), std::move(axes.scale), {},
                                     ome.name.empty() ? "image" : ome.name),
                        std::nullopt, sizes.samples};
      bool named = std::any_of(ome.channels.begin(), ome.channels.end(),
                               [](const OmeTiffChannel& c) { return !c.name.empty() || c.color; });
      if (named && ome.samples_per_pixel() == 1) {
        ome::Omero omero;
        for (size_t c = 0; c < ome.channels.size(); ++c) {
          ome::Channel channel;
          channel.label =
              ome.channels[c].name.empty() ? "channel " + std::to_string(c) : ome.channels[c].name;
          channel.color = ome.channels[c].color;
          omero.channels.push_back(std::move(channel));
        }
        series.omero = std::move(omero);
      }
      file.series.push_back(std::move(series));
    }
    return file;
  }
  // A plain TIFF: its full-resolution pages, one layout, stacked.
  std::vector<PlaneRef> planes;
  uint32_t reduced = 0;
  for (uint32_t i = 0; i < count; ++i) {
    TiffPage p = i == 0 ? first : handle->page(i);
    if (p.reduced) {
      ++reduced;
      continue;
    }
    if (!p.same_layout(first))
      throw MetadataError(path + ": page " + std::to_string(i) + " (" + layout_text(p) +
                          ") differs from page 0 (" + layout_text(first) +
                          "): without OME-XML the pages of one file are one image");
    planes.push_back({0, i});
  }
  if (reduced)
    file.notes.push_back(std::to_string(reduced) +
                         " reduced-resolution pages are not read (ngff builds its own pyramid)");
  if (stack_axis == 'c' && first.samples > 1 && planes.size() > 1)
    throw UsageError(path + ": pages with several samples put them on c; stack along z or t");
  SeriesSizes sizes = stacked(stack_axis, planes.size(), first.samples);
  AxesAndScale axes = series_axes(sizes, nullptr);
  auto source = std::make_shared<TiffSource>(files, std::move(planes), first, sizes);
  file.series.push_back({SpatialImage(source, std::move(axes.axes), std::move(axes.scale)),
                         std::nullopt, first.samples});
  return file;
}

TiffSeries open_tiff_stack(const std::vector<std::string>& files_in, char stack_axis) {
  const std::vector<std::string>& paths = files_in;
  check_stack_axis(stack_axis);
  if (paths.empty()) throw UsageError("a TIFF stack needs at least one file");
  std::vector<std::shared_ptr<TiffFilePool>> files;
  std::vector<PlaneRef> planes;
  std::optional<TiffPage> layout;
  for (const std::string& path : paths) {
    auto pool = std::make_shared<TiffFilePool>(path);
    TiffPage p = pool->acquire()->page(0);
    if (!layout) layout = p;
    if (!p.same_layout(*layout))
      throw MetadataError(path + ": " + layout_text(p) + "; the stack's first file " +
                          paths.front() + " is " + layout_text(*layout));
    planes.push_back({static_cast<int32_t>(files.size()), 0});
    files.push_back(std::move(pool));
  }
  if (stack_axis == 'c' && layout->samples > 1 && planes.size() > 1)
    throw UsageError(paths.front() +
                     ": pages with several samples put them on c; stack along z or t");
  SeriesSizes sizes = stacked(stack_axis, planes.size(), layout->samples);
  AxesAndScale axes = series_axes(sizes, nullptr);
  auto source = std::make_shared<TiffSource>(std::move(files), std::move(planes), *layout, sizes);
  return {SpatialImage(source, std::move(axes.axes), std::move(axes.scale)), std::nullopt,
          layout->samples};
}

std::vector<std::string> tiff_inputs(const std::string& pattern_or_folder) {
  const std::string& input = pattern_or_folder;
  std::vector<std::string> out;
  std::error_code ec;
  if (fs::is_directory(input, ec)) {
    for (const auto& entry : fs::directory_iterator(input, ec))
      if (entry.is_regular_file() && has_tiff_extension(entry.path().filename().string()))
        out.push_back(entry.path().string());
  } else if (input.find_first_of("*?[") != std::string::npos) {
    fs::path pattern(input);
    fs::path folder = pattern.has_parent_path() ? pattern.parent_path() : fs::path(".");
    if (folder.string().find_first_of("*?[") != std::string::npos)
      throw UsageError(input + ": wildcards are allowed in the file name only");
    std::regex name = wildcard_regex(pattern.filename().string());
    for (const auto& entry : fs::directory_iterator(folder, ec))
      if (entry.is_regular_file() && std::regex_match(entry.path().filename().string(), name))
        out.push_back(entry.path().string());
  } else {
    return {input};
  }
  std::sort(out.begin(), out.end(), natural_less);
  if (out.empty()) throw UsageError(input + ": no TIFF files there");
  return out;
}

bool is_tiff_input(std::string_view path) {
  std::string p(path);
  if (has_tiff_extension(p)) return true;
  std::error_code ec;
  if (!fs::is_directory(p, ec)) return false;
  for (const auto& entry : fs::directory_iterator(p, ec))
    if (entry.is_regular_file() && has_tiff_extension(entry.path().filename().string()))
      return true;
  return false;
}

}  // namespace ngff::image
