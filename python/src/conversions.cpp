// Conversions between Python/numpy values and ngff's C++ types for the ngff._ngff module.
#include "binding.hpp"

#include <sys/mman.h>

#include <cstdlib>

namespace ngff::python {

// ---- dtypes and numpy arrays --------------------------------------------------------------------

nb::dlpack::dtype dlpack_dtype(DataType t) {
  using nb::dlpack::dtype_code;
  dtype_code code = dtype_code::Int;
  switch (zarr::dtype_kind(t)) {
    case zarr::DataTypeKind::boolean:
      code = dtype_code::Bool;
      break;
    case zarr::DataTypeKind::signed_int:
      code = dtype_code::Int;
      break;
    case zarr::DataTypeKind::unsigned_int:
      code = dtype_code::UInt;
      break;
    case zarr::DataTypeKind::floating:
      code = dtype_code::Float;
      break;
    case zarr::DataTypeKind::complex:
      code = dtype_code::Complex;
      break;
  }
  return {static_cast<uint8_t>(code), static_cast<uint8_t>(zarr::dtype_size(t) * 8), 1};
}

// numpy's name of a dtype ("float32", "bool"): the v3 name.
std::string dtype_str(DataType t) {
  return std::string(zarr::dtype_name(t));
}

DataType parse_dtype(const std::string& name) {
  try {
    return zarr::dtype_from_name(name);
  } catch (const MetadataError&) {
    throw UsageError("unsupported dtype '" + name +
                     "' (supported: bool, int8..int64, uint8..uint64, float16, float32, "
                     "float64, complex64, complex128)");
  }
}

// Throws UsageError unless `a` holds elements of `expected`.
void check_input(const InputArray& a, DataType expected, const Shape* shape) {
  nb::dlpack::dtype want = dlpack_dtype(expected);
  nb::dlpack::dtype got = a.dtype();
  if (got.code != want.code || got.bits != want.bits || got.lanes != 1)
    throw UsageError("data has the wrong dtype for a " + dtype_str(expected) + " array (code " +
                     std::to_string(got.code) + ", " + std::to_string(got.bits) +
                     " bits); cast it first");
  if (shape) {
    bool same = a.ndim() == shape->size();
    for (size_t d = 0; same && d < shape->size(); ++d) same = a.shape(d) == (*shape)[d];
    if (!same) throw UsageError("data shape does not match the region shape");
  }
}

Shape input_shape(const InputArray& a) {
  Shape s(a.ndim());
  for (size_t d = 0; d < a.ndim(); ++d) s[d] = a.shape(d);
  return s;
}

Region make_region(const std::vector<uint64_t>& start, const std::vector<uint64_t>& shape) {
  if (start.size() != shape.size())
    throw UsageError("region start has " + std::to_string(start.size()) + " entries, shape " +
                     std::to_string(shape.size()));
  return Region{start, shape};
}

void* allocate_output(size_t bytes) {
  constexpr size_t kHugePage = 2u << 20;
  if (bytes >= 2 * kHugePage) {
    const size_t rounded = (bytes + kHugePage - 1) / kHugePage * kHugePage;
    if (void* p = std::aligned_alloc(kHugePage, rounded)) {
      ::madvise(p, rounded, MADV_HUGEPAGE);  // advice only: failure leaves 4 KiB pages
      return p;
    }
  }
  void* p = std::malloc(bytes ? bytes : 1);
  if (!p) throw std::bad_alloc();
  return p;
}

Shape read_chunks(const zarr::Array& a) {
  return zarr::inner_chunk_shape(a.metadata()).value_or(a.chunk_shape());
}

nb::object shards_of(const zarr::Array& a) {
  if (!zarr::inner_chunk_shape(a.metadata())) return nb::none();
  return to_tuple(a.chunk_shape());
}

nb::tuple to_tuple(const Shape& s) {
  nb::list l;
  for (uint64_t v : s) l.append(v);
  return nb::tuple(l);
}

// ---- JSON helpers -------------------------------------------------------------------------------

Json parse_json_arg(const std::string& text, std::string_view what) {
  return parse_json(text, what);
}

std::string dump(const Json& j) {
  return dump_json(j);
}

// A Python scalar (bool, int, float, complex, numpy scalar) as the JSON of a fill value.
Json fill_json(nb::handle o) {
  if (PyBool_Check(o.ptr())) return Json(o.ptr() == Py_True);
  if (PyLong_Check(o.ptr())) {
    int overflow = 0;
    long long v = PyLong_AsLongLongAndOverflow(o.ptr(), &overflow);
    if (overflow == 0) return Json(static_cast<int64_t>(v));
    unsigned long long u = PyLong_AsUnsignedLongLong(o.ptr());
    if (PyErr_Occurred()) {
      PyErr_Clear();
      throw UsageError("fill_value is out of range");
    }
    return Json(static_cast<uint64_t>(u));
  }
  auto real = [](double v) -> Json {
    if (std::isnan(v)) return "NaN";
    if (std::isinf(v)) return v > 0 ? "Infinity" : "-Infinity";
    return v;
  };
  if (PyFloat_Check(o.ptr())) return real(PyFloat_AsDouble(o.ptr()));
  if (PyComplex_Check(o.ptr()))
    return Json::array(
        {real(PyComplex_RealAsDouble(o.ptr())), real(PyComplex_ImagAsDouble(o.ptr()))});
  if (nb::hasattr(o, "item")) return fill_json(o.attr("item")());  // numpy scalars
  throw UsageError("fill_value must be a bool, int, float or complex");
}

// ---- Axes ---------------------------------------------------------------------------------------

// `axes`: a string of letters ("tczyx") or a list of axis dicts ({"name", "type", "unit"}) or
// names; `units` sets units by axis name.
std::vector<ome::Axis> parse_axes(nb::handle axes,
                                  const std::optional<std::map<std::string, std::string>>& units) {
  std::vector<ome::Axis> out;
  if (nb::isinstance<nb::str>(axes)) {
    out = image::SpatialImage::axes_from_letters(nb::cast<std::string>(axes));
  } else {
    nb::object dumps = nb::module_::import_("json").attr("dumps");
    size_t i = 0;
    for (nb::handle item : axes) {
      std::string where = "axes[" + std::to_string(i++) + "]";
      if (nb::isinstance<nb::str>(item)) {
        std::string name = nb::cast<std::string>(item);
        if (name.size() == 1 && std::string_view("tczyx").find(name[0]) != std::string::npos) {
          out.push_back(image::SpatialImage::axes_from_letters(name)[0]);
        } else {
          ome::Axis a;
          a.name = name;
          out.push_back(std::move(a));
        }
      } else {
        std::string text = nb::cast<std::string>(dumps(item));
        out.push_back(ome::Axis::from_json(parse_json(text, where), where));
      }
    }
  }
  if (units) {
    for (const auto& [name, unit] : *units) {
      bool found = false;
      for (auto& a : out)
        if (a.name == name) {
          if (unit.empty())
            a.unit.reset();
          else
            a.unit = unit;
          found = true;
        }
      if (!found) throw UsageError("units: no axis named '" + name + "'");
    }
  }
  return out;
}

nb::list axes_to_list(const std::vector<ome::Axis>& axes) {
  nb::list l;
  for (const auto& a : axes) {
    nb::dict d;
    d["name"] = a.name;
    d["type"] = a.type ? nb::cast(*a.type) : nb::none();
    d["unit"] = a.unit ? nb::cast(*a.unit) : nb::none();
    l.append(d);
  }
  return l;
}

ome::Version parse_ome_version(const std::string& v) {
  return ome::parse_write_version(v, "ome_version");
}

image::WriteImageOptions image_options(size_t levels, const std::string& method,
                                       const std::optional<std::vector<uint64_t>>& chunks,
                                       const std::optional<std::vector<uint64_t>>& shards,
                                       const std::string& codec, const std::string& ome_version,
                                       const std::optional<std::string>& omero_json,
                                       bool overwrite) {
  image::WriteImageOptions o;
  o.version = parse_ome_version(ome_version);
  o.levels = levels;
  o.method = image::parse_downsample_method(method);
  if (chunks) o.chunks = *chunks;
  if (shards) o.shards = *shards;
  o.codec = codec;
  if (omero_json) o.omero = ome::Omero::from_json(parse_json(*omero_json, "omero"), "omero");
  o.overwrite = overwrite;
  return o;
}

}  // namespace ngff::python
