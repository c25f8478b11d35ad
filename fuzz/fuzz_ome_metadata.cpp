// Fuzzes the OME-NGFF metadata parsers: the input is a group's attributes (JSON); the version is
// detected, image attributes (multiscales, axes, transformations, omero, image-label) parsed,
// validated, checked for SHOULD-level warnings and written back in every writable version; HCS
// plate and well attributes parsed and written back; a labels list read. ValidationError naming a
// JSON path is the expected answer to bad metadata.
#include "fuzz_common.hpp"
#include "ngff/ome/image_attributes.hpp"
#include "ngff/ome/labels.hpp"
#include "ngff/ome/plate.hpp"
#include "ngff/ome/version.hpp"
#include "ngff/ome/well.hpp"

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
  // What parses is written back in each writable layout, and that must parse again: a model
  // that accepts what it cannot write would lose metadata in a conversion.
  std::optional<ome::ImageAttributes> image;
  fuzz::expect_clean_failure([&] {
    image = ome::ImageAttributes::from_json(attributes, "attributes");
    image->validate("attributes");
    (void)image->warnings("attributes");
  });
  // In its own version the model must write back; into another one it may refuse with a
  // ValidationError (0.6 transformations that 0.4/0.5 cannot express, e.g. to a labels path),
  // but never crash or write what does not parse.
  if (image && ome::is_writable(image->version)) {
    (void)ome::ImageAttributes::from_json(image->to_json(image->version), "written");
    for (auto version : {ome::Version::v0_4, ome::Version::v0_5, ome::Version::v0_6})
      if (version != image->version)
        fuzz::expect_clean_failure(
            [&] { (void)ome::ImageAttributes::from_json(image->to_json(version), "written"); });
  }
  std::optional<ome::PlateAttributes> plate;
  fuzz::expect_clean_failure([&] { plate = ome::PlateAttributes::from_json(attributes, "a"); });
  if (plate && ome::is_writable(plate->version))
    (void)ome::PlateAttributes::from_json(plate->to_json(), "written");
  std::optional<ome::WellAttributes> well;
  fuzz::expect_clean_failure([&] { well = ome::WellAttributes::from_json(attributes, "a"); });
  if (well && ome::is_writable(well->version))
    (void)ome::WellAttributes::from_json(well->to_json(), "written");
  fuzz::expect_clean_failure([&] { (void)ome::label_names(attributes, "attributes"); });
  return 0;
}
