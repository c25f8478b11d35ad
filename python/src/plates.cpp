// ngff._ngff.describe_node and write_plate_metadata: the hierarchy reader (ome::open_node) and
// the metadata step of the plate writer, for python/ngff/plate.py, which writes the field
// images with write_image.
#include "binding.hpp"
#include "ngff/image/write_plate.hpp"
#include "ngff/ome/hierarchy.hpp"
#include "ngff/store/open_store.hpp"

using namespace nb::literals;

namespace ngff::python {
namespace {

std::string describe_node(const std::string& url) {
  return dump(ome::describe(ome::open_node(url)));
}

// `plate_json` is a "plate" object in `version`'s layout; `wells_json` maps each well path to
// its "well" object.
void write_plate_metadata(const std::string& url, const std::string& plate_json,
                          const std::string& wells_json, const std::string& version,
                          bool overwrite) {
  ome::Version v = parse_ome_version(version);
  ome::Plate plate = ome::Plate::from_json(parse_json_arg(plate_json, "plate"), "plate", v);
  std::map<std::string, ome::Well> wells;
  Json wells_doc = parse_json_arg(wells_json, "wells");
  for (const auto& [path, well] : wells_doc.items())
    wells[path] = ome::Well::from_json(well, "wells." + path, v);
  auto loc = open_store(url, OpenMode::write);
  image::write_plate_metadata(loc.store, loc.path, plate, wells, v, overwrite);
}

}  // namespace

void register_plates(nb::module_& m) {
  m.def("describe_node", &describe_node, "url"_a, ReleaseGil());
  m.def("write_plate_metadata", &write_plate_metadata, "url"_a, "plate_json"_a, "wells_json"_a,
        "version"_a, "overwrite"_a = false, ReleaseGil());
}

}  // namespace ngff::python
