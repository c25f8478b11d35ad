// The nanobind module ngff._ngff: the C++ core of the Python package (python/ngff/*.py builds the
// user-facing API on it). Arrays cross as C-contiguous numpy arrays in native byte order; the
// GIL is released around every read, write, create, open and downsample.
//
// This file holds the module's entry point, which registers each area from its own file
// (errors.cpp, copy.cpp, arrays.cpp, images.cpp, plates.cpp), and the image writers: write_image
// and write_labels from numpy, and create_image_levels / create_label_levels + downsample_block,
// the steps python/ngff/write.py runs as dask tasks, and create_image_with_levels for levels
// computed elsewhere (a multiscale-spatial-image DataTree, written as it is).
#include "binding.hpp"
#include "images.hpp"
#include "ngff/image/write_levels.hpp"
#include "ngff/ome/finish_store.hpp"
#include "ngff/zarr/codec_spelling.hpp"

using namespace nb::literals;

namespace ngff::python {
namespace {

// The zarr type of numpy data.
DataType input_dtype(const InputArray& data, const char* what) {
  for (int t = 0; t <= static_cast<int>(DataType::complex128); ++t) {
    nb::dlpack::dtype d = dlpack_dtype(static_cast<DataType>(t));
    if (d.code == data.dtype().code && d.bits == data.dtype().bits && data.dtype().lanes == 1)
      return static_cast<DataType>(t);
  }
  throw UsageError(std::string(what) + ": unsupported numpy dtype");
}

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
  DataType dtype = input_dtype(data, "write_image");
  Shape shape = input_shape(data);
  nb::gil_scoped_release release;
  image::SpatialImage img(image::buffer_source(data.data(), shape, dtype), std::move(ax),
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

// An image whose levels were computed elsewhere (a multiscale-spatial-image DataTree), without
// voxels: each level's shape, scale and translation as given; the caller fills the levels.
PyImage py_create_image_with_levels(const std::string& url,
                                    const std::vector<std::vector<uint64_t>>& shapes,
                                    const std::string& dtype_name, nb::handle axes,
                                    const std::vector<std::vector<double>>& scales,
                                    const std::vector<std::vector<double>>& translations,
                                    const std::optional<std::map<std::string, std::string>>& units,
                                    const std::optional<std::vector<uint64_t>>& chunks,
                                    const std::optional<std::vector<uint64_t>>& shards,
                                    const std::string& codec, const std::string& ome_version,
                                    const std::string& name,
                                    const std::optional<std::string>& omero_json, bool overwrite) {
  image::WriteImageOptions o =
      image_options(0, "mean", chunks, shards, codec, ome_version, omero_json, overwrite);
  std::vector<ome::Axis> ax = parse_axes(axes, units);
  DataType dtype = parse_dtype(dtype_name);
  if (scales.size() != shapes.size() || translations.size() != shapes.size())
    throw UsageError("create_image_with_levels: one scale and one translation per level");
  std::vector<image::LevelLayout> levels;
  for (size_t k = 0; k < shapes.size(); ++k)
    levels.push_back({shapes[k], scales[k], translations[k]});
  nb::gil_scoped_release release;
  auto loc = open_store(url, OpenMode::write);
  return {std::make_shared<image::MultiscaleImage>(
      image::create_image_with_levels(loc.store, loc.path, levels, dtype, std::move(ax), name, o))};
}

// The options of a label image: image_options without an OME version (labels take the image's)
// and with the "image-label" metadata.
image::WriteImageOptions label_write_options(size_t levels, const std::string& method,
                                             const std::optional<std::vector<uint64_t>>& chunks,
                                             const std::optional<std::vector<uint64_t>>& shards,
                                             const std::string& codec,
                                             const std::optional<std::string>& image_label_json,
                                             bool overwrite) {
  image::WriteImageOptions o =
      image_options(levels, method, chunks, shards, codec, "0.5", std::nullopt, overwrite);
  if (image_label_json)
    o.image_label = ome::ImageLabel::from_json(parse_json(*image_label_json, "image-label"),
                                               "image-label", ome::Version::v0_5);
  return o;
}

// A label image written from numpy into the image at `image_url` (write_labels).
PyImage py_write_labels(const std::string& image_url, const std::string& name,
                        const InputArray& data, const std::vector<std::string>& axes, size_t levels,
                        const std::string& method,
                        const std::optional<std::vector<uint64_t>>& chunks,
                        const std::optional<std::vector<uint64_t>>& shards,
                        const std::string& codec,
                        const std::optional<std::string>& image_label_json, bool overwrite,
                        double memory_mib) {
  image::WriteImageOptions o =
      label_write_options(levels, method, chunks, shards, codec, image_label_json, overwrite);
  if (!(memory_mib > 0)) throw UsageError("memory_mib must be positive");
  o.memory_budget = static_cast<uint64_t>(memory_mib * 1024.0 * 1024.0);
  DataType dtype = input_dtype(data, "write_labels");
  Shape shape = input_shape(data);
  nb::gil_scoped_release release;
  auto loc = open_store(image_url, OpenMode::write);
  image::MultiscaleImage img = image::MultiscaleImage::open(loc.store, loc.path);
  image::SpatialImage labels =
      image::labels_in_image_space(img, image::buffer_source(data.data(), shape, dtype), axes);
  image::MultiscaleImage written = image::write_labels(img, name, labels, o);
  ome::finish_store(*loc.store);
  if (!loc.store->is_writable())
    return {std::make_shared<image::MultiscaleImage>(
        image::MultiscaleImage::open(image_url).label(name))};
  return {std::make_shared<image::MultiscaleImage>(std::move(written))};
}

// The label image without voxels (create_empty_labels), for dask to fill.
PyImage py_create_label_levels(const std::string& image_url, const std::string& name,
                               const std::vector<uint64_t>& shape, const std::string& dtype_name,
                               const std::vector<std::string>& axes, size_t levels,
                               const std::string& method,
                               const std::optional<std::vector<uint64_t>>& chunks,
                               const std::optional<std::vector<uint64_t>>& shards,
                               const std::string& codec,
                               const std::optional<std::string>& image_label_json, bool overwrite) {
  image::WriteImageOptions o =
      label_write_options(levels, method, chunks, shards, codec, image_label_json, overwrite);
  DataType dtype = parse_dtype(dtype_name);
  nb::gil_scoped_release release;
  auto loc = open_store(image_url, OpenMode::write);
  image::MultiscaleImage img = image::MultiscaleImage::open(loc.store, loc.path);
  return {std::make_shared<image::MultiscaleImage>(
      image::create_empty_labels(img, name, shape, dtype, axes, o))};
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

void register_image_writers(nb::module_& m) {
  m.def("write_image", &py_write_image, "url"_a, "data"_a, "axes"_a, "scale"_a = nb::none(),
        "translation"_a = nb::none(), "units"_a = nb::none(), "levels"_a = 0, "method"_a = "mean",
        "chunks"_a = nb::none(), "shards"_a = nb::none(),
        "codec"_a = std::string(zarr::kDefaultCodecSpelling), "ome_version"_a = "0.5",
        "name"_a = "image", "omero_json"_a = nb::none(), "overwrite"_a = false,
        "memory_mib"_a = 512.0);
  m.def("create_image_levels", &py_create_image_levels, "url"_a, "shape"_a, "dtype"_a, "axes"_a,
        "scale"_a = nb::none(), "translation"_a = nb::none(), "units"_a = nb::none(),
        "levels"_a = 0, "method"_a = "mean", "chunks"_a = nb::none(), "shards"_a = nb::none(),
        "codec"_a = std::string(zarr::kDefaultCodecSpelling), "ome_version"_a = "0.5",
        "name"_a = "image", "omero_json"_a = nb::none(), "overwrite"_a = false);
  m.def("create_image_with_levels", &py_create_image_with_levels, "url"_a, "shapes"_a, "dtype"_a,
        "axes"_a, "scales"_a, "translations"_a, "units"_a = nb::none(), "chunks"_a = nb::none(),
        "shards"_a = nb::none(), "codec"_a = std::string(zarr::kDefaultCodecSpelling),
        "ome_version"_a = "0.5", "name"_a = "image", "omero_json"_a = nb::none(),
        "overwrite"_a = false);
  m.def("write_labels", &py_write_labels, "image_url"_a, "name"_a, "data"_a, "axes"_a,
        "levels"_a = 0, "method"_a = "mode", "chunks"_a = nb::none(), "shards"_a = nb::none(),
        "codec"_a = std::string(zarr::kDefaultCodecSpelling), "image_label_json"_a = nb::none(),
        "overwrite"_a = false, "memory_mib"_a = 512.0);
  m.def("create_label_levels", &py_create_label_levels, "image_url"_a, "name"_a, "shape"_a,
        "dtype"_a, "axes"_a, "levels"_a = 0, "method"_a = "mode", "chunks"_a = nb::none(),
        "shards"_a = nb::none(), "codec"_a = std::string(zarr::kDefaultCodecSpelling),
        "image_label_json"_a = nb::none(), "overwrite"_a = false);
  m.def("downsample_block", &py_downsample_block, "src_url"_a, "dst_url"_a, "out_start"_a,
        "out_shape"_a, "factors"_a, "method"_a, ReleaseGil());
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
  register_tiff(m);
  register_arrays(m);
  register_images(m);
  register_plates(m);
  register_validate(m);
  register_image_writers(m);
  register_render(m);
}
