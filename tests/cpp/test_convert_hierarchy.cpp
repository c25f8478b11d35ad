// Label images written with their metadata, and whole OME-Zarr hierarchies (plates,
// bioformats2raw roots) converted between 0.4 and 0.5.
#include <gtest/gtest.h>

#include <numeric>

#include "ngff/error.hpp"
#include "ngff/image/convert_image.hpp"
#include "ngff/image/write_image.hpp"
#include "ngff/ome/layout.hpp"
#include "ngff/store/memory_store.hpp"
#include "ngff/zarr/group.hpp"

using namespace ngff;
using namespace ngff::image;

namespace {

template <typename T>
SpatialImage ramp(const zarr::Shape& shape, const char* axes, zarr::DataType dtype, size_t modulo) {
  std::vector<T> v(zarr::product(shape));
  for (size_t i = 0; i < v.size(); ++i) v[i] = static_cast<T>(i % modulo);
  Bytes bytes(v.size() * sizeof(T));
  std::memcpy(bytes.data(), v.data(), bytes.size());
  return SpatialImage(owned_buffer_source(std::move(bytes), shape, dtype),
                      SpatialImage::axes_from_letters(axes, "micrometer"));
}

ome::ImageLabel cells_metadata() {
  ome::ImageLabel meta;
  meta.colors = {{.label_value = 1, .rgba = std::array<uint8_t, 4>{255, 0, 0, 255}},
                 {.label_value = 2, .rgba = std::array<uint8_t, 4>{0, 255, 0, 128}}};
  meta.properties = {{.label_value = 1, .extra = {{"class", "nucleus"}}},
                     {.label_value = 2, .extra = {{"class", "cytoplasm"}, {"area", 12}}}};
  return meta;
}

// An image "path" (czyx uint16) with a "cells" label image (zyx uint32).
MultiscaleImage labelled_image(const StorePtr& store, const std::string& path,
                               ome::Version version) {
  WriteImageOptions o;
  o.version = version;
  o.levels = 2;
  MultiscaleImage img = write_image(
      store, path, ramp<uint16_t>({2, 4, 16, 16}, "czyx", zarr::DataType::uint16, 1000), o);
  WriteImageOptions lo{.levels = 2, .method = DownsampleMethod::mode};
  lo.image_label = cells_metadata();
  write_labels(img, "cells", ramp<uint32_t>({4, 16, 16}, "zyx", zarr::DataType::uint32, 3), lo);
  return MultiscaleImage::open(store, path);
}

Json ome_of(const StorePtr& store, const std::string& path) {
  return ome::ome_metadata_of(zarr::Group::open(store, path).attributes());
}

template <typename T>
std::vector<T> voxels(const SpatialImage& level) {
  std::vector<T> out(zarr::product(level.shape()));
  level.read(zarr::Region::whole(level.shape()), out.data());
  return out;
}

// A 0.4 plate "plate" (rows A, B; columns 1, 2) with wells A/1 (two fields) and B/2 (one field);
// field A/1/0 has labels.
void write_plate_v04(const StorePtr& store) {
  zarr::Group::create(store, "plate", 2,
                      {{"plate",
                        {{"version", "0.4"},
                         {"name", "test plate"},
                         {"rows", {{{"name", "A"}}, {{"name", "B"}}}},
                         {"columns", {{{"name", "1"}}, {{"name", "2"}}}},
                         {"wells",
                          {{{"path", "A/1"}, {"rowIndex", 0}, {"columnIndex", 0}},
                           {{"path", "B/2"}, {"rowIndex", 1}, {"columnIndex", 1}}}},
                         {"field_count", 2}}},
                       {"lab", "kept"}});
  for (std::string row : {"A", "B"}) zarr::Group::create(store, "plate/" + row, 2);
  auto well = [&](const std::string& path, int fields) {
    Json images = Json::array();
    for (int f = 0; f < fields; ++f) images.push_back({{"path", std::to_string(f)}});
    zarr::Group::create(store, path, 2, {{"well", {{"version", "0.4"}, {"images", images}}}});
    for (int f = 0; f < fields; ++f) {
      std::string field = path + "/" + std::to_string(f);
      if (field == "plate/A/1/0") {
        labelled_image(store, field, ome::Version::v0_4);
      } else {
        WriteImageOptions o{.version = ome::Version::v0_4, .levels = 2};
        write_image(store, field,
                    ramp<uint16_t>({2, 4, 16, 16}, "czyx", zarr::DataType::uint16,
                                   77u + static_cast<size_t>(f)),
                    o);
      }
    }
  };
  well("plate/A/1", 2);
  well("plate/B/2", 1);
}

}  // namespace

TEST(WriteLabels, ColorsPropertiesAndSourceAreWrittenInBothVersions) {
  for (auto version : {ome::Version::v0_4, ome::Version::v0_5}) {
    auto store = std::make_shared<MemoryStore>();
    MultiscaleImage img = labelled_image(store, "img", version);
    ASSERT_EQ(img.label_names(), std::vector<std::string>{"cells"});
    MultiscaleImage cells = img.label("cells");
    const ome::ImageLabel& meta = *cells.attributes().image_label;
    EXPECT_EQ(meta.colors, cells_metadata().colors);
    EXPECT_EQ(meta.properties, cells_metadata().properties);
    EXPECT_EQ(meta.source_image, "../../");
    EXPECT_EQ(cells.num_levels(), 2u);
    EXPECT_EQ(cells.multiscale().type, "mode");
    Json image_label = ome_of(store, "img/labels/cells")["image-label"];
    if (version == ome::Version::v0_4)
      EXPECT_EQ(image_label["version"], "0.4");
    else
      EXPECT_FALSE(image_label.contains("version"));
    EXPECT_EQ(image_label["colors"][1]["rgba"], Json({0, 255, 0, 128}));
  }
}

TEST(WriteLabels, RefusesNonLabelMethodsAndNonIntegerData) {
  auto store = std::make_shared<MemoryStore>();
  MultiscaleImage img = labelled_image(store, "img", ome::Version::v0_5);
  auto labels = ramp<uint32_t>({4, 16, 16}, "zyx", zarr::DataType::uint32, 3);
  for (auto method : {DownsampleMethod::mean, DownsampleMethod::gaussian, DownsampleMethod::max}) {
    try {
      write_labels(img, "nuclei", labels, {.method = method});
      FAIL() << "accepted " << to_string(method);
    } catch (const UsageError& e) {
      EXPECT_NE(std::string(e.what()).find("mode or nearest"), std::string::npos) << e.what();
    }
  }
  EXPECT_THROW(
      write_labels(img, "nuclei", ramp<float>({4, 16, 16}, "zyx", zarr::DataType::float32, 3)),
      UsageError);
  EXPECT_THROW(
      write_labels(img, "nuclei", ramp<uint32_t>({4, 8, 16}, "zyx", zarr::DataType::uint32, 3)),
      UsageError);
  EXPECT_FALSE(zarr::node_exists(*store, "img/labels/nuclei"));
  EXPECT_EQ(img.label_names(), std::vector<std::string>{"cells"});
  // nearest is a label method; a channel extent of 1 is the spec's "irrelevant" dimension
  write_labels(img, "nuclei", ramp<uint8_t>({1, 4, 16, 16}, "czyx", zarr::DataType::uint8, 5),
               {.method = DownsampleMethod::nearest});
  EXPECT_EQ(img.label_names(), (std::vector<std::string>{"cells", "nuclei"}));
}

TEST(Layout, OmeKeysMoveUnderOmeAndBack) {
  Json v04 = {{"plate", {{"version", "0.4"}, {"wells", Json::array()}}}, {"lab", 1}};
  Json v05 = ome::map_layout(v04, ome::Version::v0_4, ome::Version::v0_5);
  EXPECT_EQ(v05,
            Json({{"ome",
                   {{"version", "0.5"}, {"plate", {{"version", "0.5"}, {"wells", Json::array()}}}}},
                  {"lab", 1}}));
  Json well = {{"well", {{"version", "0.4"}, {"images", Json::array()}}}};
  EXPECT_EQ(ome::map_layout(well, ome::Version::v0_4, ome::Version::v0_5),
            Json({{"ome", {{"version", "0.5"}, {"well", {{"images", Json::array()}}}}}}));
  EXPECT_EQ(ome::map_layout(v05, ome::Version::v0_5, ome::Version::v0_4), v04);
  Json b2r = {{"bioformats2raw.layout", 3}};
  EXPECT_EQ(ome::map_layout(b2r, ome::Version::v0_4, ome::Version::v0_5),
            Json({{"ome", {{"version", "0.5"}, {"bioformats2raw.layout", 3}}}}));
  EXPECT_EQ(ome::map_layout(Json::object(), ome::Version::v0_4, ome::Version::v0_5),
            Json::object());
}

TEST(ConvertOme, PlateRoundTripsThrough05) {
  auto store = std::make_shared<MemoryStore>();
  write_plate_v04(store);
  std::vector<std::pair<uint64_t, uint64_t>> reports;
  ConvertImageOptions o{.version = ome::Version::v0_5};
  o.progress = [&](uint64_t done, uint64_t total) { reports.emplace_back(done, total); };
  ConvertSummary s = convert_ome(store, "plate", store, "v05", o);
  EXPECT_EQ(s.kind, "plate");
  EXPECT_EQ(s.images, 3u);
  EXPECT_EQ(s.labels, 1u);
  ASSERT_FALSE(reports.empty());
  EXPECT_EQ(reports.back().first, reports.back().second) << "progress spans every image";

  Json plate = zarr::Group::open(store, "v05").attributes();
  EXPECT_EQ(plate["ome"]["version"], "0.5");
  EXPECT_EQ(plate["ome"]["plate"]["version"], "0.5");
  EXPECT_EQ(plate["lab"], "kept");
  EXPECT_EQ(zarr::Group::open(store, "v05/A").zarr_format(), 3);
  EXPECT_EQ(ome_of(store, "v05/A/1")["well"]["images"].size(), 2u);
  MultiscaleImage field = MultiscaleImage::open(store, "v05/A/1/0");
  EXPECT_EQ(field.version(), ome::Version::v0_5);
  EXPECT_EQ(field.label("cells").attributes().image_label->colors, cells_metadata().colors);
  MultiscaleImage original = MultiscaleImage::open(store, "plate/B/2/0");
  MultiscaleImage converted = MultiscaleImage::open(store, "v05/B/2/0");
  EXPECT_EQ(voxels<uint16_t>(original.level(1)), voxels<uint16_t>(converted.level(1)));

  o.version = ome::Version::v0_4;
  convert_ome(store, "v05", store, "back", o);
  for (std::string path : {"", "/A", "/A/1", "/B/2"})
    EXPECT_EQ(zarr::Group::open(store, "back" + path).attributes(),
              zarr::Group::open(store, "plate" + path).attributes())
        << path;
  EXPECT_EQ(voxels<uint32_t>(MultiscaleImage::open(store, "back/A/1/0").label("cells").level(1)),
            voxels<uint32_t>(MultiscaleImage::open(store, "plate/A/1/0").label("cells").level(1)));
}

TEST(ConvertOme, Bioformats2rawKeepsTheOmeXmlAndEverySeries) {
  auto store = std::make_shared<MemoryStore>();
  zarr::Group::create(store, "", 3, {{"ome", {{"version", "0.5"}, {"bioformats2raw.layout", 3}}}});
  zarr::Group::create(store, "OME", 3, {{"ome", {{"version", "0.5"}, {"series", {"0", "1"}}}}});
  std::string xml = "<?xml version=\"1.0\"?>\r\n<OME><Image ID=\"Image:0\" Name=\"a\"/></OME>";
  store->set("OME/METADATA.ome.xml", as_bytes(xml));
  for (int i = 0; i < 2; ++i)
    write_image(store, std::to_string(i),
                ramp<uint16_t>({8, 8}, "yx", zarr::DataType::uint16, 50u + static_cast<size_t>(i)),
                {.levels = 1});
  auto dst = std::make_shared<MemoryStore>();
  ConvertSummary s = convert_ome(store, "", dst, "out", {.version = ome::Version::v0_4});
  EXPECT_EQ(s.kind, "bioformats2raw");
  EXPECT_EQ(s.images, 2u);
  EXPECT_EQ(zarr::Group::open(dst, "out").attributes(), Json({{"bioformats2raw.layout", 3}}));
  EXPECT_EQ(zarr::Group::open(dst, "out/OME").attributes(), Json({{"series", {"0", "1"}}}));
  EXPECT_EQ(dst->get("out/OME/METADATA.ome.xml"),
            Bytes(as_bytes(xml).begin(), as_bytes(xml).end()));
  EXPECT_EQ(MultiscaleImage::open(dst, "out/1").version(), ome::Version::v0_4);
}

TEST(ConvertOme, AMissingWellFailsNamingTheJsonPathAndWritesNothing) {
  auto store = std::make_shared<MemoryStore>();
  write_plate_v04(store);
  store->erase_prefix("plate/B/2");
  auto dst = std::make_shared<MemoryStore>();
  try {
    convert_ome(store, "plate", dst, "out", {.version = ome::Version::v0_5});
    FAIL() << "converted a plate with a missing well";
  } catch (const KeyNotFound& e) {
    std::string message = e.what();
    EXPECT_NE(message.find("attributes.plate.wells[1].path"), std::string::npos) << message;
    EXPECT_NE(message.find("'B/2'"), std::string::npos) << message;
  }
  EXPECT_TRUE(dst->list("").empty());
  // A series list pointing nowhere, and a field that is not an image, fail the same way.
  zarr::Group::create(store, "b2r", 2, {{"bioformats2raw.layout", 3}});
  zarr::Group::create(store, "b2r/OME", 2, {{"series", {"0", "7"}}});
  write_image(store, "b2r/0", ramp<uint16_t>({8, 8}, "yx", zarr::DataType::uint16, 9),
              {.version = ome::Version::v0_4, .levels = 1});
  EXPECT_THROW(convert_ome(store, "b2r", dst, "out", {}), KeyNotFound);
  zarr::Group::create(store, "plate/A/1/1", 2);  // field 1: now a plain group
  EXPECT_THROW(convert_ome(store, "plate/A/1", dst, "out", {}), ValidationError);
  EXPECT_TRUE(dst->list("").empty());
}
