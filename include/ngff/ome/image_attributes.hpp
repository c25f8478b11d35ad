// The OME-NGFF attributes of an image group (a label image included), typed, for 0.4 and 0.5
// (read and written) and 0.1-0.3 (read, laid out as 0.4; see multiscales.hpp):
//   0.4 (.zattrs):  {"multiscales": [{"version": "0.4", ...}], "omero": {...},
//                    "image-label": {...}, <other keys>}
//   0.5 (zarr.json "attributes"): {"ome": {"version": "0.5", "multiscales": [...],
//                    "omero": {...}, "image-label": {...}, <other ome keys>}, <other keys>}
// Parsing then to_json() gives back the same JSON: unknown keys are kept at every level.
// to_json(Version) converts between the layouts: 0.4 -> 0.5 drops the per-multiscale (and
// image-label) "version" and wraps everything in "ome"; 0.5 -> 0.4 writes "version": "0.4" into
// each multiscale (and image-label) and moves the other "ome" keys to the top level (a top-level
// key of the same name wins). Attributes read from 0.1-0.3 are written as 0.4 or 0.5 (upgraded:
// axes objects, a scale per dataset, "version" 0.4 or "ome.version" 0.5).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ngff/ome/labels.hpp"
#include "ngff/ome/multiscales.hpp"
#include "ngff/ome/omero.hpp"
#include "ngff/ome/version.hpp"
#include "ngff/util/json.hpp"

namespace ngff::ome {

struct ImageAttributes {
  Version version = kLatestVersion;
  std::vector<Multiscale> multiscales;  // at least one
  std::optional<Omero> omero;
  std::optional<ImageLabel> image_label;  // set for label images
  Json extra = Json::object();            // other top-level attribute keys
  Json ome_extra = Json::object();  // 0.5: other keys of "ome" (besides version, multiscales...)

  // Parses an image group's attributes (.zattrs for 0.4, zarr.json "attributes" for 0.5); the
  // version is detected (version.hpp). `where` is the JSON path of the attributes in messages,
  // e.g. "attributes" gives "attributes.multiscales[0].axes[2].type: ...". Throws
  // ValidationError naming the JSON path for anything that breaks a MUST of the spec.
  static ImageAttributes from_json(const Json& attributes, std::string_view where);
  // In this->version's layout (UsageError for 0.1-0.3, which are read only).
  Json to_json() const { return to_json(version); }
  // In `version`'s layout (converted when it differs from this->version); UsageError for
  // 0.1-0.3.
  Json to_json(Version version) const;

  // Checks attributes built in code as from_json would (0.1-0.3 ones as their 0.4 upgrade);
  // throws ValidationError naming `where`.
  void validate(std::string_view where) const;
  // SHOULD-level problems (units outside the spec's lists, what the strict schemas require,
  // non-positive scales, datasets out of order, colours not RRGGBB): "<path>: <message>" each.
  std::vector<std::string> warnings(std::string_view where) const;

  bool operator==(const ImageAttributes&) const = default;
};

// Whether the attributes hold OME-NGFF multiscales (0.4 top-level, or 0.5 under "ome"); does
// not validate them.
bool has_multiscales(const Json& attributes);

}  // namespace ngff::ome
