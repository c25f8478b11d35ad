// HCS plate and well metadata (0.4, 0.5), the hierarchy reader over plates and bioformats2raw
// roots, and write_plate: the spec's examples and JSON-schema suites (NGFF_SPEC_FIXTURES), then
// each MUST the schemas cannot express, with the JSON path its error names.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "fixtures.hpp"
#include "ngff/error.hpp"
#include "ngff/image/multiscale_image.hpp"
#include "ngff/image/samples.hpp"
#include "ngff/image/write_plate.hpp"
#include "ngff/ome/bioformats2raw.hpp"
#include "ngff/ome/hierarchy.hpp"
#include "ngff/ome/plate.hpp"
#include "ngff/ome/well.hpp"
#include "ngff/store/memory_store.hpp"
#include "ngff/zarr/group.hpp"

using namespace ngff;
using namespace ngff::ome;
namespace fs = std::filesystem;

namespace {

Json read_file_json(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return Json::parse(ss.str());
}

// A zarr.json (0.5 examples) holds the attributes; a .zattrs (0.4 examples) is them.
Json attributes_of(const Json& doc) {
  return doc.contains("zarr_format") ? doc["attributes"] : doc;
}

// What to_json gives for parsed 0.4 metadata: the document with "version": "0.4" filled in.
Json with_version(Json attrs, Version version, const char* key) {
  if (version == Version::v0_4 && !attrs[key].contains("version")) attrs[key]["version"] = "0.4";
  return attrs;
}

// The error message of `f`, or "" when it does not throw ValidationError.
template <typename F>
std::string validation_error(F f) {
  try {
    f();
  } catch (const ValidationError& e) {
    return e.what();
  }
  return "";
}

Json plate_json() {
  return Json::parse(R"({"name": "p", "rows": [{"name": "A"}, {"name": "B"}],
    "columns": [{"name": "1"}, {"name": "2"}],
    "wells": [{"path": "A/1", "rowIndex": 0, "columnIndex": 0},
              {"path": "B/2", "rowIndex": 1, "columnIndex": 1}],
    "acquisitions": [{"id": 0}, {"id": 1}], "field_count": 2})");
}

std::string plate_error(const Json& j) {
  return validation_error([&] { Plate::from_json(j, "plate", Version::v0_5); });
}

}  // namespace

TEST(OmePlate, SpecExamplesRoundTrip) {
  NGFF_SKIP_WITHOUT_SPEC_FIXTURES();
  size_t plates = 0, wells = 0;
  for (const char* v : {"0.4", "0.5"}) {
    Version version = parse_version(v, "test");
    for (const char* folder : {"plate_strict", "well_strict", "bf2raw"}) {
      fs::path dir = *test::spec_fixtures() / v / "examples" / folder;
      if (!fs::is_directory(dir)) continue;
      for (const auto& entry : fs::directory_iterator(dir)) {
        if (entry.path().extension() != ".json" || entry.path().filename() == ".config.json")
          continue;
        SCOPED_TRACE(entry.path().string());
        Json attrs = attributes_of(read_file_json(entry.path()));
        if (auto plate = PlateAttributes::from_json(attrs, "attributes")) {
          ++plates;
          EXPECT_EQ(plate->version, version);
          EXPECT_EQ(plate->to_json(), with_version(attrs, version, "plate"));
          // 0.4 <-> 0.5 keeps the plate.
          Json other = plate->to_json(version == Version::v0_4 ? Version::v0_5 : Version::v0_4);
          auto back = PlateAttributes::from_json(other, "converted");
          ASSERT_TRUE(back);
          EXPECT_EQ(back->plate.wells, plate->plate.wells);
          EXPECT_EQ(back->plate.acquisitions, plate->plate.acquisitions);
        }
        if (auto well = WellAttributes::from_json(attrs, "attributes")) {
          ++wells;
          EXPECT_EQ(well->to_json(), with_version(attrs, version, "well"));
        }
      }
    }
  }
  EXPECT_GE(plates, 4u);
  EXPECT_GE(wells, 4u);
}

TEST(OmePlate, SpecSuites) {
  NGFF_SKIP_WITHOUT_SPEC_FIXTURES();
  // Valid for the 0.4 schema, but each well's path names the column before the row (rows
  // [{"name": "1"}], columns [{"name": "A"}], path "A/1"): the spec's MUST ("a name in the rows
  // list, a file separator, and a name from the columns list, in that order", the indices
  // referring to the same row/column) rejects them. The 0.5 suite fixed these cases and added
  // well_path_has_column_before_row as invalid.
  const std::set<std::string> rejected_valid = {
      "0.4/plate_suite/plate/non_alphanumeric_row",
      "0.4/plate_suite/plate/minimal_acquisitions",
      "0.4/plate_suite/plate/minimal_no_acquisitions",
      "0.4/strict_plate_suite/plate/strict_acquisitions",
      "0.4/strict_plate_suite/plate/strict_no_acquisitions",
  };
  for (const char* v : {"0.4", "0.5"}) {
    for (const char* name :
         {"plate_suite", "well_suite", "strict_plate_suite", "strict_well_suite"}) {
      Json doc =
          read_file_json(*test::spec_fixtures() / v / "tests" / (std::string(name) + ".json"));
      bool strict = std::string(name).starts_with("strict");
      for (const Json& t : doc["tests"]) {
        std::string id =
            std::string(v) + "/" + name + "/" + t.value("formerly", t.value("description", "?"));
        SCOPED_TRACE(id);
        std::string message = validation_error([&] {
          if (!PlateAttributes::from_json(t["data"], "attributes") &&
              !WellAttributes::from_json(t["data"], "attributes"))
            throw ValidationError("attributes: neither plate nor well");
        });
        bool valid = t["valid"].get<bool>();
        if (valid && !rejected_valid.contains(id)) {
          EXPECT_EQ(message, "");
        } else if (valid) {
          EXPECT_NE(message, "") << "now accepted: update rejected_valid";
        } else if (!strict) {  // the strict suites' SHOULDs (name, version) are no errors
          EXPECT_NE(message, "") << "invalid case accepted";
          EXPECT_EQ(message.rfind("attributes", 0), 0u) << "no JSON path: " << message;
        }
      }
    }
  }
}

TEST(OmePlate, MustsNameTheJsonPath) {
  EXPECT_EQ(plate_error(plate_json()), "");
  Json j = plate_json();
  j["wells"][1]["rowIndex"] = 2;
  EXPECT_EQ(plate_error(j), "plate.wells[1].rowIndex: 2 is out of range: the plate has 2 rows");
  j = plate_json();
  j["wells"][1]["path"] = "B/1";
  EXPECT_NE(plate_error(j).find("plate.wells[1].path: 'B/1' is not the row/column"),
            std::string::npos);
  j = plate_json();
  j["wells"][1] = j["wells"][0];
  EXPECT_EQ(plate_error(j), "plate.wells[1].path: duplicate well 'A/1'");
  j = plate_json();
  j["rows"][1]["name"] = "A";
  EXPECT_EQ(plate_error(j), "plate.rows[1].name: duplicate name 'A'");
  j = plate_json();
  j["columns"][0]["name"] = "1-a";
  EXPECT_NE(plate_error(j).find("plate.columns[0].name: '1-a' is not alphanumeric"),
            std::string::npos);
  j = plate_json();
  j["acquisitions"][1]["id"] = 0;
  EXPECT_EQ(plate_error(j), "plate.acquisitions[1].id: duplicate acquisition id 0");
  j = plate_json();
  j["field_count"] = 0;
  EXPECT_EQ(plate_error(j), "plate.field_count: expected an integer >= 1, got 0");

  Plate plate = Plate::from_json(plate_json(), "plate", Version::v0_5);
  Well well = Well::from_json(Json::parse(R"({"images": [{"path": "0", "acquisition": 1},
                                                         {"path": "1", "acquisition": 5}]})"),
                              "well", Version::v0_5);
  EXPECT_EQ(validation_error([&] { check_well_in_plate(well, plate, "well"); }),
            "well.images[1].acquisition: acquisition 5 is not among the plate's acquisitions");
  well.images[1].acquisition.reset();
  EXPECT_EQ(validation_error([&] { check_well_in_plate(well, plate, "well"); }),
            "well.images[1]: missing required field 'acquisition' (the plate has 2 "
            "acquisitions)");
  EXPECT_EQ(validation_error([] {
              Well::from_json(Json::parse(R"({"images": [{"path": "0"}, {"path": "0"}]})"), "well",
                              Version::v0_4);
            }),
            "well.images[1].path: duplicate field '0'");
}

TEST(OmePlate, OmeXmlImages) {
  auto images = ome_xml_images(R"(<?xml version="1.0"?><OME><!-- <Image ID="x" Name="no"/> -->
    <Image ID="Image:0" Name="a &amp; b"><Pixels/></Image>
    <ome:Image Name='second' ID="Image:1"/><ImageRef ID="Image:0"/><Image/></OME>)");
  ASSERT_EQ(images.size(), 3u);
  EXPECT_EQ(images[0], (std::pair<std::string, std::string>{"Image:0", "a & b"}));
  EXPECT_EQ(images[1], (std::pair<std::string, std::string>{"Image:1", "second"}));
  EXPECT_EQ(images[2], (std::pair<std::string, std::string>{"", ""}));
}

TEST(OmePlate, WriteThenOpenNode) {
  for (Version version : {Version::v0_4, Version::v0_5}) {
    SCOPED_TRACE(to_string(version));
    auto store = std::make_shared<MemoryStore>();
    image::PlateSample sample = image::make_plate_sample({2, 16, 16});
    image::write_plate(store, "plate", sample.plate, sample.fields,
                       {.version = version, .levels = 1});
    Node node = open_node(store, "plate");
    ASSERT_EQ(node.kind, NodeKind::plate);
    Plate read = node.plate->plate;
    read.version.reset();  // 0.4 writes "version": "0.4" into the plate
    EXPECT_EQ(read, sample.plate);
    ASSERT_EQ(node.wells.size(), 3u);
    EXPECT_EQ(node.field_paths("B/3"), (std::vector<std::string>{"B/3/0", "B/3/1"}));
    EXPECT_EQ(node.wells[0].well.images[1].acquisition, 0);
    EXPECT_EQ(open_node(store, "plate/A/1").kind, NodeKind::well);
    EXPECT_EQ(open_node(store, "plate/A/1/0").kind, NodeKind::image);
    Json d = describe(node);
    EXPECT_EQ(d["wells"][2]["row"], "B");
    EXPECT_EQ(d["metadata"]["name"], "sample plate");

    // Writing checks first: a well off the grid writes nothing.
    image::PlateFields bad = sample.fields;
    bad["C/1"] = bad["A/1"];
    EXPECT_THROW(image::write_plate(store, "bad", sample.plate, bad, {.version = version}),
                 UsageError);
    EXPECT_FALSE(zarr::node_exists(*store, "bad"));
  }
}

TEST(OmePlate, Bioformats2rawSeries) {
  auto store = std::make_shared<MemoryStore>();
  image::Sample first = image::make_sample("plane", {16, 16});
  image::Sample second = image::make_sample("rgb", {3, 8, 8});
  image::write_image(store, "root/0", first.image, {.levels = 1});
  image::write_image(store, "root/1", second.image, {.levels = 1});
  zarr::Group::create(store, "root", 3,
                      {{"ome", {{"version", "0.5"}, {"bioformats2raw.layout", 3}}}},
                      /*overwrite=*/false);
  zarr::Group::create(store, "root/OME", 3, Json::object());
  std::string xml =
      R"(<OME><Image ID="Image:0" Name="one"/><Image ID="Image:1" Name="two"/></OME>)";
  store->set("root/OME/METADATA.ome.xml", as_bytes(xml));
  Node node = open_node(store, "root");
  ASSERT_EQ(node.kind, NodeKind::bioformats2raw);
  ASSERT_EQ(node.series.size(), 2u);  // numbered groups: no "series" attribute
  EXPECT_EQ(node.series[1].name, "two");
  EXPECT_EQ(image::MultiscaleImage::open_series(store, "root", 1).level(0).shape(),
            (zarr::Shape{3, 8, 8}));
  EXPECT_EQ(image::MultiscaleImage::open(store, "root").level(0).shape(), (zarr::Shape{16, 16}));
  EXPECT_THROW(image::MultiscaleImage::open_series(store, "root", 2), UsageError);

  zarr::Group::create(store, "root/OME", 3, {{"ome", {{"version", "0.5"}, {"series", {"1", "7"}}}}},
                      true);
  EXPECT_NE(validation_error([&] {
              open_node(store, "root");
            }).find("attributes.ome.series[1]: series '7' has no group at "),
            std::string::npos);
}

// Before 0.4 a plate's wells had only a path: the indices are those of the row and column names
// it joins, and upgrading writes them.
TEST(OmePlate, PreV04WellsTakeTheirIndicesFromTheirPaths) {
  Json attrs = Json::parse(R"({"plate": {"version": "0.3", "rows": [{"name": "A"}, {"name": "B"}],
    "columns": [{"name": "1"}, {"name": "2"}, {"name": "3"}],
    "wells": [{"path": "B/3"}, {"path": "A/1"}]}})");
  auto plate = PlateAttributes::from_json(attrs, "attributes");
  ASSERT_TRUE(plate);
  EXPECT_EQ(plate->version, Version::v0_3);
  ASSERT_EQ(plate->plate.wells.size(), 2u);
  EXPECT_EQ(plate->plate.wells[0].row_index, 1);
  EXPECT_EQ(plate->plate.wells[0].column_index, 2);
  Json upgraded = plate->to_json(Version::v0_4);
  EXPECT_EQ(upgraded["plate"]["version"], "0.4");
  EXPECT_EQ(upgraded["plate"]["wells"][0]["rowIndex"], 1);
  EXPECT_EQ(upgraded["plate"]["wells"][0]["columnIndex"], 2);

  attrs["plate"]["wells"][0]["path"] = "C/3";
  EXPECT_NE(validation_error([&] {
              PlateAttributes::from_json(attrs, "attributes");
            }).find("attributes.plate.wells[0].path: 'C/3' names row 'C'"),
            std::string::npos);
}
