// The exception types of ngff._ngff (NgffError and subclasses, some also KeyError, OSError or
// ValueError) and the translator that raises them from ngff::Error with the C++ message.
#include "binding.hpp"

namespace ngff::python {
namespace {

// ---- Exceptions ---------------------------------------------------------------------------------

struct ExceptionTypes {
  PyObject* ngff = nullptr;
  PyObject* store = nullptr;
  PyObject* key_not_found = nullptr;
  PyObject* invalid_key = nullptr;
  PyObject* metadata = nullptr;
  PyObject* codec = nullptr;
  PyObject* validation = nullptr;
  PyObject* usage = nullptr;
};
ExceptionTypes exc;  // owned references, kept for the life of the process

// The exceptions' docstrings, which help(ngff) shows: what each error means, and a call that
// raises it (with the traceback elided as doctest writes it).
#define TRACEBACK "Traceback (most recent call last):\n  ...\n"
namespace doc {
constexpr const char* ngff =
    "Base of all ngff errors; the message names the URL or key and what was expected.\n\n"
    ">>> try:\n"
    "...     ngff.open_image(\"missing.ome.zarr\")\n"
    "... except ngff.NgffError as e:\n"
    "...     print(type(e).__name__, e)\n"
    "KeyNotFoundError no such file or directory: 'missing.ome.zarr'";
constexpr const char* store =
    "A store could not read or write bytes (also an OSError).\n\n"
    ">>> ngff.open_array(\"http://127.0.0.1:1/a.zarr\")\n" TRACEBACK
    "ngff.StoreError: GET http://127.0.0.1:1/a.zarr/zarr.json: Failed to connect ...";
constexpr const char* key_not_found =
    "A key or node that was required is absent (also a KeyError).\n\n"
    ">>> ngff.open_array(\"missing.zarr\")\n" TRACEBACK
    "ngff.KeyNotFoundError: no Zarr array at file:///.../missing.zarr (neither zarr.json nor "
    ".zarray exists)";
constexpr const char* invalid_key =
    "A key that is invalid (also a ValueError).\n\n"
    ">>> ngff.open_array(\"s3://bucket/a/../b\")\n" TRACEBACK
    "ngff.InvalidKeyError: invalid key 'a/../b': '.' and '..' segments are not allowed";
constexpr const char* metadata =
    "Zarr metadata that is malformed or not understood (also a ValueError).\n\n"
    ">>> ngff.open_array(\"broken.zarr\")\n" TRACEBACK
    "ngff.MetadataError: file:///.../broken.zarr/zarr.json: missing required field 'shape'";
constexpr const char* codec =
    "A codec that is unknown, misconfigured or failing, e.g. on a chunk that does not\n"
    "decompress (also a ValueError).\n\n"
    ">>> try:\n"
    "...     block = ngff.open_array(url)[...]\n"
    "... except ngff.CodecError as e:\n"
    "...     print(\"corrupt chunk:\", e)";
constexpr const char* validation =
    "Metadata that does not validate against OME-NGFF (also a ValueError).\n\n"
    ">>> ngff.open_image(\"no_axes.ome.zarr\")\n" TRACEBACK
    "ngff.ValidationError: file:///.../no_axes.ome.zarr.ome.multiscales[0].axes: expected 2 to "
    "5 axes, got 0";
constexpr const char* usage =
    "Invalid arguments from the caller (also a ValueError).\n\n"
    ">>> ngff.write_image(\"a.zarr\", data, method=\"bogus\")\n" TRACEBACK
    "ngff.UsageError: unknown downsampling method 'bogus' (valid: nearest, mean, gaussian, "
    "mode, min, max)";
}  // namespace doc
#undef TRACEBACK

PyObject* new_exception(nb::module_& m, const char* name, std::initializer_list<PyObject*> bases,
                        const char* doc) {
  PyObject* tuple = PyTuple_New(static_cast<Py_ssize_t>(bases.size()));
  if (!tuple) throw nb::python_error();
  Py_ssize_t i = 0;
  for (PyObject* b : bases) {
    Py_INCREF(b);
    PyTuple_SET_ITEM(tuple, i++, b);
  }
  std::string qualified = std::string("ngff.") + name;
  PyObject* type = PyErr_NewExceptionWithDoc(qualified.c_str(), doc, tuple, nullptr);
  Py_DECREF(tuple);
  if (!type) throw nb::python_error();
  m.attr(name) = nb::handle(type);
  return type;
}

}  // namespace

void register_exceptions(nb::module_& m) {
  exc.ngff = new_exception(m, "NgffError", {PyExc_Exception}, doc::ngff);
  exc.store = new_exception(m, "StoreError", {exc.ngff, PyExc_OSError}, doc::store);
  exc.key_not_found =
      new_exception(m, "KeyNotFoundError", {exc.store, PyExc_KeyError}, doc::key_not_found);
  exc.invalid_key =
      new_exception(m, "InvalidKeyError", {exc.ngff, PyExc_ValueError}, doc::invalid_key);
  exc.metadata = new_exception(m, "MetadataError", {exc.ngff, PyExc_ValueError}, doc::metadata);
  exc.codec = new_exception(m, "CodecError", {exc.ngff, PyExc_ValueError}, doc::codec);
  exc.validation =
      new_exception(m, "ValidationError", {exc.ngff, PyExc_ValueError}, doc::validation);
  exc.usage = new_exception(m, "UsageError", {exc.ngff, PyExc_ValueError}, doc::usage);

  nb::register_exception_translator([](const std::exception_ptr& p, void*) {
    try {
      std::rethrow_exception(p);
    } catch (const KeyNotFound& e) {
      PyErr_SetString(exc.key_not_found, e.what());
    } catch (const StoreError& e) {
      PyErr_SetString(exc.store, e.what());
    } catch (const InvalidKey& e) {
      PyErr_SetString(exc.invalid_key, e.what());
    } catch (const MetadataError& e) {
      PyErr_SetString(exc.metadata, e.what());
    } catch (const CodecError& e) {
      PyErr_SetString(exc.codec, e.what());
    } catch (const ValidationError& e) {
      PyErr_SetString(exc.validation, e.what());
    } catch (const UsageError& e) {
      PyErr_SetString(exc.usage, e.what());
    } catch (const Error& e) {
      PyErr_SetString(exc.ngff, e.what());
    }
  });
}

}  // namespace ngff::python
