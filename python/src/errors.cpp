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
  exc.ngff = new_exception(m, "NgffError", {PyExc_Exception}, "Base of all ngff errors.");
  exc.store = new_exception(m, "StoreError", {exc.ngff, PyExc_OSError},
                            "A store could not read or write bytes.");
  exc.key_not_found = new_exception(m, "KeyNotFoundError", {exc.store, PyExc_KeyError},
                                    "A key or node that was required is absent.");
  exc.invalid_key =
      new_exception(m, "InvalidKeyError", {exc.ngff, PyExc_ValueError}, "A key that is invalid.");
  exc.metadata = new_exception(m, "MetadataError", {exc.ngff, PyExc_ValueError},
                               "Zarr metadata that is malformed or not understood.");
  exc.codec = new_exception(m, "CodecError", {exc.ngff, PyExc_ValueError},
                            "A codec that is unknown, misconfigured or failing.");
  exc.validation = new_exception(m, "ValidationError", {exc.ngff, PyExc_ValueError},
                                 "Metadata that does not validate against OME-NGFF.");
  exc.usage = new_exception(m, "UsageError", {exc.ngff, PyExc_ValueError},
                            "Invalid arguments from the caller.");

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
