#include <gtest/gtest.h>

#include <numeric>

#include "image/label_colors.hpp"
#include "ngff/error.hpp"
#include "ngff/image/convert_image.hpp"
#include "ngff/image/multiscale_image.hpp"
#include "ngff/image/samples.hpp"
#include "ngff/image/write_image.hpp"
#include "ngff/store/memory_store.hpp"
#include "ngff/zarr/array_spec.hpp"
#include "temp_dir.hpp"

using namespace ngff;
using namespace ngff::image;

namespace {

SpatialImage ramp(const zarr::Shape& shape, const char* axes, std::vector<double> scale = {},
                  std::vector<double> translation = {}) {
  std::vector<uint16_t> v(zarr::product(shape));
  std::iota(v.begin(), v.end(), 0);
  Bytes bytes(v.size() * 2);
  std::memcpy(bytes.data(), v.data(), bytes.size());
  return SpatialImage(owned_buffer_source(std::move(bytes), shape, zarr::DataType::uint16),
                      SpatialImage::axes_from_letters(axes, "micrometer"), std::move(scale),
                      std::move(translation));
}

TEST(SpatialImage, IndexPhysicalMappingAndCrops) {
  SpatialImage img = ramp({10, 20}, "yx", {0.5, 0.25}, {100, 200});
  EXPECT_EQ(img.to_physical({2, 4}), (std::vector<double>{101, 201}));
  EXPECT_EQ(img.to_index({101, 201}), (std::vector<double>{2, 4}));
  zarr::Region r = img.region_for_physical({101, 201}, {102, 202});
  EXPECT_EQ(r.start, (zarr::Shape{2, 4}));
  EXPECT_EQ(r.shape, (zarr::Shape{3, 5}));
  SpatialImage crop = img.crop(r);
  EXPECT_EQ(crop.translation(), (std::vector<double>{101, 201}));
  uint16_t first = 0;
  crop.read({{0, 0}, {1, 1}}, &first);
  EXPECT_EQ(first, 2 * 20 + 4);
  EXPECT_THROW(SpatialImage(img.source(), SpatialImage::axes_from_letters("zyx")), UsageError);
}

TEST(WriteImage, LevelsHaveExactScalesAndTranslations) {
  for (auto version : {ome::Version::v0_4, ome::Version::v0_5}) {
    auto store = std::make_shared<MemoryStore>();
    WriteImageOptions o;
    o.version = version;
    o.levels = 3;
    o.method = DownsampleMethod::mean;
    SpatialImage img = ramp({3, 17, 33}, "cyx", {1, 0.5, 0.3}, {0, 10, 20});
    MultiscaleImage out = write_image(store, "img", img, o);
    ASSERT_EQ(out.num_levels(), 3u);
    EXPECT_EQ(out.level(1).shape(), (zarr::Shape{3, 9, 17}));
    EXPECT_EQ(out.level(2).shape(), (zarr::Shape{3, 5, 9}));
    EXPECT_EQ(out.level(2).scale(), (std::vector<double>{1, 2.0, 0.3 * 4}));
    EXPECT_DOUBLE_EQ(out.level(2).translation()[1], 10 + (2.0 - 0.5) / 2);
    EXPECT_DOUBLE_EQ(out.level(2).translation()[2], 20 + (1.2 - 0.3) / 2);
    EXPECT_EQ(out.level(2).translation()[0], 0);
    EXPECT_EQ(out.version(), version);
    EXPECT_EQ(out.level_array(0).zarr_format(), version == ome::Version::v0_4 ? 2 : 3);
    std::vector<uint16_t> back(3 * 17 * 33);
    out.level(0).read(zarr::Region::whole(out.level(0).shape()), back.data());
    for (size_t i = 0; i < back.size(); ++i) ASSERT_EQ(back[i], i);
    // nearest keeps the translation of level 0
    o.method = DownsampleMethod::nearest;
    o.overwrite = true;
    MultiscaleImage n = write_image(store, "img", img, o);
    EXPECT_EQ(n.level(2).translation(), (std::vector<double>{0, 10, 20}));
    uint16_t v = 0;
    n.level(1).read({{1, 2, 3}, {1, 1, 1}}, &v);
    EXPECT_EQ(v, 1 * 17 * 33 + 4 * 33 + 6);
  }
}

TEST(WriteImage, OneCallFromABufferKeepsVoxelsAndMetadata) {
  test::TempDir dir;
  const std::string url = (dir.path() / "buffer.ome.zarr").string();
  std::vector<uint16_t> voxels(2 * 64 * 96);
  std::iota(voxels.begin(), voxels.end(), 0);
  WriteImageOptions options;
  options.levels = 2;
  MultiscaleImage written = write_image(url, std::span<const uint16_t>(voxels), {2, 64, 96}, "cyx",
                                        {1.0, 0.5, 0.25}, options, {.space_unit = "micrometer"});
  EXPECT_EQ(written.num_levels(), 2u);
  MultiscaleImage image = MultiscaleImage::open(url);
  const SpatialImage& level0 = image.level(0);
  EXPECT_EQ(level0.dims(), (std::vector<std::string>{"c", "y", "x"}));
  EXPECT_EQ(level0.scale(), (std::vector<double>{1.0, 0.5, 0.25}));
  EXPECT_EQ(level0.axes()[2].unit, "micrometer");
  EXPECT_EQ(level0.dtype(), zarr::DataType::uint16);
  std::vector<uint16_t> back(voxels.size());
  level0.read({{0, 0, 0}, {2, 64, 96}}, back.data());
  EXPECT_EQ(back, voxels);
  EXPECT_EQ(image.level(1).scale(), (std::vector<double>{1.0, 1.0, 0.5}));

  // The untyped overload names the data type; mismatches are usage errors naming the URL.
  EXPECT_NO_THROW(write_image(url, voxels.data(), {2, 64, 96}, zarr::DataType::uint16, "cyx", {},
                              {.overwrite = true}));
  EXPECT_THROW(write_image(url, std::span<const uint16_t>(voxels), {2, 64, 95}, "cyx"), UsageError);
  EXPECT_THROW(write_image(url, voxels.data(), {2, 64, 96}, zarr::DataType::uint16, "yx"),
               UsageError);
  static_assert(zarr::dtype_of<float>() == zarr::DataType::float32);
  static_assert(zarr::dtype_of<std::complex<double>>() == zarr::DataType::complex128);
}

TEST(WriteImage, ChannelAndTimeAxesAreNeverDownsampled) {
  auto store = std::make_shared<MemoryStore>();
  WriteImageOptions o;
  o.factors = {2, 2, 2};
  EXPECT_THROW(write_image(store, "x", ramp({4, 8, 8}, "cyx"), o), UsageError);
  EXPECT_TRUE(store->list("").empty()) << "nothing is written on bad options";
  EXPECT_EQ(default_factors(SpatialImage::axes_from_letters("tczyx")),
            (zarr::Shape{1, 1, 2, 2, 2}));
}

// write_labels without colours gives the values of level 0 theirs, noted as the labels are
// written; past the limit, the ones default_label_colors keeps reading level 0 back.
TEST(WriteLabels, DefaultColoursAreTheValuesPresent) {
  auto store = std::make_shared<MemoryStore>();
  MultiscaleImage img = write_image(store, "img", ramp({128, 128}, "yx"), {.levels = 2});
  auto labels = [&](std::vector<uint32_t> v) {
    Bytes bytes(v.size() * 4);
    std::memcpy(bytes.data(), v.data(), bytes.size());
    return labels_in_image_space(
        img, owned_buffer_source(std::move(bytes), {128, 128}, zarr::DataType::uint32), {"y", "x"});
  };
  auto values = [](const MultiscaleImage& written) {
    std::vector<int64_t> out;
    for (const auto& c : written.attributes().image_label->colors) {
      EXPECT_EQ(c.rgba, label_rgba(c.label_value));
      out.push_back(c.label_value);
    }
    return out;
  };
  std::vector<uint32_t> few(128 * 128);
  for (size_t i = 0; i < few.size(); ++i) few[i] = static_cast<uint32_t>(i % 7 == 3 ? 0 : i % 7);
  EXPECT_EQ(values(write_labels(img, "few", labels(few))), (std::vector<int64_t>{1, 2, 4, 5, 6}));
  // The tap write_labels reads through: the values passed on, none once the limit is reached.
  std::vector<uint32_t> out(few.size());
  LabelValueTap full(labels(few).source(), 5), roomy(labels(few).source(), 6);
  full.read(zarr::Region::whole({128, 128}), out.data());
  roomy.read(zarr::Region::whole({128, 128}), out.data());
  EXPECT_FALSE(full.colors().has_value());
  EXPECT_EQ(roomy.colors()->size(), 5u);

  // More than 4096 values: level 0 read back in blocks, as before.
  std::vector<uint32_t> many(128 * 128);
  std::iota(many.begin(), many.end(), 1u);
  WriteImageOptions o{.method = DownsampleMethod::mode, .chunks = {16, 16}, .memory_budget = 4096};
  MultiscaleImage written = write_labels(img, "many", labels(many), o);
  std::vector<int64_t> expected;
  for (const auto& c : default_label_colors(written.level_array(0), o.memory_budget))
    expected.push_back(c.label_value);
  EXPECT_EQ(expected.size(), 4096u);
  EXPECT_EQ(values(written), expected);

  // A sparse source (a Zarr array storing one chunk of 64): its other voxels are 0.
  zarr::ArraySpec spec;
  spec.shape = {128, 128};
  spec.chunks = {16, 16};
  spec.dtype = zarr::DataType::uint32;
  zarr::Array sparse = zarr::Array::create(store, "sparse", zarr::make_array_metadata(spec));
  std::vector<uint32_t> chunk(16 * 16, 9);
  chunk[5] = 12;
  sparse.write({{16, 32}, {16, 16}}, chunk.data());
  SpatialImage sparse_labels = labels_in_image_space(img, array_source(sparse), {"y", "x"});
  EXPECT_EQ(values(write_labels(img, "sparse", sparse_labels,
                                {.method = DownsampleMethod::mode, .chunks = {16, 16}})),
            (std::vector<int64_t>{9, 12}));
}

TEST(WriteImage, SamplesWithLabelsRoundTripAndConvertBetweenVersions) {
  auto store = std::make_shared<MemoryStore>();
  Sample s = make_sample("volume", {2, 8, 40, 40});
  WriteImageOptions o;
  o.version = ome::Version::v0_4;
  o.levels = 2;
  o.omero = s.omero;
  MultiscaleImage img = write_image(store, "v04", s.image, o);
  WriteImageOptions label_options = o;
  label_options.omero.reset();
  label_options.method = DownsampleMethod::mode;
  write_labels(img, "cells", s.labels[0].second, label_options);
  EXPECT_EQ(img.label_names(), std::vector<std::string>{"cells"});
  MultiscaleImage cells = img.label("cells");
  EXPECT_TRUE(cells.attributes().image_label.has_value());
  EXPECT_EQ(cells.level(0).dtype(), zarr::DataType::uint32);

  ConvertImageOptions c;
  c.version = ome::Version::v0_5;
  convert_image(store, "v04", store, "v05", c);
  MultiscaleImage v5 = MultiscaleImage::open(store, "v05");
  EXPECT_EQ(v5.version(), ome::Version::v0_5);
  EXPECT_EQ(v5.level_array(0).zarr_format(), 3);
  EXPECT_EQ(*v5.level_array(0).metadata().dimension_names, Json({"c", "z", "y", "x"}));
  EXPECT_EQ(v5.num_levels(), 2u);
  EXPECT_EQ(v5.level(1).scale(), img.level(1).scale());
  EXPECT_EQ(v5.attributes().omero->channels.size(), 2u);
  EXPECT_EQ(v5.label_names(), std::vector<std::string>{"cells"});
  std::vector<uint16_t> a(zarr::product(img.level(1).shape())), b(a.size());
  img.level(1).read(zarr::Region::whole(img.level(1).shape()), a.data());
  v5.level(1).read(zarr::Region::whole(v5.level(1).shape()), b.data());
  EXPECT_EQ(a, b);
  // and back to 0.4, rebuilding the pyramid with nearest
  c.version = ome::Version::v0_4;
  c.levels = 3;
  c.method = DownsampleMethod::nearest;
  convert_image(store, "v05", store, "back", c);
  MultiscaleImage back = MultiscaleImage::open(store, "back");
  EXPECT_EQ(back.version(), ome::Version::v0_4);
  EXPECT_EQ(back.num_levels(), 3u);
}

TEST(RebuildPyramid, ReplacesLevelsAndKeepsLevel0) {
  auto store = std::make_shared<MemoryStore>();
  WriteImageOptions o;
  o.levels = 2;
  write_image(store, "", ramp({64, 64}, "yx", {0.5, 0.5}), o);
  o.levels = 4;
  o.method = DownsampleMethod::max;
  MultiscaleImage img = rebuild_pyramid(store, "", o);
  ASSERT_EQ(img.num_levels(), 4u);
  EXPECT_EQ(img.level(3).shape(), (zarr::Shape{8, 8}));
  uint16_t v = 0;
  img.level(3).read({{0, 0}, {1, 1}}, &v);
  EXPECT_EQ(v, 7 * 64 + 7) << "max of the first 8x8 block";
  EXPECT_EQ(img.multiscale().type.value_or(""), "max");
}

TEST(RebuildPyramid, NewLevelsNeverTakeLevel0sName) {
  // Level 0 stored as "2" (an image whose finer levels were dropped) or inside "1" ("1/0"):
  // creating a new level erases its path, so the new levels must be named around it.
  for (const std::string level0_path : {"2", "1/0"}) {
    SCOPED_TRACE(level0_path);
    auto store = std::make_shared<MemoryStore>();
    WriteImageOptions o;
    o.levels = 1;
    MultiscaleImage first = write_image(store, "img", ramp({32, 32}, "yx"), o);
    std::vector<uint16_t> voxels(32 * 32), after(32 * 32);
    first.level(0).read({{0, 0}, {32, 32}}, voxels.data());
    zarr::Array moved =
        zarr::Array::create(store, "img/" + level0_path, first.level_array(0).metadata());
    moved.write({{0, 0}, {32, 32}}, voxels.data());
    store->erase_prefix("img/0");
    ome::ImageAttributes attrs = first.attributes();
    attrs.multiscales[0].datasets[0].path = level0_path;
    zarr::Group group = first.group();
    group.set_attributes(attrs.to_json());

    o.levels = 3;
    o.method = DownsampleMethod::max;
    MultiscaleImage img = rebuild_pyramid(store, "img", o);
    const auto& datasets = img.multiscale().datasets;
    ASSERT_EQ(datasets.size(), 3u);
    EXPECT_EQ(datasets[0].path, level0_path);
    for (size_t k = 1; k < 3; ++k) {
      EXPECT_NE(datasets[k].path, level0_path);
      EXPECT_NE(level0_path.rfind(datasets[k].path + "/", 0), 0u) << datasets[k].path;
    }
    img.level(0).read({{0, 0}, {32, 32}}, after.data());
    EXPECT_EQ(after, voxels);
    uint16_t v = 0;
    img.level(2).read({{0, 0}, {1, 1}}, &v);
    EXPECT_EQ(v, 3 * 32 + 3) << "max of the first 4x4 block";
  }
}

TEST(MultiscaleImage, ErrorsNameTheJsonPath) {
  auto store = std::make_shared<MemoryStore>();
  WriteImageOptions o;
  o.levels = 2;
  write_image(store, "img", ramp({16, 16}, "yx"), o);
  store->erase_prefix("img/1");
  try {
    MultiscaleImage::open(store, "img");
    FAIL();
  } catch (const KeyNotFound& e) {
    EXPECT_NE(std::string(e.what()).find("datasets[1].path"), std::string::npos) << e.what();
  }
  zarr::Group::create(store, "plain", 3);
  EXPECT_THROW(MultiscaleImage::open(store, "plain"), ValidationError);
}

TEST(MultiscaleImage, LevelForResolution) {
  auto store = std::make_shared<MemoryStore>();
  WriteImageOptions o;
  o.levels = 3;
  auto img = write_image(store, "", ramp({40, 40}, "yx", {0.5, 0.5}), o);
  EXPECT_EQ(img.level_for_resolution({0.5, 0.5}), 0u);
  EXPECT_EQ(img.level_for_resolution({1.2, 1.2}), 1u);
  EXPECT_EQ(img.level_for_resolution({100, 100}), 2u);
  EXPECT_EQ(img.level_for_resolution({0.1, 0.1}), 0u);
}

}  // namespace
