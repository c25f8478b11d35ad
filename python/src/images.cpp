// ngff._ngff.Level and ngff._ngff.Image: OME-Zarr images opened by URL, their levels read as
// numpy boxes (python/ngff/image.py gives them numpy, dask and xarray views).
#include "images.hpp"

using namespace nb::literals;

namespace ngff::python {

NumpyArray PyLevel::read(const std::vector<uint64_t>& start,
                         const std::vector<uint64_t>& shape) const {
  Region r = make_region(start, shape);
  zarr::check_region(r, image.shape());
  return new_array(r.shape, image.dtype(), [&](void* out) { image.read(r, out); });
}

PyImage PyImage::open(const std::string& url, size_t series) {
  nb::gil_scoped_release release;
  return {
      std::make_shared<image::MultiscaleImage>(image::MultiscaleImage::open_series(url, series))};
}

std::vector<PyLevel> PyImage::levels() const {
  std::vector<PyLevel> out;
  const auto& datasets = image->multiscale().datasets;
  for (size_t i = 0; i < image->num_levels(); ++i)
    out.push_back({image->level(i), image->level_array(i),
                   i < datasets.size() ? datasets[i].path : std::to_string(i), image->group().url(),
                   i});
  return out;
}

PyLevel PyImage::open_level(const std::string& url, size_t index) {
  PyImage img = open(url, 0);
  auto levels = img.levels();
  if (index >= levels.size())
    throw UsageError(url + " has " + std::to_string(levels.size()) + " levels, not " +
                     std::to_string(index + 1));
  return levels[index];
}

PyImage PyImage::label(const std::string& name) const {
  nb::gil_scoped_release release;
  return {std::make_shared<image::MultiscaleImage>(image->label(name))};
}

namespace {

void register_level(nb::module_& m) {
  nb::class_<PyLevel>(m, "Level")
      .def_prop_ro("shape", [](const PyLevel& l) { return to_tuple(l.image.shape()); })
      .def_prop_ro("dtype", [](const PyLevel& l) { return dtype_str(l.image.dtype()); })
      .def_prop_ro("chunks", [](const PyLevel& l) { return to_tuple(read_chunks(l.array)); })
      .def_prop_ro("shards", [](const PyLevel& l) { return shards_of(l.array); })
      .def_prop_ro("scale", [](const PyLevel& l) { return l.image.scale(); })
      .def_prop_ro("translation", [](const PyLevel& l) { return l.image.translation(); })
      .def_prop_ro("axes", [](const PyLevel& l) { return axes_to_list(l.image.axes()); })
      .def_prop_ro("affine",
                   [](const PyLevel& l) -> std::optional<std::vector<std::vector<double>>> {
                     if (!l.image.affine()) return std::nullopt;
                     return l.image.affine()->matrix;
                   })
      .def_prop_ro("affine_target",
                   [](const PyLevel& l) -> std::optional<std::string> {
                     if (!l.image.affine()) return std::nullopt;
                     return l.image.affine_target();
                   })
      .def_prop_ro("url", [](const PyLevel& l) { return l.array.url(); })
      .def_prop_ro("path", [](const PyLevel& l) { return l.path; })
      .def("read", &PyLevel::read, "start"_a, "shape"_a)
      .def("__getstate__", [](const PyLevel& l) { return std::make_tuple(l.image_url, l.index); })
      .def("__setstate__",
           [](PyLevel& l, const std::tuple<std::string, size_t>& state) {
             new (&l) PyLevel(PyImage::open_level(std::get<0>(state), std::get<1>(state)));
           })
      .def("__repr__", [](const PyLevel& l) { return "<ngff._ngff.Level " + l.array.url() + ">"; });
}

void register_image(nb::module_& m) {
  nb::class_<PyImage>(m, "Image")
      .def_static("open", &PyImage::open, "url"_a, "series"_a = 0)
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
             new (&i) PyImage(PyImage::open(std::get<0>(state), 0));
           })
      .def("__repr__",
           [](const PyImage& i) { return "<ngff._ngff.Image " + i.image->group().url() + ">"; });
}

}  // namespace

void register_images(nb::module_& m) {
  register_level(m);
  register_image(m);
}

}  // namespace ngff::python
