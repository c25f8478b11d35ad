// create_image_with_levels: levels computed elsewhere, written with exactly their shapes and
// transforms; bad level lists refused before anything is written.
#include <gtest/gtest.h>

#include "ngff/error.hpp"
#include "ngff/image/spatial_image.hpp"
#include "ngff/image/write_levels.hpp"
#include "ngff/store/memory_store.hpp"
#include "ngff/zarr/node.hpp"

using namespace ngff;
using namespace ngff::image;

namespace {

const std::vector<ome::Axis> kZyx = SpatialImage::axes_from_letters("zyx", "micrometer");

TEST(CreateImageWithLevels, WritesEachLevelAsGiven) {
  for (ome::Version version : {ome::Version::v0_4, ome::Version::v0_5}) {
    auto store = std::make_shared<MemoryStore>();
    // Odd factors and offsets that no pyramid plan would give.
    std::vector<LevelLayout> levels = {{{5, 30, 31}, {2.0, 0.5, 0.5}, {1.0, 2.0, 3.0}},
                                       {{5, 10, 11}, {2.0, 1.5, 1.4}, {1.0, 2.5, 3.4}},
                                       {{1, 2, 3}, {10.0, 7.5, 5.6}, {9.0, 5.0, 6.0}}};
    MultiscaleImage img =
        create_image_with_levels(store, "img", levels, zarr::DataType::float32, kZyx, "given",
                                 {.version = version, .chunks = {1, 8, 8}});
    ASSERT_EQ(img.num_levels(), 3u);
    for (size_t k = 0; k < levels.size(); ++k) {
      EXPECT_EQ(img.level(k).shape(), levels[k].shape) << k;
      EXPECT_EQ(img.level(k).scale(), levels[k].scale) << k;
      EXPECT_EQ(img.level(k).translation(), levels[k].translation) << k;
      EXPECT_EQ(img.level_array(k).chunk_shape(),
                (zarr::Shape{1, std::min<uint64_t>(8, levels[k].shape[1]),
                             std::min<uint64_t>(8, levels[k].shape[2])}));
    }
    EXPECT_EQ(img.version(), version);
    const ome::Multiscale& ms = img.attributes().multiscales.at(0);
    EXPECT_EQ(ms.name, "given");
    EXPECT_FALSE(ms.type.has_value());  // nothing says how the levels were made
  }
}

TEST(CreateImageWithLevels, DefaultsAndBadLevelListsRefusedBeforeWriting) {
  auto store = std::make_shared<MemoryStore>();
  MultiscaleImage plain = create_image_with_levels(store, "plain", {{{4, 4, 4}, {}, {}}},
                                                   zarr::DataType::uint8, kZyx, "plain");
  EXPECT_EQ(plain.level(0).scale(), (std::vector<double>{1, 1, 1}));
  EXPECT_EQ(plain.level(0).translation(), (std::vector<double>{0, 0, 0}));

  auto refused = [&](const std::vector<LevelLayout>& levels, const std::string& message) {
    try {
      create_image_with_levels(store, "bad", levels, zarr::DataType::uint8, kZyx, "bad");
      ADD_FAILURE() << "accepted: " << message;
    } catch (const UsageError& e) {
      EXPECT_NE(std::string(e.what()).find(message), std::string::npos) << e.what();
    }
    EXPECT_FALSE(zarr::node_exists(*store, "bad"));
  };
  refused({}, "no levels");
  refused({{{4, 4}, {}, {}}}, "one value for each of the 3 axes");
  refused({{{4, 4, 4}, {1, 0, 1}, {}}}, "is not positive");
  refused({{{4, 4, 4}, {}, {}}, {{4, 8, 4}, {1, 1, 1}, {}}}, "level 1 on axis 'y'");
  refused({{{4, 4, 4}, {1, 2, 1}, {}}, {{4, 2, 4}, {1, 1, 1}, {}}}, "nor finer");
}

}  // namespace
