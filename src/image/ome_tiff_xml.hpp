// The OME-XML of an OME-TIFF (the first page's ImageDescription), read with pugixml: per OME
// Image its dimension order and sizes, physical sizes with units (as OME-NGFF unit names),
// channels, and which TIFF page holds each plane (TiffData).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ngff::image {

struct OmeTiffChannel {
  std::string name;                  // "" when absent
  std::optional<std::string> color;  // "RRGGBB" from the signed RGBA integer
  uint32_t samples_per_pixel = 1;
};

struct OmeTiffImage {
  std::string name;
  std::string dimension_order = "XYZCT";
  uint64_t size_x = 0, size_y = 0, size_z = 1, size_c = 1, size_time = 1;
  std::string type;  // OME pixel type: uint8, int16, float, double, ...
  std::optional<double> physical_x, physical_y, physical_z, time_increment;
  std::string unit_x = "micrometer", unit_y = "micrometer", unit_z = "micrometer";
  std::string time_unit = "second";
  std::vector<OmeTiffChannel> channels;  // one per channel element (SizeC / samples of each)
  // The page of plane (t, channel element, z), at index (t * channels + c) * size_z + z; -1 when
  // no TiffData names one.
  std::vector<int64_t> plane_page;

  uint32_t samples_per_pixel() const {
    return channels.empty() ? 1 : channels[0].samples_per_pixel;
  }
  uint64_t channel_elements() const { return size_c / samples_per_pixel(); }
};

// Whether `description` is OME-XML.
bool is_ome_xml(const std::string& description);

// Parses the OME-XML `xml` of a file with `page_count` pages. Throws MetadataError naming
// `where` for malformed XML, missing sizes, or planes mapped to pages that do not exist.
std::vector<OmeTiffImage> parse_ome_tiff_xml(const std::string& xml, uint32_t page_count,
                                             const std::string& where);

// The OME-NGFF (UDUNITS-2) name of an OME unit symbol ("µm" -> "micrometer"); `symbol` itself
// when it has none.
std::string ome_unit_name(const std::string& symbol);

}  // namespace ngff::image
