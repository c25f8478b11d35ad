// ngff._ngff.validation_report_json: ome::validate for python/ngff/validate.py, which turns the
// report into ngff.Problem objects and a dict.
#include "ngff/ome/validate.hpp"
#include "binding.hpp"

using namespace nb::literals;

namespace ngff::python {
namespace {

// The report as `ngff validate --json` prints it (ValidationReport::to_json).
std::string validation_report_json(const std::string& url, bool strict, bool deep) {
  ome::ValidateOptions o;
  o.strict = strict;
  o.deep = deep;
  return dump(ome::validate(url, o).to_json(strict));
}

}  // namespace

void register_validate(nb::module_& m) {
  m.def("validation_report_json", &validation_report_json, "url"_a, "strict"_a = false,
        "deep"_a = false, ReleaseGil());
}

}  // namespace ngff::python
