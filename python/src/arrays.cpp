// ngff._ngff.Array: a Zarr v2/v3 array opened or created by URL, read and written as numpy boxes
// (python/ngff/array.py gives it numpy indexing).
#include "binding.hpp"
#include "ngff/zarr/codec_spelling.hpp"

using namespace nb::literals;

namespace ngff::python {
namespace {

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

}  // namespace

void register_arrays(nb::module_& m) {
  nb::class_<PyArray>(m, "Array")
      .def_static("open", &PyArray::open, "url"_a, ReleaseGil())
      .def_static("create", &create_array, "url"_a, "shape"_a, "dtype"_a, "chunks"_a = nb::none(),
                  "shards"_a = nb::none(), "codec"_a = std::string(zarr::kDefaultCodecSpelling),
                  "zarr_format"_a = 3, "fill_value"_a = nb::none(),
                  "dimension_names"_a = nb::none(), "attributes_json"_a = "{}",
                  "overwrite"_a = false)
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
}

}  // namespace ngff::python
