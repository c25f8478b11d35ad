// bioformats2raw layout (OME-NGFF "bioformats2raw.layout": 3): a root group holding one image
// per series of the converted file, plus an "OME" group with the original OME-XML:
//   root/.zattrs            {"bioformats2raw.layout": 3}        (0.5: under "ome")
//   root/OME/.zattrs        {"series": ["0", "1"]}              (optional; 0.5: under "ome")
//   root/OME/METADATA.ome.xml                                   (optional)
//   root/0/, root/1/, ...   the series' images
// The series are those the OME group's "series" lists (paths relative to the root), else the
// consecutively numbered groups 0, 1, 2, ... . Series k is the OME-XML's k-th <Image>, whose
// Name attribute names it.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ngff/store/store.hpp"
#include "ngff/util/json.hpp"

namespace ngff::ome {

struct Series {
  std::string path;                 // relative to the root: "0"
  std::optional<std::string> name;  // from OME/METADATA.ome.xml
  std::optional<std::string> id;    // the OME-XML Image ID ("Image:0")
  bool operator==(const Series&) const = default;
};

// Whether the attributes mark a bioformats2raw root (0.4 top level or 0.5 under "ome").
bool is_bioformats2raw(const Json& attributes);

// The series of the bioformats2raw root at `path`. Throws ValidationError naming the OME group's
// JSON path when its "series" is malformed or lists a path with no group.
std::vector<Series> bioformats2raw_series(const Store& store, const std::string& path);

// The groups "0", "1", ... under `path` that exist, stopping at the first missing number.
std::vector<std::string> numbered_series(const Store& store, const std::string& path);

// The (ID, Name) of every <Image> element of an OME-XML document, in document order; a missing
// attribute gives "". A tolerant scan rather than an XML library: only these two attributes of
// one element are needed, and the documents come from one writer family (Bio-Formats), so a
// dependency on a full parser would buy nothing. Namespace prefixes ("ome:Image") are accepted.
std::vector<std::pair<std::string, std::string>> ome_xml_images(std::string_view xml);

}  // namespace ngff::ome
