// ngff._ngff.open_tiff / TiffSeries (a TIFF or OME-TIFF series, or a stack of 2-D TIFFs, as lazy
// voxels with the OME-XML's metadata) and ngff._ngff.convert (what `ngff convert` does).
#include "binding.hpp"
#include "ngff/image/convert_url.hpp"
#include "ngff/image/tiff_image.hpp"
#include "ngff/zarr/region_spelling.hpp"

using namespace nb::literals;

namespace ngff::python {
namespace {

struct PyTiffSeries {
  image::TiffSeries series;
  std::string path;
  size_t index = 0;
  size_t series_count = 1;
  std::string ome_xml;
  std::vector<std::string> notes;

  NumpyArray read(const std::vector<uint64_t>& start, const std::vector<uint64_t>& shape) const {
    Region r = make_region(start, shape);
    zarr::check_region(r, series.image.shape());
    return new_array(r.shape, series.image.dtype(), [&](void* out) { series.image.read(r, out); });
  }
};

char stack_axis_of(const std::string& axis) {
  if (axis != "z" && axis != "t" && axis != "c")
    throw UsageError("stack_axis must be 'z', 't' or 'c', not '" + axis + "'");
  return axis[0];
}

PyTiffSeries py_open_tiff(const std::string& path, size_t series, const std::string& axis) {
  const char stack = stack_axis_of(axis);
  nb::gil_scoped_release release;
  const std::vector<std::string> files = image::tiff_inputs(path);
  if (files.size() > 1) {
    if (series != 0)
      throw UsageError(path + ": a stack of 2-D TIFFs has one series, not " +
                       std::to_string(series + 1));
    return {image::open_tiff_stack(files, stack), path, 0, 1, "", {}};
  }
  image::TiffFile f = image::open_tiff(files.at(0), stack);
  if (series >= f.series.size())
    throw UsageError(files[0] + " has " + std::to_string(f.series.size()) +
                     " series; there is no series " + std::to_string(series));
  return {f.series[series], files[0], series, f.series.size(), f.ome_xml, f.notes};
}

std::map<std::string, nb::object> py_convert(
    const std::string& src, const std::string& dst, const std::optional<std::string>& ome_version,
    std::optional<int> zarr_format, std::optional<size_t> levels,
    const std::optional<std::string>& method, const std::optional<std::vector<uint64_t>>& chunks,
    const std::optional<std::vector<uint64_t>>& shards, const std::optional<std::string>& codec,
    bool overwrite, double memory_mib, std::optional<size_t> series,
    const std::string& stack_axis) {
  if (!(memory_mib > 0)) throw UsageError("memory_mib must be positive");
  image::ConvertRequest r;
  if (ome_version) r.version = parse_ome_version(*ome_version);
  r.zarr_format = zarr_format;
  r.levels = levels;
  if (method) r.method = image::parse_downsample_method(*method);
  if (chunks) r.chunks = Shape(chunks->begin(), chunks->end());
  if (shards) r.shards = Shape(shards->begin(), shards->end());
  r.codec = codec;
  r.overwrite = overwrite;
  r.memory_budget = static_cast<uint64_t>(memory_mib * 1024.0 * 1024.0);
  r.series = series;
  r.stack_axis = stack_axis_of(stack_axis);
  image::ConvertResult s;
  {
    nb::gil_scoped_release release;
    s = image::convert(src, dst, r);
  }
  nb::list notes;
  for (const auto& n : s.notes) notes.append(n);
  return {{"source", nb::str(s.source.c_str())},
          {"kind", nb::str(s.kind.c_str())},
          {"images", nb::int_(s.images)},
          {"labels", nb::int_(s.labels)},
          {"groups", nb::int_(s.groups)},
          {"arrays", nb::int_(s.arrays)},
          {"notes", notes}};
}

}  // namespace

void register_tiff(nb::module_& m) {
  nb::class_<PyTiffSeries>(m, "TiffSeries")
      .def_prop_ro("path", [](const PyTiffSeries& t) { return t.path; })
      .def_prop_ro("url", [](const PyTiffSeries& t) { return t.path; })
      .def_prop_ro("shards", [](const PyTiffSeries&) { return nb::none(); })
      .def_prop_ro("index", [](const PyTiffSeries& t) { return t.index; })
      .def_prop_ro("series_count", [](const PyTiffSeries& t) { return t.series_count; })
      .def_prop_ro("ome_xml", [](const PyTiffSeries& t) { return t.ome_xml; })
      .def_prop_ro("notes", [](const PyTiffSeries& t) { return t.notes; })
      .def_prop_ro("name", [](const PyTiffSeries& t) { return t.series.image.name(); })
      .def_prop_ro("shape", [](const PyTiffSeries& t) { return to_tuple(t.series.image.shape()); })
      .def_prop_ro("dtype", [](const PyTiffSeries& t) { return dtype_str(t.series.image.dtype()); })
      .def_prop_ro("chunks",
                   [](const PyTiffSeries& t) {
                     // A row of tiles (or a strip): dask tasks of a useful size.
                     const Shape& shape = t.series.image.shape();
                     Shape block = t.series.image.source()->preferred_block();
                     if (block.empty()) return to_tuple(shape);
                     block.back() = shape.back();
                     return to_tuple(block);
                   })
      .def_prop_ro("axes",
                   [](const PyTiffSeries& t) { return axes_to_list(t.series.image.axes()); })
      .def_prop_ro("scale", [](const PyTiffSeries& t) { return t.series.image.scale(); })
      .def_prop_ro("translation",
                   [](const PyTiffSeries& t) { return t.series.image.translation(); })
      .def_prop_ro("omero_json",
                   [](const PyTiffSeries& t) -> std::optional<std::string> {
                     if (!t.series.omero) return std::nullopt;
                     return dump(t.series.omero->to_json());
                   })
      .def("read", &PyTiffSeries::read, "start"_a, "shape"_a);
  m.def("open_tiff", &py_open_tiff, "path"_a, "series"_a = 0, "stack_axis"_a = "z");
  m.def("convert", &py_convert, "src"_a, "dst"_a, nb::kw_only(), "ome_version"_a = nb::none(),
        "zarr_format"_a = nb::none(), "levels"_a = nb::none(), "method"_a = nb::none(),
        "chunks"_a = nb::none(), "shards"_a = nb::none(), "codec"_a = nb::none(),
        "overwrite"_a = false, "memory_mib"_a = 256.0, "series"_a = nb::none(),
        "stack_axis"_a = "z");
}

}  // namespace ngff::python
