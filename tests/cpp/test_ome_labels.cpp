// OME-NGFF versions, labels groups, image-label and omero metadata.
#include <gtest/gtest.h>

#include "ngff/error.hpp"
#include "ngff/ome/labels.hpp"
#include "ngff/ome/omero.hpp"
#include "ngff/ome/version.hpp"

using namespace ngff;
using namespace ngff::ome;

namespace {

template <typename F>
std::string error_of(F&& f) {
  try {
    f();
  } catch (const ValidationError& e) {
    return e.what();
  }
  return "accepted";
}

}  // namespace

TEST(OmeVersion, ParseAndPrint) {
  EXPECT_EQ(parse_version("0.4", "v"), Version::v0_4);
  EXPECT_EQ(parse_version("0.5", "v"), Version::v0_5);
  EXPECT_EQ(to_string(Version::v0_4), "0.4");
  EXPECT_EQ(to_string(Version::v0_5), "0.5");
  EXPECT_EQ(zarr_format(Version::v0_4), 2);
  EXPECT_EQ(zarr_format(Version::v0_5), 3);
  EXPECT_EQ(error_of([] { parse_version("0.7", "x.version"); }),
            "x.version: unsupported OME-NGFF version '0.7' (supported: 0.1, 0.2, 0.3, 0.4, 0.5, "
            "0.6)");
  EXPECT_THROW(parse_version("0.45", "v"), ValidationError);
  EXPECT_THROW(parse_version("", "v"), ValidationError);
}

TEST(OmeVersion, Detect) {
  EXPECT_EQ(detect_version(Json::object(), "a"), std::nullopt);
  EXPECT_EQ(detect_version({{"foo", 1}}, "a"), std::nullopt);
  EXPECT_EQ(detect_version({{"ome", {{"version", "0.5"}}}}, "a"), Version::v0_5);
  EXPECT_EQ(detect_version({{"multiscales", {{{"version", "0.4"}}}}}, "a"), Version::v0_4);
  // No version: the axes tell (objects 0.4, names 0.3, none 0.1); legacy_versions tests more.
  EXPECT_EQ(detect_version({{"multiscales", {{{"axes", {{{"name", "x"}}}}}}}}, "a"), Version::v0_4);
  EXPECT_EQ(detect_version({{"multiscales", {Json::object()}}}, "a"), Version::v0_1);
  EXPECT_EQ(detect_version({{"labels", {"cells"}}}, "a"), Version::v0_4);
  EXPECT_EQ(detect_version({{"plate", {{"version", "0.4"}}}}, "a"), Version::v0_4);
  EXPECT_EQ(detect_version({{"bioformats2raw.layout", 3}}, "a"), Version::v0_4);
  EXPECT_EQ(error_of([] {
              detect_version({{"ome", {{"version", "0.4"}}}}, "a");
            }),
            "a.ome.version: version '0.4' inside 'ome' (OME-NGFF 0.4 has no 'ome' key)");
  EXPECT_EQ(error_of([] {
              detect_version({{"ome", {{"version", 5}}}}, "a");
            }),
            "a.ome.version: expected a string, got 5");
  EXPECT_EQ(error_of([] {
              detect_version({{"well", {{"version", "0.7"}}}}, "a");
            }),
            "a.well.version: unsupported OME-NGFF version '0.7' (supported: 0.1, 0.2, 0.3, 0.4, "
            "0.5, 0.6)");
  EXPECT_EQ(error_of([] {
              detect_version({{"multiscales", {{{"version", "0.5"}}}}}, "a");
            }),
            "a.multiscales[0].version: version '0.5' outside an 'ome' attribute (OME-NGFF 0.5 "
            "metadata lives under 'ome')");
}

TEST(OmeLabels, LabelsGroup) {
  std::vector<std::string> names = {"cells", "nuclei"};
  Json v04 = labels_group_attributes(names, Version::v0_4);
  Json v05 = labels_group_attributes(names, Version::v0_5);
  EXPECT_EQ(v04, Json({{"labels", names}}));
  EXPECT_EQ(v05, Json({{"ome", {{"version", "0.5"}, {"labels", names}}}}));
  EXPECT_EQ(label_names(v04, "attributes"), names);
  EXPECT_EQ(label_names(v05, "attributes"), names);
  EXPECT_EQ(error_of([] { label_names(Json::object(), "attributes"); }),
            "attributes: missing required field 'labels'");
  EXPECT_EQ(error_of([] {
              label_names({{"ome", {{"version", "0.5"}}}}, "attributes");
            }),
            "attributes.ome: missing required field 'labels'");
  EXPECT_EQ(error_of([] {
              label_names({{"labels", {"a", 1}}}, "attributes");
            }),
            "attributes.labels[1]: expected a string, got 1");
}

TEST(OmeLabels, ImageLabelRules) {
  auto parse = [](const Json& j) { ImageLabel::from_json(j, "image-label", Version::v0_4); };
  EXPECT_EQ(error_of([&] {
              parse({{"colors", Json::array()}});
            }),
            "image-label.colors: expected at least one entry, got none");
  EXPECT_EQ(error_of([&] {
              parse({{"colors", {{{"rgba", {0, 0, 0, 0}}}}}});
            }),
            "image-label.colors[0]: missing required field 'label-value'");
  EXPECT_EQ(error_of([&] {
              parse({{"colors", {{{"label-value", 1}, {"rgba", {0, 0, 0}}}}}});
            }),
            "image-label.colors[0].rgba: expected 4 integers (RGBA), got 3 values");
  EXPECT_EQ(error_of([&] {
              parse({{"colors", {{{"label-value", 1}, {"rgba", {0, 0, 0, 500}}}}}});
            }),
            "image-label.colors[0].rgba[3]: expected an integer in 0..255, got 500");
  EXPECT_EQ(error_of([&] {
              parse({{"colors", {{{"label-value", 1}}, {{"label-value", 1}}}}});
            }),
            "image-label.colors[1].label-value: duplicate label-value 1");
  EXPECT_EQ(error_of([&] {
              parse({{"properties", {{{"label-value", 1.5}}}}});
            }),
            "image-label.properties[0].label-value: expected an integer, got 1.5");
  EXPECT_EQ(error_of([&] {
              parse({{"version", "0.5"}});
            }),
            "image-label.version: version '0.5' in image-label (OME-NGFF 0.5 metadata lives under "
            "'ome')");
  // An empty "source" object survives.
  Json with_source = {{"source", Json::object()}};
  EXPECT_EQ(ImageLabel::from_json(with_source, "l", Version::v0_5).to_json(Version::v0_5),
            with_source);
}

TEST(OmeOmero, ParseAndRules) {
  Json doc = Json::parse(R"({"id": 1, "name": "n", "version": "0.4",
    "channels": [{"label": "FITC", "color": "00FF00", "active": true, "coefficient": 1.0,
                  "family": "linear", "inverted": false,
                  "window": {"start": 82.0, "end": 813.0, "min": 102.0, "max": 870.0}},
                 {"label": "DAPI"}],
    "rdefs": {"defaultT": 0, "defaultZ": 2, "model": "color"}})");
  Omero o = Omero::from_json(doc, "omero");
  EXPECT_EQ(o.id, 1);
  ASSERT_EQ(o.channels.size(), 2u);
  EXPECT_EQ(o.channels[0].color, "00FF00");
  EXPECT_EQ(o.channels[0].window->end, 813.0);
  EXPECT_FALSE(o.channels[1].window);
  EXPECT_EQ(o.rdefs["model"], "color");
  EXPECT_EQ(o.to_json(), doc);
  std::vector<std::string> warnings;
  o.warnings("omero", warnings);
  EXPECT_TRUE(warnings.empty());
  o.channels[1].color = "blue";
  o.warnings("omero", warnings);
  EXPECT_EQ(warnings, std::vector<std::string>{
                          "omero.channels[1].color: 'blue' is not an RRGGBB hex colour"});

  EXPECT_EQ(error_of([] {
              Omero::from_json({{"channels", {{{"color", 255}}}}}, "omero");
            }),
            "omero.channels[0].color: expected a string, got 255");
  EXPECT_EQ(
      error_of([] {
        Omero::from_json(
            {{"channels", {{{"window", {{"start", 0}, {"end", "100"}, {"min", 0}, {"max", 1}}}}}}},
            "omero");
      }),
      "omero.channels[0].window.end: expected a number, got \"100\"");
  EXPECT_EQ(error_of([] {
              Omero::from_json({{"channels", {{{"window", {{"start", 0}}}}}}}, "o");
            }),
            "o.channels[0].window: missing required field 'end'");
  EXPECT_EQ(error_of([] { Omero::from_json(Json::object(), "omero"); }),
            "omero: missing required field 'channels'");
  EXPECT_TRUE(is_hex_color("ff00AA"));
  EXPECT_FALSE(is_hex_color("#ff00AA"));
}
