// The typed OME-NGFF metadata: axes, transforms, multiscales and whole image attributes; the
// rules they enforce and the JSON paths their errors name.
#include <gtest/gtest.h>

#include "image_attributes_error.hpp"
#include "ngff/error.hpp"
#include "ngff/ome/image_attributes.hpp"
#include "ome/units.hpp"

using namespace ngff;
using namespace ngff::ome;

namespace {

const char* kImage04 = R"({
  "multiscales": [{
    "version": "0.4", "name": "img",
    "axes": [{"name": "c", "type": "channel"},
             {"name": "y", "type": "space", "unit": "micrometer"},
             {"name": "x", "type": "space", "unit": "micrometer"}],
    "datasets": [
      {"path": "0", "coordinateTransformations": [{"type": "scale", "scale": [1, 0.5, 0.5]}]},
      {"path": "1", "coordinateTransformations": [{"type": "scale", "scale": [1, 1, 1]},
                                                   {"type": "translation", "translation": [0, 0.25, 0.25]}]}],
    "type": "mean", "metadata": {"method": "ngff"}
  }]
})";

// Every object carries a key of its own, which must survive parse, serialize and conversion.
const char* kExtras04 = R"({
  "@type": "ngff:Image", "custom": {"a": [1, 2]},
  "multiscales": [{
    "version": "0.4", "name": null, "@id": "inner",
    "axes": [{"name": "y", "type": "space", "unit": "micrometer", "longName": "Y"},
             {"name": "x", "type": "space", "unit": null}],
    "datasets": [{"path": "0", "tag": 1,
                  "coordinateTransformations": [{"type": "scale", "scale": [2, 2], "note": "n"}]}],
    "coordinateTransformations": [{"type": "scale", "scale": [10, 10]},
                                  {"type": "translation", "translation": [5, -5]}]
  }],
  "omero": {"id": 7, "channels": [{"color": "FF0000", "window": {"start": 0, "end": 10, "min": 0,
            "max": 255, "w": true}, "extra": "e"}], "rdefs": {"model": "color"}, "o": 1},
  "image-label": {"version": "0.4", "colors": [{"label-value": 3, "rgba": [1, 2, 3, 4], "k": 0}],
                  "properties": [{"label-value": 3, "class": "cell"}],
                  "source": {"image": "../../", "s": 2}, "l": "x"}
})";

Json image04() {
  return Json::parse(kImage04);
}

}  // namespace

TEST(OmeMetadata, ParsesTypedFields) {
  ImageAttributes image = ImageAttributes::from_json(image04(), "attributes");
  ASSERT_EQ(image.version, Version::v0_4);
  ASSERT_EQ(image.multiscales.size(), 1u);
  const Multiscale& m = image.multiscales[0];
  EXPECT_EQ(m.version, "0.4");
  EXPECT_EQ(m.name, "img");
  EXPECT_EQ(m.type, "mean");
  EXPECT_EQ(m.metadata, Json({{"method", "ngff"}}));
  EXPECT_EQ(m.axis_names(), (std::vector<std::string>{"c", "y", "x"}));
  EXPECT_EQ(m.axis_index("x"), 2u);
  EXPECT_FALSE(m.axis_index("z"));
  EXPECT_TRUE(m.axes[0].is_channel());
  EXPECT_EQ(m.axes[1].unit, "micrometer");
  ASSERT_EQ(m.datasets.size(), 2u);
  EXPECT_EQ(m.datasets[1].path, "1");
  EXPECT_EQ(m.datasets[1].transforms[1].kind, Transform::Kind::translation);
  EXPECT_EQ(m.scale(0), (std::vector<double>{1, 0.5, 0.5}));
  EXPECT_EQ(m.translation(0), (std::vector<double>{0, 0, 0}));
  EXPECT_EQ(m.translation(1), (std::vector<double>{0, 0.25, 0.25}));
  EXPECT_THROW(m.scale(2), UsageError);
  EXPECT_FALSE(image.omero);
  EXPECT_EQ(image.to_json(), image04());
}

TEST(OmeMetadata, MultiscaleTransformsCompose) {
  ImageAttributes image = ImageAttributes::from_json(Json::parse(kExtras04), "attributes");
  const Multiscale& m = image.multiscales[0];
  // dataset: scale 2; multiscale: scale 10 then translation (5, -5).
  EXPECT_EQ(m.scale(0), (std::vector<double>{20, 20}));
  EXPECT_EQ(m.translation(0), (std::vector<double>{5, -5}));
  Multiscale n = m;
  n.datasets[0] = Dataset::make("0", {2, 2}, {1, 1});
  EXPECT_EQ(n.translation(0), (std::vector<double>{15, 5}));  // 1 * 10 + 5, 1 * 10 - 5
  n.transforms.clear();
  EXPECT_EQ(n.scale(0), (std::vector<double>{2, 2}));
  EXPECT_EQ(n.translation(0), (std::vector<double>{1, 1}));
}

TEST(OmeMetadata, UnknownKeysAndNullsSurvive) {
  Json doc = Json::parse(kExtras04);
  ImageAttributes image = ImageAttributes::from_json(doc, "attributes");
  EXPECT_EQ(image.extra["@type"], "ngff:Image");
  EXPECT_EQ(image.multiscales[0].extra["@id"], "inner");
  EXPECT_FALSE(image.multiscales[0].name);  // null counts as absent, and is kept
  EXPECT_EQ(image.multiscales[0].axes[0].extra["longName"], "Y");
  EXPECT_EQ(image.omero->channels[0].window->extra["w"], true);
  EXPECT_EQ(image.image_label->colors[0].rgba, (std::array<uint8_t, 4>{1, 2, 3, 4}));
  EXPECT_EQ(image.image_label->color_of(3), (std::array<uint8_t, 4>{1, 2, 3, 4}));
  EXPECT_EQ(image.to_json(), doc);

  // 0.4 -> 0.5: everything under "ome" except the unknown top-level keys, no inner versions.
  Json v05 = image.to_json(Version::v0_5);
  EXPECT_EQ(v05["ome"]["version"], "0.5");
  EXPECT_EQ(v05["@type"], "ngff:Image");
  EXPECT_EQ(v05["custom"], doc["custom"]);
  EXPECT_FALSE(v05.contains("multiscales"));
  EXPECT_FALSE(v05["ome"]["multiscales"][0].contains("version"));
  EXPECT_FALSE(v05["ome"]["image-label"].contains("version"));
  EXPECT_EQ(v05["ome"]["image-label"]["l"], "x");
  ImageAttributes back = ImageAttributes::from_json(v05, "attributes");
  EXPECT_EQ(back.version, Version::v0_5);
  EXPECT_EQ(back.to_json(), v05);
  EXPECT_EQ(back.to_json(Version::v0_4), doc);
}

TEST(OmeMetadata, V05LayoutKeepsOmeAndTopLevelKeysApart) {
  Json doc = {
      {"top", 1},
      {"ome", {{"version", "0.5"}, {"@id", "x"}, {"multiscales", image04()["multiscales"]}}}};
  doc["ome"]["multiscales"][0].erase("version");
  ImageAttributes image = ImageAttributes::from_json(doc, "attributes");
  EXPECT_EQ(image.version, Version::v0_5);
  EXPECT_EQ(image.extra, Json({{"top", 1}}));
  EXPECT_EQ(image.ome_extra, Json({{"@id", "x"}}));
  EXPECT_FALSE(image.multiscales[0].version);
  EXPECT_EQ(image.to_json(), doc);
  Json v04 = image.to_json(Version::v0_4);
  EXPECT_EQ(v04["multiscales"][0]["version"], "0.4");
  EXPECT_EQ(v04["@id"], "x");
  EXPECT_EQ(v04["top"], 1);
  // A "version" inside a 0.5 multiscale is not ours: kept as an extra member.
  doc["ome"]["multiscales"][0]["version"] = "0.5";
  image = ImageAttributes::from_json(doc, "attributes");
  EXPECT_EQ(image.to_json(), doc);
  EXPECT_EQ(image.to_json(Version::v0_4)["multiscales"][0]["version"], "0.4");
}

TEST(OmeMetadata, ErrorsNameTheJsonPath) {
  Json doc = image04();
  doc["multiscales"][0]["axes"][2]["name"] = "y";
  EXPECT_EQ(image_attributes_error(doc),
            "attributes.multiscales[0].axes[2].name: duplicate axis name 'y'");

  doc = image04();
  doc["multiscales"][0]["datasets"][1]["coordinateTransformations"][0]["scale"] = {1, 1};
  EXPECT_EQ(image_attributes_error(doc),
            "attributes.multiscales[0].datasets[1].coordinateTransformations[0].scale: expected 3 "
            "values (one per axis), got 2");

  doc = image04();
  doc["multiscales"][0]["datasets"][1]["coordinateTransformations"][1]["translation"] = {0, 1};
  EXPECT_EQ(image_attributes_error(doc),
            "attributes.multiscales[0].datasets[1].coordinateTransformations[1].translation: "
            "expected 3 values (one per axis), got 2");

  doc = image04();
  doc["multiscales"][0]["coordinateTransformations"] = {{{"type", "scale"}, {"scale", {1, 2}}}};
  EXPECT_EQ(image_attributes_error(doc),
            "attributes.multiscales[0].coordinateTransformations[0].scale: expected 3 values (one "
            "per axis), got 2");

  doc = image04();
  auto& ts = doc["multiscales"][0]["datasets"][1]["coordinateTransformations"];
  std::swap(ts[0], ts[1]);
  EXPECT_EQ(image_attributes_error(doc),
            "attributes.multiscales[0].datasets[1].coordinateTransformations[0].type: the first "
            "transformation must be a scale, got 'translation'");

  doc = image04();
  doc["multiscales"][0]["datasets"][0]["coordinateTransformations"][0]["scale"][1] = "0.5";
  EXPECT_EQ(image_attributes_error(doc),
            "attributes.multiscales[0].datasets[0].coordinateTransformations[0].scale[1]: expected "
            "a number, got \"0.5\"");

  doc = image04();
  doc["multiscales"][0]["datasets"][0]["coordinateTransformations"][0]["type"] = "affine";
  EXPECT_EQ(image_attributes_error(doc),
            "attributes.multiscales[0].datasets[0].coordinateTransformations[0].type: unsupported "
            "coordinate transformation type 'affine' (expected scale, translation or identity)");

  doc = image04();
  doc["multiscales"][0]["version"] = "0.7";
  EXPECT_EQ(image_attributes_error(doc),
            "attributes.multiscales[0].version: unsupported OME-NGFF version '0.7' (supported: "
            "0.1, 0.2, 0.3, 0.4, 0.5, 0.6)");

  doc = image04();
  doc["multiscales"][0]["axes"][0]["unit"] = 5;
  EXPECT_EQ(image_attributes_error(doc),
            "attributes.multiscales[0].axes[0].unit: expected a string, got 5");

  doc = image04();
  doc["multiscales"][0].erase("datasets");
  EXPECT_EQ(image_attributes_error(doc),
            "attributes.multiscales[0]: missing required field 'datasets'");

  EXPECT_EQ(image_attributes_error(Json::object())
                .rfind("attributes: missing required field 'multiscales'", 0),
            0u);
  EXPECT_EQ(image_attributes_error({{"ome", {{"version", "0.5"}}}}),
            "attributes.ome: missing required field 'multiscales'");
  EXPECT_EQ(image_attributes_error({{"ome", {{"version", "0.7"}, {"multiscales", Json::array()}}}}),
            "attributes.ome.version: unsupported OME-NGFF version '0.7' (supported: 0.1, 0.2, "
            "0.3, 0.4, 0.5, 0.6)");
  EXPECT_EQ(image_attributes_error({{"ome", {{"multiscales", Json::array()}}}}),
            "attributes.ome: missing required field 'version'");
  EXPECT_EQ(image_attributes_error({{"multiscales", Json::array()}}),
            "attributes.multiscales: expected at least one multiscale, got none");
}

TEST(OmeMetadata, AxisRules) {
  auto axes_error = [](const Json& axes) {
    try {
      axes_from_json(axes, "axes");
    } catch (const ValidationError& e) {
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  Json t = {{"name", "t"}, {"type", "time"}}, c = {{"name", "c"}, {"type", "channel"}},
       a = {{"name", "a"}}, z = {{"name", "z"}, {"type", "space"}},
       y = {{"name", "y"}, {"type", "space"}}, x = {{"name", "x"}, {"type", "space"}};
  EXPECT_EQ(axes_error({t, c, z, y, x}), "accepted");
  EXPECT_EQ(axes_error({t, a, y, x}), "accepted");
  EXPECT_EQ(axes_error({t, c, a, y, x}), "accepted");  // one channel and one custom axis
  EXPECT_EQ(axes_error({a, c, y, x}), "accepted");
  EXPECT_EQ(axes_error({y, x}), "accepted");
  EXPECT_EQ(axes_error(Json::array({x})), "axes: expected 2 to 5 axes, got 1");
  EXPECT_EQ(axes_error({c, t, y, x}),
            "axes[1].type: the axis of type 'time' must come first (axis types [channel, time, "
            "space, space])");
  EXPECT_EQ(axes_error({y, c, x, z}),
            "axes[1].type: the axes of type 'space' must come last (axis types [space, channel, "
            "space, space])");
  EXPECT_EQ(axes_error({c, c, y, x}).rfind("axes[1].name: duplicate axis name 'c'", 0), 0u);
  Json c2 = {{"name", "c2"}, {"type", "channel"}};
  EXPECT_EQ(axes_error({c, c2, y, x}).rfind("axes: at most one axis of type 'channel'", 0), 0u);
  Json b = {{"name", "b"}, {"type", "angle"}};
  EXPECT_EQ(axes_error({a, b, y, x}).rfind("axes: at most one axis of a custom type", 0), 0u);
  EXPECT_EQ(axes_error({t, y}).rfind("axes: expected 2 or 3 axes of type 'space', got 1", 0), 0u);
  EXPECT_EQ(axes_error({{{"type", "space"}}, x}), "axes[0]: missing required field 'name'");
}

TEST(OmeMetadata, TransformForms) {
  Transform id = Transform::from_json({{"type", "identity"}}, "t");
  EXPECT_EQ(id.kind, Transform::Kind::identity);
  EXPECT_EQ(id.to_json(), Json({{"type", "identity"}}));
  Json by_path = {{"type", "scale"}, {"path", "scale.bin"}};
  Transform p = Transform::from_json(by_path, "t");
  EXPECT_EQ(p.path, "scale.bin");
  EXPECT_EQ(p.to_json(), by_path);
  EXPECT_THROW(scale_of({p}, 2), ValidationError);
  EXPECT_THROW(Transform::from_json({{"type", "scale"}, {"path", "a"}, {"scale", {1}}}, "t"),
               ValidationError);
  EXPECT_THROW(Transform::from_json({{"type", "scale"}}, "t"), ValidationError);
  EXPECT_EQ(scale_of({}, 3), (std::vector<double>{1, 1, 1}));
  EXPECT_EQ(translation_of({Transform::make_scale({2, 2})}, 2), (std::vector<double>{0, 0}));
  EXPECT_THROW(scale_translation_from_json(Json::array({{{"type", "identity"}}}), "t", 2),
               ValidationError);
}

TEST(OmeMetadata, ValidateAndWarnings) {
  ImageAttributes image;
  image.version = Version::v0_4;
  Multiscale m;
  m.version = "0.4";
  m.axes = {{"y", "space", "micron"}, {"x", "space", "micrometer"}};
  m.datasets = {Dataset::make("0", {1, 1}), Dataset::make("1", {0.5, 2})};
  image.multiscales.push_back(m);
  EXPECT_NO_THROW(image.validate("attributes"));
  auto warnings = image.warnings("attributes");
  const std::string order_warning =
      "attributes.multiscales[0].datasets[1]: datasets MUST be ordered from highest to lowest "
      "resolution, but this one's scale is smaller than the previous one's on axis 'y'";
  std::vector<std::string> expected = {
      "attributes.multiscales[0]: a multiscale SHOULD have a 'name'",
      "attributes.multiscales[0]: a multiscale SHOULD have a 'type' (the downscaling method)",
      "attributes.multiscales[0]: a multiscale SHOULD have 'metadata'",
      "attributes.multiscales[0].axes[0].unit: 'micron' is not one of the spec's space units",
      order_warning};
  EXPECT_EQ(warnings, expected);
  image.multiscales[0].datasets[1].transforms.pop_back();
  EXPECT_THROW(image.validate("attributes"), ValidationError);
  image.multiscales[0].datasets.clear();
  try {
    image.validate("attributes");
    FAIL();
  } catch (const ValidationError& e) {
    EXPECT_STREQ(e.what(),
                 "attributes.multiscales[0].datasets: expected at least one dataset, got none");
  }
}

TEST(OmeMetadata, Units) {
  EXPECT_TRUE(is_space_unit("micrometer"));
  EXPECT_TRUE(is_space_unit("angstrom"));
  EXPECT_FALSE(is_space_unit("micron"));
  EXPECT_FALSE(is_space_unit("meters"));
  EXPECT_FALSE(is_space_unit("second"));
  EXPECT_TRUE(is_time_unit("millisecond"));
  EXPECT_TRUE(is_time_unit("day"));
  EXPECT_FALSE(is_time_unit("ms"));
  EXPECT_EQ(space_units().size(), 26u);
  EXPECT_EQ(time_units().size(), 23u);
}
