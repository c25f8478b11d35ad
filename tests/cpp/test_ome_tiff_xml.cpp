// The OME-XML of OME-TIFFs: sizes, units, channels and the plane -> page map of TiffData.
#include <gtest/gtest.h>

#include "image/ome_tiff_xml.hpp"
#include "ngff/error.hpp"

using namespace ngff;
using namespace ngff::image;

namespace {

std::string ome(const std::string& images) {
  return R"(<?xml version="1.0" encoding="UTF-8"?><OME xmlns="http://www.openmicroscopy.org/Schemas/OME/2016-06">)" +
         images + "</OME>";
}

TEST(OmeTiffXml, SizesUnitsChannelsAndDefaultPlaneOrder) {
  auto images = parse_ome_tiff_xml(
      ome(R"(<Image ID="Image:0" Name="cells"><Pixels DimensionOrder="XYCZT" Type="uint16"
           SizeX="40" SizeY="30" SizeZ="2" SizeC="3" SizeT="1" PhysicalSizeX="0.5"
           PhysicalSizeY="0.5" PhysicalSizeZ="2" PhysicalSizeZUnit="nm">
           <Channel Name="DAPI" Color="-16776961"/><Channel Name="GFP"/><Channel/></Pixels></Image>)"),
      6, "f.ome.tif");
  ASSERT_EQ(images.size(), 1u);
  const OmeTiffImage& im = images[0];
  EXPECT_EQ(im.name, "cells");
  EXPECT_EQ(im.unit_x, "micrometer");
  EXPECT_EQ(im.unit_z, "nanometer");
  EXPECT_EQ(*im.physical_z, 2.0);
  ASSERT_EQ(im.channels.size(), 3u);
  EXPECT_EQ(im.channels[0].color, "FF0000");  // -16776961 = 0xFF0000FF (RGBA)
  // XYCZT: c fastest, then z. plane_page is indexed (t * channels + c) * size_z + z.
  std::vector<int64_t> expected(6);
  for (size_t c = 0; c < 3; ++c)
    for (size_t z = 0; z < 2; ++z) expected[c * 2 + z] = static_cast<int64_t>(z * 3 + c);
  EXPECT_EQ(im.plane_page, expected);
}

TEST(OmeTiffXml, TiffDataMapsPlanesAndSeriesFollowEachOther) {
  auto images = parse_ome_tiff_xml(
      ome(R"(<Image Name="a"><Pixels DimensionOrder="XYZCT" SizeX="4" SizeY="4" SizeZ="2">
             <TiffData IFD="3" PlaneCount="2"/></Pixels></Image>
             <Image Name="b"><Pixels DimensionOrder="XYZCT" SizeX="4" SizeY="4" SizeZ="3">
             <TiffData IFD="0" FirstZ="1" PlaneCount="1"/></Pixels></Image>)"),
      5, "f");
  EXPECT_EQ(images[0].plane_page, (std::vector<int64_t>{3, 4}));
  EXPECT_EQ(images[1].plane_page, (std::vector<int64_t>{-1, 0, -1}));  // z 0 and 2 not stored
}

TEST(OmeTiffXml, RgbSamplesAndErrorsNameTheFile) {
  auto rgb =
      parse_ome_tiff_xml(ome(R"(<Image><Pixels DimensionOrder="XYCZT" SizeX="4" SizeY="4" SizeC="3">
             <Channel SamplesPerPixel="3"/></Pixels></Image>)"),
                         1, "f");
  EXPECT_EQ(rgb[0].samples_per_pixel(), 3u);
  EXPECT_EQ(rgb[0].channel_elements(), 1u);
  EXPECT_EQ(rgb[0].plane_page, (std::vector<int64_t>{0}));
  auto fails = [](const std::string& xml, uint32_t pages, const std::string& message) {
    try {
      parse_ome_tiff_xml(xml, pages, "bad.ome.tif");
      ADD_FAILURE() << "accepted: " << message;
    } catch (const MetadataError& e) {
      EXPECT_NE(std::string(e.what()).find("bad.ome.tif"), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find(message), std::string::npos) << e.what();
    }
  };
  fails("<OME><Image>", 1, "does not parse");
  fails(ome(""), 1, "lists no Image");
  fails(ome(R"(<Image><Pixels SizeX="4" SizeY="4" SizeZ="3"/></Image>)"), 2, "to page 2");
  fails(ome(R"(<Image><Pixels SizeX="4" SizeY="0"/></Image>)"), 1, "SizeY is not a positive");
  fails(ome(R"(<Image><Pixels DimensionOrder="ZCTXY" SizeX="4" SizeY="4"/></Image>)"), 1,
        "is not XY + ZCT");
  EXPECT_TRUE(is_ome_xml("  <?xml version=\"1.0\"?><OME>"));
  EXPECT_FALSE(is_ome_xml("ImageJ=1.11a"));
}

}  // namespace
