// The OME-NGFF spec's own examples and JSON-schema test suites (NGFF_SPEC_FIXTURES: 0.4/ and
// 0.5/, see fixtures.hpp), run through the typed metadata layer: valid documents parse and
// serialize back to the same JSON (and convert 0.4 <-> 0.5 without loss); invalid ones are
// rejected.
#include <gtest/gtest.h>

#include <filesystem>
#include <set>
#include <stdexcept>

#include "fixtures.hpp"
#include "ngff/error.hpp"
#include "ngff/ome/image_attributes.hpp"
#include "ngff/ome/labels.hpp"
#include "ngff/ome/version.hpp"
#include "spec_json.hpp"

using namespace ngff;
using namespace ngff::ome;
namespace fs = std::filesystem;

namespace {

// The spec fixtures; every test that reads them first skips when they are absent.
fs::path spec_dir() {
  return test::spec_fixtures().value_or(fs::path());
}

Json read_json(const fs::path& path) {
  Json j = test::read_spec_json(path);
  if (j.is_discarded()) throw std::runtime_error("not JSON: " + path.string());
  return j;
}

// A zarr.json (0.5 examples) holds the attributes; a .zattrs (0.4 examples) is them.
Json attributes_of(const Json& doc) {
  return doc.contains("zarr_format") ? doc["attributes"] : doc;
}

std::vector<fs::path> example_files(const std::string& version) {
  std::vector<fs::path> files;
  for (const auto& entry : fs::recursive_directory_iterator(spec_dir() / version / "examples"))
    if (entry.is_regular_file() && entry.path().extension() == ".json" &&
        entry.path().filename() != ".config.json")
      files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  return files;
}

// The expected result of 0.4 -> 0.5 -> 0.4: the original, with "version": "0.4" written into the
// multiscales and image-label that had none.
Json with_v04_versions(Json attrs) {
  for (Json& m : attrs["multiscales"])
    if (!m.contains("version")) m["version"] = "0.4";
  if (attrs.contains("image-label") && !attrs["image-label"].contains("version"))
    attrs["image-label"]["version"] = "0.4";
  return attrs;
}

void check_round_trips(const Json& attrs, Version version, const std::string& what) {
  SCOPED_TRACE(what);
  ImageAttributes image = ImageAttributes::from_json(attrs, "attributes");
  EXPECT_EQ(image.version, version);
  EXPECT_EQ(image.to_json(), attrs);
  Version other = version == Version::v0_4 ? Version::v0_5 : Version::v0_4;
  Json converted = image.to_json(other);
  ImageAttributes back = ImageAttributes::from_json(converted, "converted");
  EXPECT_EQ(back.version, other);
  EXPECT_EQ(back.multiscales.size(), image.multiscales.size());
  for (size_t i = 0; i < image.multiscales.size(); ++i) {
    EXPECT_EQ(back.multiscales[i].axes, image.multiscales[i].axes);
    EXPECT_EQ(back.multiscales[i].datasets, image.multiscales[i].datasets);
    EXPECT_EQ(back.multiscales[i].transforms, image.multiscales[i].transforms);
  }
  EXPECT_EQ(back.omero, image.omero);
  if (version == Version::v0_4) {
    EXPECT_EQ(back.to_json(Version::v0_4), with_v04_versions(attrs));
  } else if (image.ome_extra.empty()) {
    EXPECT_EQ(back.to_json(Version::v0_5), attrs);
  }
}

struct SuiteCase {
  std::string name;
  Json data;
  bool valid;
};

std::vector<SuiteCase> suite(const std::string& version, const std::string& name) {
  Json doc = read_json(spec_dir() / version / "tests" / (name + ".json"));
  std::vector<SuiteCase> cases;
  for (const Json& t : doc["tests"])
    cases.push_back(
        {t.value("formerly", t.value("description", "?")), t["data"], t["valid"].get<bool>()});
  return cases;
}

// Valid cases of the suites that we reject, with the reason.
const std::set<std::string> kRejectedValid = {
    // 3 axes but a scale of 2 values: the schema cannot see it, but the 0.4 spec says the scale
    // "MUST" have one value per axis (the 0.5 suite fixed this case to 3 values).
    "0.4/image_suite/valid/mismatch_axes_units.json",
};
// Invalid cases of the suites that we accept, with the reason: none.
const std::set<std::string> kAcceptedInvalid = {};

void run_image_suite(const std::string& version, const std::string& name) {
  auto cases = suite(version, name);
  ASSERT_FALSE(cases.empty());
  Version v = parse_version(version, "test");
  for (const SuiteCase& c : cases) {
    std::string id = version + "/" + name + "/" + c.name;
    SCOPED_TRACE(id);
    bool accepted = true;
    std::string message;
    try {
      ImageAttributes::from_json(c.data, "attributes");
    } catch (const ValidationError& e) {
      accepted = false;
      message = e.what();
      EXPECT_EQ(message.rfind("attributes", 0), 0u) << "no JSON path: " << message;
    }
    if (c.valid && !kRejectedValid.contains(id)) {
      EXPECT_TRUE(accepted) << message;
      if (accepted) check_round_trips(c.data, v, id);
    } else if (c.valid) {
      EXPECT_FALSE(accepted) << "now accepted: update kRejectedValid";
    } else if (!kAcceptedInvalid.contains(id)) {
      EXPECT_FALSE(accepted) << "invalid case accepted";
    }
  }
}

}  // namespace

TEST(OmeFixtures, StripCommentsKeepsUrls) {
  Json j = test::parse_spec_text(R"({"a": "http://x//y", // note
  "b": "q\"//" // more
  })");
  EXPECT_EQ(j["a"], "http://x//y");
  EXPECT_EQ(j["b"], "q\"//");
}

TEST(OmeFixtures, ImageExamplesRoundTrip) {
  NGFF_SKIP_WITHOUT_SPEC_FIXTURES();
  for (std::string version : {"0.4", "0.5"}) {
    size_t images = 0;
    for (const fs::path& file : example_files(version)) {
      SCOPED_TRACE(file.string());
      Json attrs = attributes_of(read_json(file));
      // Every example says which version it is (or holds no 0.4 key at all).
      std::optional<Version> detected = detect_version(attrs, "attributes");
      if (detected) {
        EXPECT_EQ(to_string(*detected), version);
      }
      if (!has_multiscales(attrs)) continue;
      ++images;
      check_round_trips(attrs, parse_version(version, "test"), file.string());
      ImageAttributes image = ImageAttributes::from_json(attrs, "attributes");
      // Strict examples: nothing to warn about.
      EXPECT_EQ(image.warnings("attributes"), std::vector<std::string>{});
    }
    EXPECT_EQ(images, 2u) << version;
  }
}

TEST(OmeFixtures, LabelExamplesRoundTrip) {
  NGFF_SKIP_WITHOUT_SPEC_FIXTURES();
  for (std::string version : {"0.4", "0.5"}) {
    Version v = parse_version(version, "test");
    Json attrs = attributes_of(
        read_json(spec_dir() / version / "examples/label_strict/colors_properties.json"));
    const Json& holder = v == Version::v0_4 ? attrs : attrs["ome"];
    ImageLabel label = ImageLabel::from_json(holder["image-label"], "image-label", v);
    EXPECT_EQ(label.to_json(v), holder["image-label"]);
    EXPECT_EQ(label.colors.size(), 2u);
    EXPECT_EQ(label.properties.size(), 2u);
    EXPECT_EQ(label.source_image, "../../");
    EXPECT_EQ(label.properties[0].extra["area (pixels)"], 1200);
    std::vector<std::string> warnings;
    label.warnings("image-label", v, warnings);
    EXPECT_TRUE(warnings.empty());

    // The same, as a label image (multiscales + image-label), through a 0.4 <-> 0.5 conversion.
    Json image = attributes_of(
        read_json(spec_dir() / version / "examples/multiscales_strict/multiscales_example.json"));
    Json& image_holder = v == Version::v0_4 ? image : image["ome"];
    image_holder["image-label"] = holder["image-label"];
    check_round_trips(image, v, "label image " + version);
    EXPECT_TRUE(ImageAttributes::from_json(image, "attributes").image_label.has_value());
  }
}

TEST(OmeFixtures, ImageSuite04) {
  NGFF_SKIP_WITHOUT_SPEC_FIXTURES();
  run_image_suite("0.4", "image_suite");
}
TEST(OmeFixtures, StrictImageSuite04) {
  NGFF_SKIP_WITHOUT_SPEC_FIXTURES();
  run_image_suite("0.4", "strict_image_suite");
}
TEST(OmeFixtures, ImageSuite05) {
  NGFF_SKIP_WITHOUT_SPEC_FIXTURES();
  run_image_suite("0.5", "image_suite");
}
TEST(OmeFixtures, StrictImageSuite05) {
  NGFF_SKIP_WITHOUT_SPEC_FIXTURES();
  run_image_suite("0.5", "strict_image_suite");
}

TEST(OmeFixtures, StrictValidCasesHaveNoWarnings) {
  NGFF_SKIP_WITHOUT_SPEC_FIXTURES();
  for (std::string version : {"0.4", "0.5"}) {
    for (const SuiteCase& c : suite(version, "strict_image_suite")) {
      SCOPED_TRACE(version + " " + c.name);
      ASSERT_TRUE(c.valid);
      EXPECT_EQ(ImageAttributes::from_json(c.data, "attributes").warnings("attributes"),
                std::vector<std::string>{});
    }
  }
}

TEST(OmeFixtures, LabelSuites) {
  NGFF_SKIP_WITHOUT_SPEC_FIXTURES();
  for (std::string version : {"0.4", "0.5"}) {
    Version v = parse_version(version, "test");
    for (std::string name : {"label_suite", "strict_label_suite"}) {
      for (const SuiteCase& c : suite(version, name)) {
        SCOPED_TRACE(version + "/" + name + "/" + c.name);
        const Json& holder = v == Version::v0_4 ? c.data : c.data["ome"];
        EXPECT_EQ(detect_version(c.data, "attributes"), v);
        bool accepted = true;
        std::vector<std::string> warnings;
        try {
          ImageLabel label = ImageLabel::from_json(holder["image-label"], "image-label", v);
          EXPECT_EQ(label.to_json(v), holder["image-label"]);
          label.warnings("image-label", v, warnings);
        } catch (const ValidationError& e) {
          accepted = false;
          EXPECT_EQ(std::string(e.what()).rfind("image-label", 0), 0u) << e.what();
        }
        if (name == "strict_label_suite") {
          // What the strict schema adds (colors, 0.4 version) are SHOULDs: warnings, not errors.
          EXPECT_TRUE(accepted);
          EXPECT_EQ(warnings.empty(), c.valid);
        } else {
          EXPECT_EQ(accepted, c.valid);
        }
      }
    }
  }
}
