// The metadata half of ome::validate for one node: its kind and version as the document spells
// them, the JSON schemas, the checks of the raw document that the schemas miss, and the typed
// parse (whose model the tree walk then relies on). Internal.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ngff/ome/image_attributes.hpp"
#include "ngff/ome/plate.hpp"
#include "ngff/ome/well.hpp"
#include "validate_context.hpp"

namespace ngff::ome::detail {

struct NodeMetadata {
  // image, label_image, labels, plate, well, bioformats2raw, ome (bioformats2raw's OME group),
  // scene, attributes ("ome" with no known member), group (no OME-NGFF metadata).
  std::string kind = "group";
  std::string version_text;  // "0.5", "0.6rc0"; "" when the document has none
  bool ome_layout = false;   // the members are under "ome" (0.5 and later)
  std::optional<Version> version;
  std::optional<ImageAttributes> image;
  std::optional<PlateAttributes> plate;
  std::optional<WellAttributes> well;
  std::vector<std::string> label_names;  // a labels group's list
  bool parsed = false;  // no error so far: the typed model above is there for the tree walk

  // The JSON path of the member `key` ("attributes.ome.plate" or "attributes.plate").
  std::string member_path(std::string_view key) const;
};

// Checks the attributes `original` of the node at `url` (a group's, or a bare document's when
// `zarr_format` is nullopt) and reports what is wrong to `ctx`.
NodeMetadata check_metadata(const Json& original, const std::string& url,
                            std::optional<int> zarr_format, ValidateContext& ctx);

}  // namespace ngff::ome::detail
