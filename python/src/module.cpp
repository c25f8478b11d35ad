// The nanobind module ngff._ngff: the C++ core of the Python package (python/ngff/*.py builds the
// user-facing API on it). Arrays cross as C-contiguous numpy arrays in native byte order; the
// GIL is released around every read, write, create, open and downsample.
#include "binding.hpp"
#include "ngff/ome/finish_store.hpp"

using namespace nb::literals;

namespace ngff::python {
namespace {

// ---- Classes ------------------------------------------------------------------------------------

struct PyArray {
  zarr::Array array;

  static PyArray open(const std::string& url) {
    // Opened for update where the store can be written (not over HTTP).
    auto loc = open_store(url, url_is_writable(url) ? OpenMode::write : OpenMode::read);
    return {zarr::Array::open(loc.store, loc.path)};
  }

  NumpyArray read(const std::vector<uint64_t>& start, const std::vector<uint64_t>& shape) const {
    Region r = make_region(start, shape);
    zarr::check_region(r, array.shape());
    return new_array(r.shape, array.dtype(), [&](void* out) { array.read(r, out); });
  }

  void write(const std::vector<uint64_t>& start, const InputArray& data) const {
    Shape shape = input_shape(data);
    // A 0-d region written from a one-element array (np.ascontiguousarray makes 0-d arrays 1-d).
    if (start.empty() && shape == Shape{1}) shape.clear();
    Region r = make_region(start, shape);
    check_input(data, array.dtype());
    nb::gil_scoped_release release;
    zarr::check_region(r, array.shape());
    array.write(r, data.data());
  }
};

PyArray create_array(const std::string& url, const std::vector<uint64_t>& shape,
                     const std::string& dtype_name,
                     const std::optional<std::vector<uint64_t>>& chunks,
                     const std::optional<std::vector<uint64_t>>& shards, const std::string& codec,
                     int zarr_format, nb::handle fill_value,
                     const std::optional<std::vector<std::optional<std::string>>>& dimension_names,
                     const std::string& attributes_json, bool overwrite) {
  zarr::ArraySpec spec;
  if (zarr_format != 2 && zarr_format != 3)
    throw UsageError("zarr_format must be 2 or 3, not " + std::to_string(zarr_format));
  spec.zarr_format = zarr_format;
  spec.shape = shape;
  if (chunks) spec.chunks = *chunks;
  if (shards) spec.shards = *shards;
  spec.dtype = parse_dtype(dtype_name);
  if (!fill_value.is_none())
    spec.fill_value =
        zarr::FillValue::from_json(fill_json(fill_value), spec.dtype, zarr_format, "fill_value");
  spec.compression = zarr::parse_codec_spelling(codec, spec.dtype, zarr_format);
  if (dimension_names) spec.dimension_names = *dimension_names;
  spec.attributes = parse_json_arg(attributes_json, "attributes_json");
  nb::gil_scoped_release release;
  zarr::ArrayMetadata metadata = zarr::make_array_metadata(spec);
  auto loc = open_store(url, OpenMode::write);
  return {zarr::Array::create(loc.store, loc.path, std::move(metadata), overwrite)};
}

struct PyLevel {
  image::SpatialImage image;
  zarr::Array array;
  std::string path;
  std::string image_url;  // for pickling: the image group and the level's index
  size_t index = 0;

  NumpyArray read(const std::vector<uint64_t>& start, const std::vector<uint64_t>& shape) const {
    Region r = make_region(start, shape);
    zarr::check_region(r, image.shape());
    return new_array(r.shape, image.dtype(), [&](void* out) { image.read(r, out); });
  }
};

struct PyImage {
  std::shared_ptr<image::MultiscaleImage> image;

  static PyImage open(const std::string& url) {
    nb::gil_scoped_release release;
    return {std::make_shared<image::MultiscaleImage>(image::MultiscaleImage::open(url))};
  }

  std::vector<PyLevel> levels() const {
    std::vector<PyLevel> out;
    const auto& datasets = image->multiscale().datasets;
    for (size_t i = 0; i < image->num_levels(); ++i)
      out.push_back({image->level(i), image->level_array(i),
                     i < datasets.size() ? datasets[i].path : std::to_string(i),
                     image->group().url(), i});
    return out;
  }

  static PyLevel open_level(const std::string& url, size_t index) {
    PyImage img = open(url);
    auto levels = img.levels();
    if (index >= levels.size())
      throw UsageError(url + " has " + std::to_string(levels.size()) + " levels, not " +
                       std::to_string(index + 1));
    return levels[index];
  }

  PyImage label(const std::string& name) const {
    nb::gil_scoped_release release;
    return {std::make_shared<image::MultiscaleImage>(image->label(name))};
  }
};

PyImage py_write_image(const std::string& url, const InputArray& data, nb::handle axes,
                       std::optional<std::vector<double>> scale,
                       std::optional<std::vector<double>> translation,
                       const std::optional<std::map<std::string, std::string>>& units,
                       size_t levels, const std::string& method,
                       const std::optional<std::vector<uint64_t>>& chunks,
                       const std::optional<std::vector<uint64_t>>& shards, const std::string& codec,
                       const std::string& ome_version, const std::string& name,
                       const std::optional<std::string>& omero_json, bool overwrite,
                       double memory_mib) {
  image::WriteImageOptions o =
      image_options(levels, method, chunks, shards, codec, ome_version, omero_json, overwrite);
  if (!(memory_mib > 0)) throw UsageError("memory_mib must be positive");
  o.memory_budget = static_cast<uint64_t>(memory_mib * 1024.0 * 1024.0);
  std::vector<ome::Axis> ax = parse_axes(axes, units);
  // The dtype of the numpy data, mapped back to a zarr type.
  std::optional<DataType> dtype;
  for (int t = 0; t <= static_cast<int>(DataType::complex128); ++t) {
    nb::dlpack::dtype d = dlpack_dtype(static_cast<DataType>(t));
    if (d.code == data.dtype().code && d.bits == data.dtype().bits && data.dtype().lanes == 1)
      dtype = static_cast<DataType>(t);
  }
  if (!dtype) throw UsageError("write_image: unsupported numpy dtype");
  Shape shape = input_shape(data);
  nb::gil_scoped_release release;
  image::SpatialImage img(image::buffer_source(data.data(), shape, *dtype), std::move(ax),
                          scale.value_or(std::vector<double>{}),
                          translation.value_or(std::vector<double>{}), name);
  auto loc = open_store(url, OpenMode::write);
  image::MultiscaleImage written = image::write_image(loc.store, loc.path, img, o);
  // A zip (.ozx) is finished here, its errors raised; it is then read from the finished file.
  ome::finish_store(*loc.store);
  if (!loc.store->is_writable())
    return {std::make_shared<image::MultiscaleImage>(image::MultiscaleImage::open(url))};
  return {std::make_shared<image::MultiscaleImage>(std::move(written))};
}

// The image without voxels (create_empty_image): its levels' arrays exist, empty, and its
// attributes are written; the caller fills level 0 and then level k from level k-1.
PyImage py_create_image_levels(const std::string& url, const std::vector<uint64_t>& shape,
                               const std::string& dtype_name, nb::handle axes,
                               std::optional<std::vector<double>> scale,
                               std::optional<std::vector<double>> translation,
                               const std::optional<std::map<std::string, std::string>>& units,
                               size_t levels, const std::string& method,
                               const std::optional<std::vector<uint64_t>>& chunks,
                               const std::optional<std::vector<uint64_t>>& shards,
                               const std::string& codec, const std::string& ome_version,
                               const std::string& name,
                               const std::optional<std::string>& omero_json, bool overwrite) {
  image::WriteImageOptions o =
      image_options(levels, method, chunks, shards, codec, ome_version, omero_json, overwrite);
  std::vector<ome::Axis> ax = parse_axes(axes, units);
  DataType dtype = parse_dtype(dtype_name);
  nb::gil_scoped_release release;
  auto loc = open_store(url, OpenMode::write);
  return {std::make_shared<image::MultiscaleImage>(image::create_empty_image(
      loc.store, loc.path, shape, dtype, std::move(ax), scale.value_or(std::vector<double>{}),
      translation.value_or(std::vector<double>{}), name, o))};
}

void py_downsample_block(const std::string& src_url, const std::string& dst_url,
                         const std::vector<uint64_t>& out_start,
                         const std::vector<uint64_t>& out_shape,
                         const std::vector<uint64_t>& factors, const std::string& method_name) {
  image::DownsampleMethod method = image::parse_downsample_method(method_name);
  Region out_region = make_region(out_start, out_shape);
  auto src_loc = open_store(src_url, OpenMode::read);
  zarr::Array src = zarr::Array::open(src_loc.store, src_loc.path);
  auto dst_loc = open_store(dst_url, OpenMode::write);
  zarr::Array dst = zarr::Array::open(dst_loc.store, dst_loc.path);
  if (src.dtype() != dst.dtype())
    throw UsageError("downsample_block: " + src.url() + " is " + dtype_str(src.dtype()) + ", " +
                     dst.url() + " is " + dtype_str(dst.dtype()));
  if (image::downsampled_shape(src.shape(), factors) != dst.shape())
    throw UsageError("downsample_block: " + dst.url() + " does not have the downsampled shape of " +
                     src.url());
  zarr::check_region(out_region, dst.shape());
  if (out_region.num_elements() == 0) return;
  Region in_region = image::downsample_input_region(out_region, src.shape(), factors, method);
  size_t element = zarr::dtype_size(src.dtype());
  std::vector<std::byte> in(static_cast<size_t>(in_region.num_elements()) * element);
  std::vector<std::byte> out(static_cast<size_t>(out_region.num_elements()) * element);
  src.read(in_region, in.data());
  image::downsample_region(in.data(), in_region, src.shape(), src.dtype(), factors, method,
                           out_region, out.data());
  dst.write(out_region, out.data());
}

}  // namespace
}  // namespace ngff::python

NB_MODULE(_ngff, m) {
  using namespace ngff;
  using namespace ngff::python;
  m.doc() = "C++ core of the ngff package (Zarr v2/v3 and OME-Zarr 0.4/0.5).";
  m.attr("__version__") = NGFF_VERSION_STRING;
  register_exceptions(m);
  register_copy(m);

  nb::class_<PyArray>(m, "Array")
      .def_static("open", &PyArray::open, "url"_a, ReleaseGil())
      .def_static("create", &create_array, "url"_a, "shape"_a, "dtype"_a, "chunks"_a = nb::none(),
                  "shards"_a = nb::none(), "codec"_a = "zstd:3", "zarr_format"_a = 3,
                  "fill_value"_a = nb::none(), "dimension_names"_a = nb::none(),
                  "attributes_json"_a = "{}", "overwrite"_a = false)
      .def_prop_ro("shape", [](const PyArray& a) { return to_tuple(a.array.shape()); })
      .def_prop_ro("dtype", [](const PyArray& a) { return dtype_str(a.array.dtype()); })
      .def_prop_ro("chunks", [](const PyArray& a) { return to_tuple(read_chunks(a.array)); })
      .def_prop_ro("shards", [](const PyArray& a) { return shards_of(a.array); })
      .def_prop_ro("zarr_format", [](const PyArray& a) { return a.array.zarr_format(); })
      .def_prop_ro("url", [](const PyArray& a) { return a.array.url(); })
      .def_prop_ro("fill_value_json",
                   [](const PyArray& a) { return dump(a.array.metadata().fill_value.json()); })
      .def_prop_ro("attributes_json",
                   [](const PyArray& a) {
                     const Json& j = a.array.metadata().attributes;
                     return dump(j.is_null() ? Json::object() : j);
                   })
      .def_prop_ro("codecs_json",
                   [](const PyArray& a) { return dump(a.array.metadata().codecs_as_v3()); })
      .def("read", &PyArray::read, "start"_a, "shape"_a)
      .def("write", &PyArray::write, "start"_a, "data"_a)
      .def(
          "set_attributes_json",
          [](PyArray& a, const std::string& text) {
            Json j = parse_json(text, "attributes_json");
            nb::gil_scoped_release release;
            a.array.set_attributes(j);
          },
          "text"_a)
      .def("__getstate__", [](const PyArray& a) { return std::make_tuple(a.array.url()); })
      .def("__setstate__",
           [](PyArray& a, const std::tuple<std::string>& state) {
             new (&a) PyArray(PyArray::open(std::get<0>(state)));
           })
      .def("__repr__", [](const PyArray& a) {
        return "<ngff._ngff.Array " + a.array.url() + " " + dtype_str(a.array.dtype()) + ">";
      });

  nb::class_<PyLevel>(m, "Level")
      .def_prop_ro("shape", [](const PyLevel& l) { return to_tuple(l.image.shape()); })
      .def_prop_ro("dtype", [](const PyLevel& l) { return dtype_str(l.image.dtype()); })
      .def_prop_ro("chunks", [](const PyLevel& l) { return to_tuple(read_chunks(l.array)); })
      .def_prop_ro("shards", [](const PyLevel& l) { return shards_of(l.array); })
      .def_prop_ro("scale", [](const PyLevel& l) { return l.image.scale(); })
      .def_prop_ro("translation", [](const PyLevel& l) { return l.image.translation(); })
      .def_prop_ro("axes", [](const PyLevel& l) { return axes_to_list(l.image.axes()); })
      .def_prop_ro("url", [](const PyLevel& l) { return l.array.url(); })
      .def_prop_ro("path", [](const PyLevel& l) { return l.path; })
      .def("read", &PyLevel::read, "start"_a, "shape"_a)
      .def("__getstate__", [](const PyLevel& l) { return std::make_tuple(l.image_url, l.index); })
      .def("__setstate__",
           [](PyLevel& l, const std::tuple<std::string, size_t>& state) {
             new (&l) PyLevel(PyImage::open_level(std::get<0>(state), std::get<1>(state)));
           })
      .def("__repr__", [](const PyLevel& l) { return "<ngff._ngff.Level " + l.array.url() + ">"; });

  nb::class_<PyImage>(m, "Image")
      .def_static("open", &PyImage::open, "url"_a)
      .def_prop_ro("levels", &PyImage::levels)
      .def_prop_ro("attributes_json",
                   [](const PyImage& i) {
                     const Json& j = i.image->group().attributes();
                     return dump(j.is_null() ? Json::object() : j);
                   })
      .def_prop_ro("version", [](const PyImage& i) { return ome::to_string(i.image->version()); })
      .def_prop_ro("name", [](const PyImage& i) { return i.image->name(); })
      .def_prop_ro("label_names", [](const PyImage& i) { return i.image->label_names(); })
      .def("label", &PyImage::label, "name"_a)
      .def(
          "level_for_resolution",
          [](const PyImage& i, const std::vector<double>& target) {
            return i.image->level_for_resolution(target);
          },
          "target"_a)
      .def_prop_ro("url", [](const PyImage& i) { return i.image->group().url(); })
      .def("__getstate__", [](const PyImage& i) { return std::make_tuple(i.image->group().url()); })
      .def("__setstate__",
           [](PyImage& i, const std::tuple<std::string>& state) {
             new (&i) PyImage(PyImage::open(std::get<0>(state)));
           })
      .def("__repr__",
           [](const PyImage& i) { return "<ngff._ngff.Image " + i.image->group().url() + ">"; });

  m.def("write_image", &py_write_image, "url"_a, "data"_a, "axes"_a, "scale"_a = nb::none(),
        "translation"_a = nb::none(), "units"_a = nb::none(), "levels"_a = 0, "method"_a = "mean",
        "chunks"_a = nb::none(), "shards"_a = nb::none(), "codec"_a = "zstd:3",
        "ome_version"_a = "0.5", "name"_a = "image", "omero_json"_a = nb::none(),
        "overwrite"_a = false, "memory_mib"_a = 512.0);
  m.def("create_image_levels", &py_create_image_levels, "url"_a, "shape"_a, "dtype"_a, "axes"_a,
        "scale"_a = nb::none(), "translation"_a = nb::none(), "units"_a = nb::none(),
        "levels"_a = 0, "method"_a = "mean", "chunks"_a = nb::none(), "shards"_a = nb::none(),
        "codec"_a = "zstd:3", "ome_version"_a = "0.5", "name"_a = "image",
        "omero_json"_a = nb::none(), "overwrite"_a = false);
  m.def("downsample_block", &py_downsample_block, "src_url"_a, "dst_url"_a, "out_start"_a,
        "out_shape"_a, "factors"_a, "method"_a, ReleaseGil());
}
