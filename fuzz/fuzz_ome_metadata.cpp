// Fuzzes the OME-NGFF metadata parsers: the input is a group's attributes (JSON); the version is
// detected, image attributes (multiscales, axes, transformations, omero, image-label) parsed,
// validated, checked for SHOULD-level warnings and written back in both layouts, and a labels
// list read. ValidationError naming a JSON path is the expected answer to bad metadata.
#include "fuzz_common.hpp"
#include "ngff/ome/image_attributes.hpp"
#include "ngff/ome/labels.hpp"
#include "ngff/ome/version.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace ngff;
  if (size > fuzz::kMaxInput) return 0;
  Json attributes;
  try {
    attributes = Json::parse(fuzz::as_text(data, size));
  } catch (const Json::exception&) {
    return 0;
  }
  fuzz::expect_clean_failure([&] { (void)ome::detect_version(attributes, "attributes"); });
  fuzz::expect_clean_failure([&] {
    auto image = ome::ImageAttributes::from_json(attributes, "attributes");
    image.validate("attributes");
    (void)image.warnings("attributes");
    for (auto version : {ome::Version::v0_4, ome::Version::v0_5}) {
      // What is written must parse back to the same model.
      auto again = ome::ImageAttributes::from_json(image.to_json(version), "again");
      (void)again;
    }
  });
  fuzz::expect_clean_failure([&] { (void)ome::label_names(attributes, "attributes"); });
  return 0;
}
