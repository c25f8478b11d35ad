// OME-NGFF 0.1, 0.2 and 0.3, read only: their metadata (from the specs' example documents) in the
// typed model, images of them opened and converted to 0.4 / 0.5, and the errors of bad ones.
#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>

#include "image_attributes_error.hpp"
#include "ngff/error.hpp"
#include "ngff/image/convert_image.hpp"
#include "ngff/image/multiscale_image.hpp"
#include "ngff/image/write_image.hpp"
#include "ngff/ome/image_attributes.hpp"
#include "ngff/store/memory_store.hpp"
#include "ngff/zarr/array_spec.hpp"
#include "ngff/zarr/group.hpp"

using namespace ngff;
using namespace ngff::ome;

namespace {

// The 0.1 spec's examples/valid/image_omero.json (its omero says "0.2", as there).
const char* kSpec01 = R"({
  "@id": "#my-image", "@type": "ngff:Image",
  "multiscales": [{"@id": "#my-pyramid", "version": "0.1", "name": "example",
                   "datasets": [{"path": "path/to/0"}, {"path": "1"}, {"path": "2"}],
                   "type": "gaussian",
                   "metadata": {"method": "skimage.transform.pyramid_gaussian", "version": "0.16.1",
                                "args": ["true", "false"], "kwargs": {"multichannel": true}}}],
  "omero": {"id": 1, "version": "0.2",
            "channels": [{"active": true, "color": "0000FF", "family": "linear",
                          "inverted": false, "label": "1234",
                          "window": {"end": 1765.0, "max": 2555.0, "min": 5.0, "start": 0.0}}],
            "rdefs": {"defaultZ": 0, "defaultT": 0, "model": "color"}}
})";

// The 0.2 spec's examples/image/valid/image_metadata.json.
const char* kSpec02 = R"({
  "@id": "top", "@type": "ngff:Image",
  "multiscales": [{"@id": "inner", "version": "0.2", "name": "example",
                   "datasets": [{"path": "path/to/0"}], "type": "gaussian",
                   "metadata": {"method": "skimage.transform.pyramid_gaussian"}}]
})";

// The 0.3 spec's "multiscales" example.
const char* kSpec03 = R"({
  "multiscales": [{"version": "0.3", "name": "example",
                   "datasets": [{"path": "0"}, {"path": "1"}, {"path": "2"}],
                   "axes": ["t", "c", "z", "y", "x"], "type": "gaussian",
                   "metadata": {"method": "skimage.transform.pyramid_gaussian", "version": "0.16.1",
                                "args": "[true]", "kwargs": {"multichannel": true}}}]
})";

// The 0.3 spec's examples/image/valid/image.json: no version, 3 axes.
const char* kSpec03NoVersion = R"({
  "@type": "ngff:Image",
  "multiscales": [{"datasets": [{"path": "path/to/0"}, {"path": "1"}, {"path": "2"}],
                   "axes": ["z", "y", "x"]}]
})";

// The 0.3 spec's image-label example (colors, properties, source).
const char* kLabel03 = R"json({
  "multiscales": [{"version": "0.3", "datasets": [{"path": "0"}], "axes": ["y", "x"]}],
  "image-label": {"version": "0.3",
                  "colors": [{"label-value": 1, "rgba": [255, 255, 255, 0]},
                             {"label-value": 4, "rgba": [0, 255, 255, 128]}],
                  "properties": [{"label-value": 1, "area (pixels)": 1200, "class": "foo"},
                                 {"label-value": 4, "area (pixels)": 1650}],
                  "source": {"image": "../../"}}
})json";

std::vector<std::string> names_of(const std::vector<Axis>& axes) {
  std::vector<std::string> names;
  names.reserve(axes.size());
  for (const Axis& a : axes) names.push_back(a.name + ":" + a.type.value_or("-"));
  return names;
}

const std::vector<std::string> kTczyx = {"t:time", "c:channel", "z:space", "y:space", "x:space"};

}  // namespace

TEST(LegacyVersions, ParsePrintAndWritable) {
  for (const char* text : {"0.1", "0.2", "0.3", "0.4", "0.5"})
    EXPECT_EQ(to_string(parse_version(text, "v")), text);
  EXPECT_LT(Version::v0_3, Version::v0_4);
  for (Version v : {Version::v0_1, Version::v0_2, Version::v0_3}) {
    EXPECT_FALSE(is_writable(v));
    EXPECT_EQ(zarr_format(v), 2);
    EXPECT_EQ(default_write_version(v), Version::v0_4);
  }
  EXPECT_TRUE(is_writable(Version::v0_4));
  EXPECT_EQ(default_write_version(Version::v0_5), Version::v0_5);
  EXPECT_EQ(parse_write_version("0.4", "v"), Version::v0_4);
  try {
    parse_write_version("0.2", "ome_version");
    FAIL();
  } catch (const UsageError& e) {
    EXPECT_STREQ(e.what(),
                 "ome_version: OME-NGFF 0.2 is read-only: ngff writes 0.4 (Zarr v2), 0.5 or 0.6 "
                 "(Zarr v3)");
  }
}

TEST(LegacyVersions, Detect) {
  EXPECT_EQ(detect_version(Json::parse(kSpec01), "a"), Version::v0_1);
  EXPECT_EQ(detect_version(Json::parse(kSpec02), "a"), Version::v0_2);
  EXPECT_EQ(detect_version(Json::parse(kSpec03), "a"), Version::v0_3);
  EXPECT_EQ(detect_version(Json::parse(kSpec03NoVersion), "a"), Version::v0_3);
  EXPECT_EQ(detect_version({{"well", {{"version", "0.2"}}}}, "a"), Version::v0_2);
  // The multiscales' version wins over image-label's.
  EXPECT_EQ(
      detect_version(
          {{"multiscales", {{{"version", "0.3"}}}}, {"image-label", {{"version", "0.4"}}}}, "a"),
      Version::v0_3);
  EXPECT_EQ(image_attributes_error({{"multiscales", {{{"version", "0.3"}}, {{"version", "0.2"}}}}}),
            "attributes.multiscales[1]: OME-NGFF 0.2 multiscale beside OME-NGFF 0.3 ones (one "
            "image has one version)");
}

TEST(LegacyVersions, SpecExamplesRead) {
  ImageAttributes v01 = ImageAttributes::from_json(Json::parse(kSpec01), "attributes");
  EXPECT_EQ(v01.version, Version::v0_1);
  const Multiscale& m = v01.multiscales.at(0);
  EXPECT_EQ(m.version, "0.1");
  EXPECT_EQ(m.name, "example");
  EXPECT_EQ(m.type, "gaussian");
  EXPECT_EQ(names_of(m.axes), kTczyx);
  for (const Axis& a : m.axes) EXPECT_EQ(a.unit, std::nullopt);
  ASSERT_EQ(m.datasets.size(), 3u);
  EXPECT_EQ(m.datasets[0].path, "path/to/0");
  EXPECT_TRUE(m.datasets[2].transforms.empty());
  EXPECT_EQ(m.scale(2), std::vector<double>(5, 1.0));  // no scale recorded: 1
  EXPECT_EQ(m.translation(2), std::vector<double>(5, 0.0));
  EXPECT_EQ(m.extra, Json({{"@id", "#my-pyramid"}}));
  EXPECT_EQ(v01.extra, Json({{"@id", "#my-image"}, {"@type", "ngff:Image"}}));
  ASSERT_TRUE(v01.omero);
  EXPECT_EQ(v01.omero->channels.at(0).label, "1234");

  ImageAttributes v02 = ImageAttributes::from_json(Json::parse(kSpec02), "attributes");
  EXPECT_EQ(v02.version, Version::v0_2);
  EXPECT_EQ(names_of(v02.multiscales.at(0).axes), kTczyx);

  ImageAttributes v03 = ImageAttributes::from_json(Json::parse(kSpec03), "attributes");
  EXPECT_EQ(v03.version, Version::v0_3);
  EXPECT_EQ(names_of(v03.multiscales.at(0).axes), kTczyx);
  EXPECT_EQ(v03.multiscales[0].metadata["kwargs"]["multichannel"], true);

  ImageAttributes zyx = ImageAttributes::from_json(Json::parse(kSpec03NoVersion), "attributes");
  EXPECT_EQ(zyx.version, Version::v0_3);
  EXPECT_EQ(zyx.multiscales.at(0).version, std::nullopt);
  EXPECT_EQ(names_of(zyx.multiscales[0].axes),
            (std::vector<std::string>{"z:space", "y:space", "x:space"}));

  ImageAttributes label = ImageAttributes::from_json(Json::parse(kLabel03), "attributes");
  ASSERT_TRUE(label.image_label);
  EXPECT_EQ(label.image_label->version, "0.3");
  EXPECT_EQ(label.image_label->colors.size(), 2u);
  EXPECT_EQ(label.image_label->properties.at(0).extra["class"], "foo");
  EXPECT_EQ(label.image_label->source_image, "../../");
}

TEST(LegacyVersions, UpgradedTo04And05) {
  ImageAttributes v01 = ImageAttributes::from_json(Json::parse(kSpec01), "attributes");
  Json v04 = v01.to_json(Version::v0_4);
  const Json& m = v04["multiscales"][0];
  EXPECT_EQ(m["version"], "0.4");
  EXPECT_EQ(m["axes"], Json::parse(R"([{"name": "t", "type": "time"},
      {"name": "c", "type": "channel"}, {"name": "z", "type": "space"},
      {"name": "y", "type": "space"}, {"name": "x", "type": "space"}])"));
  EXPECT_EQ(m["datasets"][1], Json::parse(R"({"path": "1", "coordinateTransformations":
      [{"type": "scale", "scale": [1.0, 1.0, 1.0, 1.0, 1.0]}]})"));
  EXPECT_EQ(m["@id"], "#my-pyramid");
  EXPECT_EQ(v04["omero"]["version"], "0.4");  // the spec example's omero said 0.2
  EXPECT_EQ(v04["omero"]["channels"][0]["label"], "1234");
  EXPECT_EQ(v04["@type"], "ngff:Image");
  // The upgrade is valid 0.4, and 0.5.
  EXPECT_EQ(ImageAttributes::from_json(v04, "v04").version, Version::v0_4);
  Json v05 = v01.to_json(Version::v0_5);
  EXPECT_EQ(v05["ome"]["version"], "0.5");
  EXPECT_FALSE(v05["ome"]["multiscales"][0].contains("version"));
  EXPECT_FALSE(v05["ome"]["omero"].contains("version"));
  EXPECT_EQ(ImageAttributes::from_json(v05, "v05").multiscales[0].axes, v01.multiscales[0].axes);
  EXPECT_NO_THROW(v01.validate("attributes"));

  // The label keeps colors, properties and source, and says 0.4.
  ImageAttributes label = ImageAttributes::from_json(Json::parse(kLabel03), "attributes");
  Json label04 = label.to_json(Version::v0_4);
  EXPECT_EQ(label04["image-label"]["version"], "0.4");
  EXPECT_EQ(label04["image-label"]["properties"][1]["area (pixels)"], 1650);
  EXPECT_EQ(label.to_json(Version::v0_5)["ome"]["image-label"]["colors"][1]["rgba"][3], 128);

  // Never written as what they are.
  EXPECT_THROW(v01.to_json(), UsageError);
  EXPECT_THROW(v01.to_json(Version::v0_3), UsageError);
}

TEST(LegacyVersions, DeriveScalesFromLevelShapes) {
  ImageAttributes v03 = ImageAttributes::from_json(Json::parse(kSpec03), "attributes");
  Multiscale& m = v03.multiscales[0];
  m.derive_scales({{2, 3, 8, 64, 64}, {2, 3, 4, 32, 32}, {2, 3, 2, 15, 16}});
  EXPECT_EQ(m.scale(0), (std::vector<double>{1, 1, 1, 1, 1}));
  EXPECT_EQ(m.scale(1), (std::vector<double>{1, 1, 2, 2, 2}));
  EXPECT_EQ(m.scale(2), (std::vector<double>{1, 1, 4, 64.0 / 15, 4}));
  EXPECT_EQ(m.translation(2), std::vector<double>(5, 0.0));
  EXPECT_THROW(m.derive_scales({{1, 2}}), UsageError);
}

TEST(LegacyVersions, BadDocumentsNameTheJsonPath) {
  Json doc = Json::parse(kSpec03);
  doc["multiscales"][0]["axes"] = {"z", "y", "ct"};  // the spec's invalid_axes.json
  EXPECT_EQ(image_attributes_error(doc),
            "attributes.multiscales[0].axes[2]: unknown axis name 'ct' (OME-NGFF 0.3 axes are t, "
            "c, z, y, x)");
  doc["multiscales"][0]["axes"] = {"x", "y"};
  EXPECT_EQ(image_attributes_error(doc),
            "attributes.multiscales[0].axes[1]: axis 'y' out of order (OME-NGFF 0.3 axes are "
            "unique and ordered t, c, z, y, x)");
  doc["multiscales"][0]["axes"] = {"y", "y"};
  EXPECT_EQ(image_attributes_error(doc).rfind(
                "attributes.multiscales[0].axes[1]: axis 'y' out of order", 0),
            0u);
  doc["multiscales"][0]["axes"] = {"t", "c", "z"};
  EXPECT_EQ(image_attributes_error(doc).rfind(
                "attributes.multiscales[0].axes: expected 2 or 3 axes of type 'space', got 1", 0),
            0u);
  doc["multiscales"][0]["axes"] = {{{"name", "y"}}, {{"name", "x"}}};
  EXPECT_EQ(image_attributes_error(doc).rfind(
                "attributes.multiscales[0].axes[0]: expected an axis name", 0),
            0u);
  doc["multiscales"][0].erase("axes");
  EXPECT_EQ(image_attributes_error(doc),
            "attributes.multiscales[0]: missing required field 'axes'");

  doc = Json::parse(kSpec01);
  doc["multiscales"][0]["datasets"][1].erase("path");
  EXPECT_EQ(image_attributes_error(doc),
            "attributes.multiscales[0].datasets[1]: missing required field 'path'");
  doc = Json::parse(kSpec02);
  doc["multiscales"][0]["datasets"] = Json::array();
  EXPECT_EQ(image_attributes_error(doc),
            "attributes.multiscales[0].datasets: expected at least one dataset, got none");
}

namespace {

// Writes a 0.1-0.3 image as their writers did: Zarr v2 arrays (chunk keys separated by
// `separator`) and the attributes `attrs`; level k halves y and x k times. Voxel value = index.
void write_legacy_image(const StorePtr& store, const Json& attrs, const zarr::Shape& shape0,
                        char separator, size_t levels) {
  zarr::Group group = zarr::Group::create(store, "img", 2, attrs);
  zarr::Shape shape = shape0;
  for (size_t k = 0; k < levels; ++k) {
    zarr::ArraySpec spec;
    spec.zarr_format = 2;
    spec.shape = shape;
    spec.chunks = shape;
    spec.chunks[shape.size() - 1] = std::max<uint64_t>(1, shape.back() / 2);
    spec.dtype = zarr::DataType::uint16;
    spec.separator = separator;
    zarr::Array a = group.create_array(std::to_string(k), zarr::make_array_metadata(spec));
    std::vector<uint16_t> v(zarr::product(shape));
    std::iota(v.begin(), v.end(), static_cast<uint16_t>(k * 1000));
    a.write(zarr::Region::whole(shape), v.data());
    for (size_t d = shape.size() - 2; d < shape.size(); ++d) shape[d] = (shape[d] + 1) / 2;
  }
}

Json legacy_attrs(const char* version, Json axes) {
  Json m = {{"version", version},
            {"name", "old"},
            {"datasets", {{{"path", "0"}}, {{"path", "1"}}}},
            {"type", "nearest"}};
  if (!axes.is_null()) m["axes"] = std::move(axes);
  return {{"multiscales", {m}}};
}

std::vector<uint16_t> voxels(const image::SpatialImage& level) {
  std::vector<uint16_t> v(zarr::product(level.shape()));
  level.read(zarr::Region::whole(level.shape()), v.data());
  return v;
}

}  // namespace

TEST(LegacyVersions, OpenAndConvertImages) {
  struct Case {
    const char* version;
    Json axes;
    zarr::Shape shape;
    char separator;
  };
  const std::vector<Case> cases = {{"0.1", nullptr, {1, 2, 3, 8, 10}, '.'},
                                   {"0.2", nullptr, {2, 1, 1, 6, 8}, '/'},
                                   {"0.3", {"c", "y", "x"}, {2, 9, 8}, '/'}};
  for (const Case& c : cases) {
    SCOPED_TRACE(c.version);
    auto store = std::make_shared<MemoryStore>();
    write_legacy_image(store, legacy_attrs(c.version, c.axes), c.shape, c.separator, 2);
    if (c.separator == '.') {
      EXPECT_TRUE(store->exists("img/0/0.0.0.0.1"));
    }
    auto img = image::MultiscaleImage::open(store, "img");
    EXPECT_EQ(to_string(img.version()), c.version);
    ASSERT_EQ(img.num_levels(), 2u);
    const size_t n = c.shape.size();
    // Level 1 halves y and x (rounding up): its scale is the extent ratio.
    std::vector<double> scale1(n, 1.0);
    for (size_t d = n - 2; d < n; ++d) {
      const uint64_t halved = (c.shape[d] + 1) / 2;  // level 1's extent, rounded up
      scale1[d] = static_cast<double>(c.shape[d]) / static_cast<double>(halved);
    }
    EXPECT_EQ(img.level(0).scale(), std::vector<double>(n, 1.0));
    EXPECT_EQ(img.level(1).scale(), scale1);
    EXPECT_EQ(voxels(img.level(1))[3], 1003);

    for (Version target : {Version::v0_4, Version::v0_5}) {
      SCOPED_TRACE(to_string(target));
      auto dst = std::make_shared<MemoryStore>();
      image::ConvertImageOptions o;
      o.version = target;
      image::convert_image(store, "img", dst, "up", o);
      auto up = image::MultiscaleImage::open(dst, "up");
      EXPECT_EQ(up.version(), target);
      EXPECT_EQ(up.axes(), img.axes());
      EXPECT_EQ(up.level(1).scale(), scale1);
      EXPECT_EQ(up.level_array(0).zarr_format(), zarr_format(target));
      for (size_t k = 0; k < 2; ++k) EXPECT_EQ(voxels(up.level(k)), voxels(img.level(k)));
    }
    // Without a version the upgrade is 0.4 (Zarr v2, like the source).
    auto dst = std::make_shared<MemoryStore>();
    image::convert_image(store, "img", dst, "up", {});
    EXPECT_EQ(image::MultiscaleImage::open(dst, "up").version(), Version::v0_4);
  }
}

TEST(LegacyVersions, BadImagesAndWrites) {
  // 0.1 data must be 5D.
  auto store = std::make_shared<MemoryStore>();
  write_legacy_image(store, legacy_attrs("0.1", nullptr), {4, 6, 8}, '.', 2);
  try {
    image::MultiscaleImage::open(store, "img");
    FAIL();
  } catch (const ValidationError& e) {
    EXPECT_NE(std::string(e.what()).find(
                  "multiscales[0].datasets[0].path: array '0' has 3 dimensions but there are 5 "
                  "axes (OME-NGFF 0.1 images are 5D: t, c, z, y, x)"),
              std::string::npos)
        << e.what();
  }

  // Nothing is written as 0.1-0.3, and a legacy image is not rewritten in place.
  store = std::make_shared<MemoryStore>();
  write_legacy_image(store, legacy_attrs("0.3", {"y", "x"}), {8, 8}, '/', 2);
  auto img = image::MultiscaleImage::open(store, "img");
  image::WriteImageOptions w;
  w.version = Version::v0_3;
  EXPECT_THROW(image::write_image(store, "new", img.level(0), w), UsageError);
  EXPECT_FALSE(store->exists("new/.zgroup"));
  image::ConvertImageOptions c;
  c.version = Version::v0_2;
  auto dst = std::make_shared<MemoryStore>();
  EXPECT_THROW(image::convert_image(store, "img", dst, "out", c), UsageError);
  EXPECT_TRUE(dst->list("").empty());
  w.version = Version::v0_4;
  EXPECT_THROW(image::rebuild_pyramid(store, "img", w), UsageError);
  EXPECT_TRUE(store->exists("img/1/.zarray"));
}
