// image::render: the compositing arithmetic (percentiles as numpy, windows onto colours, the
// label blend), PNG encoding, and that a small picture of a big image reads only the coarse
// level's chunks.
#include <gtest/gtest.h>

#include <numeric>

#include "counting_store.hpp"
#include "image/render_composite.hpp"
#include "ngff/error.hpp"
#include "ngff/image/render.hpp"
#include "ngff/image/write_image.hpp"

using namespace ngff;
using namespace ngff::image;

TEST(RenderComposite, PercentileIsNumpysLinearPercentile) {
  std::vector<double> v = {5, 1, 4, 2, 3};
  // np.percentile([1, 2, 3, 4, 5], [0, 10, 50, 99.9, 100]) = 1, 1.4, 3, 4.996, 5
  EXPECT_DOUBLE_EQ(percentile(v, 0), 1);
  EXPECT_DOUBLE_EQ(percentile(v, 10), 1.4);
  EXPECT_DOUBLE_EQ(percentile(v, 50), 3);
  EXPECT_NEAR(percentile(v, 99.9), 4.996, 1e-12);
  EXPECT_DOUBLE_EQ(percentile(v, 100), 5);
  EXPECT_DOUBLE_EQ(percentile({7}, 50), 7);
  EXPECT_DOUBLE_EQ(percentile({}, 50), 0);
  EXPECT_DOUBLE_EQ(percentile({std::nan(""), 2, 4}, 50), 3);
}

TEST(RenderComposite, WindowsMapOntoColoursAndSaturate) {
  std::vector<double> rgb(3 * 4, 0.0);
  ChannelStyle red{0, {255, 0, 0}, 100.0, 200.0, false};
  composite_channel({50, 100, 150, 300}, red, rgb);
  ChannelStyle yellow{1, {255, 255, 0}, 0.0, 10.0, false};
  composite_channel({0, 0, 5, 10}, yellow, rgb);
  const std::vector<uint8_t> out = to_rgb8(rgb);
  EXPECT_EQ(out, (std::vector<uint8_t>{0, 0, 0, 0, 0, 0, 255, 128, 0, 255, 255, 0}));
  // Inverted: the window's start is full intensity.
  std::vector<double> inv(3, 0.0);
  composite_channel({100}, {0, {0, 0, 255}, 100.0, 200.0, true}, inv);
  EXPECT_EQ(to_rgb8(inv), (std::vector<uint8_t>{0, 0, 255}));
  // A flat window: at or above it is full, below is black.
  std::vector<double> flat(6, 0.0);
  composite_channel({4, 5}, {0, {255, 255, 255}, 5.0, 5.0, false}, flat);
  EXPECT_EQ(to_rgb8(flat), (std::vector<uint8_t>{0, 0, 0, 255, 255, 255}));
}

TEST(RenderComposite, LabelsBlendByAlphaTimesOpacity) {
  std::vector<uint8_t> rgb = {100, 100, 100, 100, 100, 100, 0, 0, 0};
  overlay_labels(
      rgb, {0, 1, 2},
      [](int64_t v) -> std::array<uint8_t, 4> {
        return v == 1 ? std::array<uint8_t, 4>{255, 0, 0, 255}
                      : std::array<uint8_t, 4>{0, 0, 255, 51};
      },
      0.5);
  // label 1: halfway to red; label 2: alpha 0.2 * 0.5 = 0.1 of blue.
  EXPECT_EQ(rgb, (std::vector<uint8_t>{100, 100, 100, 178, 50, 50, 0, 0, 26}));
}

TEST(Render, PngHasTheSignatureAndSize) {
  RgbImage p{3, 2, std::vector<uint8_t>(18, 7)};
  const Bytes png = encode_png(p);
  ASSERT_GT(png.size(), 24u);
  EXPECT_EQ(static_cast<unsigned char>(png[1]), 'P');
  EXPECT_EQ(static_cast<unsigned char>(png[19]), 3);  // IHDR width, big-endian
  EXPECT_EQ(static_cast<unsigned char>(png[23]), 2);  // height
  EXPECT_THROW(encode_png(RgbImage{}), UsageError);
}

TEST(Render, SmallPictureReadsOnlyTheCoarseLevel) {
  auto store = std::make_shared<test::CountingStore>();
  std::vector<uint16_t> voxels(2 * 512 * 512);
  std::iota(voxels.begin(), voxels.end(), uint16_t{0});
  SpatialImage img(buffer_source(voxels.data(), {2, 512, 512}, zarr::DataType::uint16),
                   SpatialImage::axes_from_letters("cyx"));
  WriteImageOptions o;
  o.levels = 4;
  o.chunks = {1, 64, 64};
  write_image(store, "img", img, o);
  const MultiscaleImage opened = MultiscaleImage::open(store, "img");
  store->reset();
  RenderOptions ro;
  ro.width = ro.height = 64;
  RenderInfo info;
  const RgbImage p = render(opened, ro, &info);
  EXPECT_EQ(p.width, 64u);
  EXPECT_EQ(info.level, 3u);
  // Level 3 is 64x64: one chunk per channel.
  EXPECT_EQ(store->gets(), 2);
  ASSERT_EQ(info.styles.size(), 2u);
  EXPECT_EQ(info.styles[1].color, (std::array<uint8_t, 3>{0, 255, 0}));
  ro.channels = {2};
  EXPECT_THROW(render(opened, ro), UsageError);
}
