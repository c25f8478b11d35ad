#include "image/ome_tiff_xml.hpp"

#include <pugixml.hpp>

#include <array>
#include <cstdio>
#include <string_view>
#include <utility>

#include "ngff/error.hpp"

namespace ngff::image {
namespace {

std::optional<double> number_attribute(const pugi::xml_node& node, const char* name) {
  pugi::xml_attribute a = node.attribute(name);
  if (!a) return std::nullopt;
  return a.as_double();
}

uint64_t size_attribute(const pugi::xml_node& pixels, const char* name, uint64_t fallback,
                        const std::string& where) {
  pugi::xml_attribute a = pixels.attribute(name);
  if (!a) return fallback;
  long long v = a.as_llong(-1);
  if (v < 1) throw MetadataError(where + ": OME-XML Pixels " + name + " is not a positive integer");
  return static_cast<uint64_t>(v);
}

// The OME colour: a signed 32-bit RGBA integer.
std::string rgb_hex(long long rgba) {
  auto v = static_cast<uint32_t>(rgba);
  char text[8];
  std::snprintf(text, sizeof text, "%02X%02X%02X", (v >> 24) & 0xFFu, (v >> 16) & 0xFFu,
                (v >> 8) & 0xFFu);
  return text;
}

// Fills image.plane_page from the Pixels' TiffData elements (or, without any, plane i -> page
// `first_page` + i in dimension order).
void map_planes(OmeTiffImage& image, const pugi::xml_node& pixels, uint32_t page_count,
                uint32_t first_page, const std::string& where) {
  const uint64_t channels = image.channel_elements();
  const uint64_t planes = image.size_z * channels * image.size_time;
  image.plane_page.assign(planes, -1);
  // Plane index in the dimension order (the letters after XY, fastest first) -> (z, c, t).
  auto plane_of = [&](uint64_t z, uint64_t c, uint64_t t) {
    return (t * channels + c) * image.size_z + z;
  };
  auto order_index = [&](uint64_t n) {  // the n-th plane of the dimension order
    std::array<uint64_t, 3> zct{0, 0, 0};
    for (char letter : image.dimension_order.substr(2)) {
      size_t k = letter == 'Z' ? 0 : letter == 'C' ? 1 : 2;
      uint64_t size = k == 0 ? image.size_z : k == 1 ? channels : image.size_time;
      zct[k] = n % size;
      n /= size;
    }
    return plane_of(zct[0], zct[1], zct[2]);
  };
  auto order_position = [&](uint64_t z, uint64_t c, uint64_t t) {
    uint64_t n = 0, stride = 1;
    for (char letter : image.dimension_order.substr(2)) {
      uint64_t v = letter == 'Z' ? z : letter == 'C' ? c : t;
      uint64_t size = letter == 'Z' ? image.size_z : letter == 'C' ? channels : image.size_time;
      n += v * stride;
      stride *= size;
    }
    return n;
  };
  std::vector<pugi::xml_node> data;
  for (pugi::xml_node d : pixels.children("TiffData")) data.push_back(d);
  if (data.empty()) {
    for (uint64_t n = 0; n < planes; ++n)
      image.plane_page[order_index(n)] = first_page + static_cast<int64_t>(n);
  }
  for (const pugi::xml_node& d : data) {
    uint64_t ifd = d.attribute("IFD").as_ullong(0);
    uint64_t start =
        order_position(d.attribute("FirstZ").as_ullong(0), d.attribute("FirstC").as_ullong(0),
                       d.attribute("FirstT").as_ullong(0));
    // Without PlaneCount a lone TiffData covers every plane; one of several covers one.
    uint64_t count = d.attribute("PlaneCount")
                         ? d.attribute("PlaneCount").as_ullong(0)
                         : (data.size() == 1 ? planes - std::min(start, planes) : 1);
    for (uint64_t i = 0; i < count && start + i < planes; ++i)
      image.plane_page[order_index(start + i)] = static_cast<int64_t>(ifd + i);
  }
  for (int64_t page : image.plane_page)
    if (page >= static_cast<int64_t>(page_count))
      throw MetadataError(where + ": OME-XML maps a plane of image '" + image.name + "' to page " +
                          std::to_string(page) + ", the file has " + std::to_string(page_count));
}

}  // namespace

bool is_ome_xml(const std::string& description) {
  std::string_view d(description);
  size_t start = d.find_first_not_of(" \t\r\n");
  return start != std::string_view::npos && d.substr(start, 1) == "<" &&
         d.find("<OME") != std::string_view::npos;
}

std::string ome_unit_name(const std::string& symbol) {
  static const std::pair<std::string_view, std::string_view> kUnits[] = {
      {"\xC2\xB5m", "micrometer"},
      {"\xCE\xBCm", "micrometer"},
      {"um", "micrometer"},
      {"nm", "nanometer"},
      {"mm", "millimeter"},
      {"cm", "centimeter"},
      {"m", "meter"},
      {"pm", "picometer"},
      {"\xC3\x85", "angstrom"},
      {"km", "kilometer"},
      {"s", "second"},
      {"ms", "millisecond"},
      {"\xC2\xB5s", "microsecond"},
      {"\xCE\xBCs", "microsecond"},
      {"us", "microsecond"},
      {"ns", "nanosecond"},
      {"min", "minute"},
      {"h", "hour"},
      {"d", "day"}};
  for (const auto& [sym, name] : kUnits)
    if (symbol == sym) return std::string(name);
  return symbol;
}

std::vector<OmeTiffImage> parse_ome_tiff_xml(const std::string& xml, uint32_t page_count,
                                             const std::string& where) {
  pugi::xml_document doc;
  pugi::xml_parse_result parsed = doc.load_buffer(xml.data(), xml.size());
  if (!parsed)
    throw MetadataError(where + ": the OME-XML does not parse (" + parsed.description() +
                        " at offset " + std::to_string(parsed.offset) + ")");
  pugi::xml_node ome = doc.child("OME");
  if (!ome) throw MetadataError(where + ": the OME-XML has no OME root element");
  std::vector<OmeTiffImage> images;
  uint32_t next_page = 0;  // without TiffData, images follow each other's planes
  for (pugi::xml_node node : ome.children("Image")) {
    pugi::xml_node pixels = node.child("Pixels");
    std::string at = where + ": OME Image " + std::to_string(images.size());
    if (!pixels) throw MetadataError(at + " has no Pixels");
    OmeTiffImage image;
    image.name = node.attribute("Name").as_string();
    image.dimension_order = pixels.attribute("DimensionOrder").as_string("XYZCT");
    if (image.dimension_order.size() != 5 || image.dimension_order.substr(0, 2) != "XY")
      throw MetadataError(at + ": DimensionOrder '" + image.dimension_order + "' is not XY + ZCT");
    image.size_x = size_attribute(pixels, "SizeX", 0, at);
    image.size_y = size_attribute(pixels, "SizeY", 0, at);
    if (image.size_x == 0 || image.size_y == 0) throw MetadataError(at + ": SizeX/SizeY missing");
    image.size_z = size_attribute(pixels, "SizeZ", 1, at);
    image.size_c = size_attribute(pixels, "SizeC", 1, at);
    image.size_time = size_attribute(pixels, "SizeT", 1, at);
    image.type = pixels.attribute("Type").as_string();
    image.physical_x = number_attribute(pixels, "PhysicalSizeX");
    image.physical_y = number_attribute(pixels, "PhysicalSizeY");
    image.physical_z = number_attribute(pixels, "PhysicalSizeZ");
    image.time_increment = number_attribute(pixels, "TimeIncrement");
    if (auto u = pixels.attribute("PhysicalSizeXUnit")) image.unit_x = ome_unit_name(u.as_string());
    if (auto u = pixels.attribute("PhysicalSizeYUnit")) image.unit_y = ome_unit_name(u.as_string());
    if (auto u = pixels.attribute("PhysicalSizeZUnit")) image.unit_z = ome_unit_name(u.as_string());
    if (auto u = pixels.attribute("TimeIncrementUnit"))
      image.time_unit = ome_unit_name(u.as_string());
    for (pugi::xml_node c : pixels.children("Channel")) {
      OmeTiffChannel channel;
      channel.name = c.attribute("Name").as_string();
      if (auto color = c.attribute("Color")) channel.color = rgb_hex(color.as_llong());
      channel.samples_per_pixel = std::max(1u, c.attribute("SamplesPerPixel").as_uint(1));
      image.channels.push_back(std::move(channel));
    }
    uint32_t spp = image.samples_per_pixel();
    if (image.size_c % spp != 0)
      throw MetadataError(at + ": SizeC " + std::to_string(image.size_c) +
                          " is not a multiple of SamplesPerPixel " + std::to_string(spp));
    map_planes(image, pixels, page_count, next_page, at);
    next_page += static_cast<uint32_t>(image.plane_page.size());
    images.push_back(std::move(image));
  }
  if (images.empty()) throw MetadataError(where + ": the OME-XML lists no Image");
  return images;
}

}  // namespace ngff::image
