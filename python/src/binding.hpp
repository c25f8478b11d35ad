// Shared by the files of the nanobind module ngff._ngff: the numpy, dtype, JSON and axis
// conversions (conversions.cpp) and the registration function of each area's file.
#pragma once

#include <nanobind/nanobind.h>
#include <nanobind/ndarray.h>
#include <nanobind/stl/map.h>
#include <nanobind/stl/optional.h>
#include <nanobind/stl/string.h>
#include <nanobind/stl/tuple.h>
#include <nanobind/stl/vector.h>

#include <cmath>
#include <cstddef>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ngff/error.hpp"
#include "ngff/image/downsample.hpp"
#include "ngff/image/multiscale_image.hpp"
#include "ngff/image/spatial_image.hpp"
#include "ngff/image/voxel_source.hpp"
#include "ngff/image/write_image.hpp"
#include "ngff/ome/axes.hpp"
#include "ngff/ome/omero.hpp"
#include "ngff/ome/version.hpp"
#include "ngff/store/open_store.hpp"
#include "ngff/util/json.hpp"
#include "ngff/version.hpp"
#include "ngff/zarr/array.hpp"
#include "ngff/zarr/array_spec.hpp"
#include "ngff/zarr/codec_spelling.hpp"
#include "ngff/zarr/dtype.hpp"
#include "ngff/zarr/fill_value.hpp"
#include "ngff/zarr/region.hpp"

namespace nb = nanobind;

namespace ngff::python {

using zarr::DataType;
using zarr::Region;
using zarr::Shape;
using NumpyArray = nb::ndarray<nb::numpy>;
using InputArray = nb::ndarray<nb::numpy, nb::ro, nb::c_contig, nb::device::cpu>;
using ReleaseGil = nb::call_guard<nb::gil_scoped_release>;

// errors.cpp: ngff.NgffError and its subclasses, and the translator from ngff::Error.
void register_exceptions(nb::module_& m);

// copy.cpp: ngff.copy (store to store, resumable).
void register_copy(nb::module_& m);

// tiff.cpp: ngff._ngff.open_tiff / TiffSeries and ngff._ngff.convert.
void register_tiff(nb::module_& m);

// arrays.cpp: ngff._ngff.Array (open, create, read and write boxes).
void register_arrays(nb::module_& m);

// images.cpp: ngff._ngff.Level and ngff._ngff.Image (open, levels, labels, read boxes).
void register_images(nb::module_& m);

// plates.cpp: describe_node (the hierarchy reader) and write_plate_metadata.
void register_plates(nb::module_& m);

// validate.cpp: ngff._ngff.validation_report_json (ome::validate).
void register_validate(nb::module_& m);

// render.cpp: ngff._ngff.render and open_render_image (image::render).
void register_render(nb::module_& m);

// conversions.cpp
nb::dlpack::dtype dlpack_dtype(DataType t);
std::string dtype_str(DataType t);
DataType parse_dtype(const std::string& name);
void check_input(const InputArray& a, DataType expected, const Shape* shape = nullptr);
Shape input_shape(const InputArray& a);
Region make_region(const std::vector<uint64_t>& start, const std::vector<uint64_t>& shape);
nb::tuple to_tuple(const Shape& s);
// The chunks a reader sees: the inner chunks of a sharded array (zarr-python's `chunks`).
Shape read_chunks(const zarr::Array& a);
// The shard shape as a tuple, or None when the array is not sharded (zarr-python's `shards`).
nb::object shards_of(const zarr::Array& a);
Json parse_json_arg(const std::string& text, std::string_view what);
std::string dump(const Json& j);
Json fill_json(nb::handle o);
std::vector<ome::Axis> parse_axes(nb::handle axes,
                                  const std::optional<std::map<std::string, std::string>>& units);
nb::list axes_to_list(const std::vector<ome::Axis>& axes);
ome::Version parse_ome_version(const std::string& v);
image::WriteImageOptions image_options(size_t levels, const std::string& method,
                                       const std::optional<std::vector<uint64_t>>& chunks,
                                       const std::optional<std::vector<uint64_t>>& shards,
                                       const std::string& codec, const std::string& ome_version,
                                       const std::optional<std::string>& omero_json,
                                       bool overwrite);

// Memory for a new output array, released with std::free. Large outputs are aligned to and
// advised for transparent huge pages: filling a fresh buffer is dominated by page faults, and a
// 2 MiB page takes one fault where 4 KiB pages take 512 (as numpy does for its own arrays).
void* allocate_output(size_t bytes);

// A fresh C-contiguous numpy array of `shape` and `dtype` filled by `fill(ptr)` with the GIL
// released.
template <class Fill>
NumpyArray new_array(const Shape& shape, DataType dtype, Fill&& fill) {
  size_t bytes = static_cast<size_t>(zarr::product(shape)) * zarr::dtype_size(dtype);
  void* data = allocate_output(bytes);
  nb::capsule owner(data, [](void* p) noexcept { std::free(p); });
  {
    nb::gil_scoped_release release;
    fill(static_cast<void*>(data));
  }
  std::vector<size_t> dims(shape.begin(), shape.end());
  return NumpyArray(data, dims.size(), dims.data(), owner, nullptr, dlpack_dtype(dtype));
}

}  // namespace ngff::python
