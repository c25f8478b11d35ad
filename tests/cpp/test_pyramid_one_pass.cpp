// The one-pass pyramid writer gives exactly the levels that writing level by level gives, reads
// the source once, and leaves to the level-by-level writer what it cannot do in one pass.
#include <gtest/gtest.h>

#include <atomic>
#include <random>

#include "image/level_array.hpp"
#include "image/pyramid_levels.hpp"
#include "ngff/error.hpp"
#include "ngff/store/memory_store.hpp"
#include "ngff/zarr/codec_spelling.hpp"
#include "ngff/zarr/group.hpp"
#include "zarr/blocks.hpp"

using namespace ngff;
using namespace ngff::image;

namespace {

// Counts the elements read through it (the one pass must read each source element once) and
// keeps the largest read (the blocks it holds).
class CountingSource final : public VoxelSource {
 public:
  explicit CountingSource(VoxelSourcePtr inner) : inner_(std::move(inner)) {}
  const zarr::Shape& shape() const override { return inner_->shape(); }
  zarr::DataType dtype() const override { return inner_->dtype(); }
  void read(const zarr::Region& region, void* out) const override {
    elements += region.num_elements();
    uint64_t seen = largest.load();
    while (region.num_elements() > seen &&
           !largest.compare_exchange_weak(seen, region.num_elements())) {
    }
    inner_->read(region, out);
  }
  mutable std::atomic<uint64_t> elements{0};
  mutable std::atomic<uint64_t> largest{0};

 private:
  VoxelSourcePtr inner_;
};

VoxelSourcePtr random_source(const zarr::Shape& shape, zarr::DataType dtype, uint64_t seed) {
  std::mt19937_64 rng(seed);
  Bytes bytes(zarr::product(shape) * zarr::dtype_size(dtype));
  // Small values (one byte of four set) keep floats finite and make ties for the mode.
  for (size_t i = 0; i < bytes.size(); ++i)
    bytes[i] = i % 4 == 0 ? static_cast<std::byte>(rng() % 7) : std::byte{0};
  return owned_buffer_source(std::move(bytes), shape, dtype);
}

std::vector<zarr::Array> create_levels(const StorePtr& store, const zarr::Shape& shape,
                                       const zarr::Shape& factors, size_t count,
                                       zarr::DataType dtype, const zarr::Shape& chunks,
                                       const zarr::Shape& shards, const char* axes) {
  zarr::Group group = zarr::Group::create(store, "img", 3, Json::object(), true);
  const auto ome_axes = SpatialImage::axes_from_letters(axes);
  std::vector<zarr::Array> levels;
  zarr::Shape level_shape = shape;
  for (size_t k = 0; k < count; ++k) {
    levels.push_back(create_level_array(group, std::to_string(k), level_shape, dtype, chunks,
                                        shards, ome_axes, zarr::parse_codec_spelling("zstd", dtype),
                                        ome::Version::v0_5));
    level_shape = downsampled_shape(level_shape, factors);
  }
  return levels;
}

Bytes read_all(const zarr::Array& a) {
  Bytes out(zarr::product(a.shape()) * zarr::dtype_size(a.dtype()));
  a.read(zarr::Region{zarr::Shape(a.rank(), 0), a.shape()}, out.data());
  return out;
}

Bytes read_all(const VoxelSource& s) {
  Bytes out(zarr::product(s.shape()) * zarr::dtype_size(s.dtype()));
  s.read(zarr::Region{zarr::Shape(s.shape().size(), 0), s.shape()}, out.data());
  return out;
}

struct Case {
  zarr::Shape shape, chunks, shards, factors;
  zarr::DataType dtype;
  DownsampleMethod method;
  uint64_t budget;
  size_t levels;
  const char* axes;
};

}  // namespace

TEST(PyramidOnePass, EqualsTheLevelByLevelWriterAndReadsTheSourceOnce) {
  using DT = zarr::DataType;
  using M = DownsampleMethod;
  const std::vector<Case> cases = {
      // Odd extents everywhere, many blocks (small budget), every halo-free method.
      {{37, 61, 83}, {8, 16, 16}, {}, {2, 2, 2}, DT::uint16, M::mean, 64 << 10, 4, "zyx"},
      {{37, 61, 83}, {8, 16, 16}, {}, {2, 2, 2}, DT::int8, M::nearest, 64 << 10, 4, "zyx"},
      {{37, 61, 83}, {8, 16, 16}, {}, {2, 2, 2}, DT::uint8, M::mode, 64 << 10, 3, "zyx"},
      {{37, 61, 83}, {8, 16, 16}, {}, {2, 2, 2}, DT::float32, M::min, 96 << 10, 3, "zyx"},
      {{37, 61, 83}, {8, 16, 16}, {}, {2, 2, 2}, DT::int64, M::max, 256 << 10, 3, "zyx"},
      // Channels and time kept, odd chunks (the block is a multiple of chunk and factor).
      {{2, 3, 45, 77}, {1, 1, 9, 15}, {}, {1, 1, 2, 2}, DT::uint8, M::mean, 32 << 10, 5, "tcyx"},
      // Factor 3, float64 mean, one block when the budget is large.
      {{50, 70}, {16, 16}, {}, {3, 3}, DT::float64, M::mean, 256 << 20, 3, "yx"},
      {{50, 70}, {16, 16}, {}, {3, 3}, DT::float64, M::mean, 192 << 10, 3, "yx"},
      // Sharded levels: whole shards are the write unit.
      {{3, 96, 130}, {1, 16, 16}, {1, 32, 64}, {1, 2, 2}, DT::uint16, M::mean, 1 << 20, 4, "cyx"},
      // A single level: a copy, read ahead like the pyramid.
      {{37, 61, 83}, {8, 16, 16}, {}, {2, 2, 2}, DT::uint16, M::mean, 64 << 10, 1, "zyx"},
  };
  uint64_t seed = 1;
  for (const Case& c : cases) {
    SCOPED_TRACE("shape " + std::to_string(c.shape[0]) + "…, method " +
                 std::string(to_string(c.method)) + ", budget " + std::to_string(c.budget));
    auto source = std::make_shared<CountingSource>(random_source(c.shape, c.dtype, seed++));
    auto one_store = std::make_shared<MemoryStore>();
    auto one =
        create_levels(one_store, c.shape, c.factors, c.levels, c.dtype, c.chunks, c.shards, c.axes);
    uint64_t reported = 0;
    ASSERT_TRUE(write_levels_in_one_pass(*source, one, c.factors, c.method, c.budget, true,
                                         [&](uint64_t b) { reported += b; }));
    EXPECT_EQ(source->elements.load(), zarr::product(c.shape));
    auto two_store = std::make_shared<MemoryStore>();
    auto two =
        create_levels(two_store, c.shape, c.factors, c.levels, c.dtype, c.chunks, c.shards, c.axes);
    copy_to_array(*source, two[0], c.budget, nullptr);
    for (size_t k = 1; k < two.size(); ++k)
      downsample_array(two[k - 1], two[k], c.factors, c.method, c.budget, nullptr);
    uint64_t total = 0;
    for (size_t k = 0; k < c.levels; ++k) {
      SCOPED_TRACE("level " + std::to_string(k));
      ASSERT_EQ(one[k].shape(), two[k].shape());
      EXPECT_TRUE(read_all(one[k]) == read_all(two[k]));
      total += zarr::product(one[k].shape()) * zarr::dtype_size(c.dtype);
    }
    EXPECT_EQ(reported, total);
  }
}

TEST(PyramidOnePass, RebuildsAboveAnExistingLevel0WithoutRewritingIt) {
  const zarr::Shape shape{40, 56}, factors{2, 2};
  auto store = std::make_shared<MemoryStore>();
  auto levels = create_levels(store, shape, factors, 3, zarr::DataType::uint16, {8, 8}, {}, "yx");
  auto source = random_source(shape, zarr::DataType::uint16, 7);
  copy_to_array(*source, levels[0], 1 << 20, nullptr);
  const size_t level0_keys = store->list("img/0").size();
  uint64_t reported = 0;
  ASSERT_TRUE(write_levels_in_one_pass(*array_source(levels[0]), levels, factors,
                                       DownsampleMethod::mean, 1 << 20, false,
                                       [&](uint64_t b) { reported += b; }));
  EXPECT_EQ(store->list("img/0").size(), level0_keys);
  EXPECT_EQ(reported, (20 * 28 + 10 * 14) * 2u);
  auto expected = std::make_shared<MemoryStore>();
  auto two = create_levels(expected, shape, factors, 3, zarr::DataType::uint16, {8, 8}, {}, "yx");
  copy_to_array(*source, two[0], 1 << 20, nullptr);
  for (size_t k = 1; k < 3; ++k)
    downsample_array(two[k - 1], two[k], factors, DownsampleMethod::mean, 1 << 20, nullptr);
  for (size_t k = 0; k < 3; ++k) EXPECT_TRUE(read_all(levels[k]) == read_all(two[k]));
}

TEST(PyramidOnePass, LeavesWhatItCannotDoToTheLevelByLevelWriter) {
  const zarr::Shape shape{64, 64}, factors{2, 2};
  auto store = std::make_shared<MemoryStore>();
  auto levels = create_levels(store, shape, factors, 3, zarr::DataType::uint8, {16, 16}, {}, "yx");
  auto source = random_source(shape, zarr::DataType::uint8, 3);
  // The Gaussian needs its neighbours' input (a halo).
  EXPECT_FALSE(write_levels_in_one_pass(*source, levels, factors, DownsampleMethod::gaussian,
                                        1 << 20, true, nullptr));
  // One write unit per level does not fit the budget.
  EXPECT_FALSE(write_levels_in_one_pass(*source, levels, factors, DownsampleMethod::mean, 1024,
                                        true, nullptr));
  // A single level that is already written: nothing to do.
  EXPECT_FALSE(write_levels_in_one_pass(*source, {levels[0]}, factors, DownsampleMethod::mean,
                                        1 << 20, false, nullptr));
  // A sparse source: its own writer follows the stored chunks.
  auto sparse_store = std::make_shared<MemoryStore>();
  auto sparse =
      create_levels(sparse_store, shape, factors, 1, zarr::DataType::uint8, {16, 16}, {}, "yx")[0];
  Bytes one_chunk(16 * 16, std::byte{5});
  sparse.write(zarr::Region{{16, 32}, {16, 16}}, one_chunk.data());
  EXPECT_FALSE(write_levels_in_one_pass(*array_source(sparse), levels, factors,
                                        DownsampleMethod::mean, 1 << 20, true, nullptr));
  EXPECT_TRUE(store->list("img/1/c").empty());
}

TEST(PyramidOnePass, WriteLevelsGoesLevelByLevelWhereTheOnePassDoesNot) {
  const zarr::Shape shape{64, 64}, factors{2, 2};
  auto source = random_source(shape, zarr::DataType::uint8, 5);
  auto store = std::make_shared<MemoryStore>();
  auto levels = create_levels(store, shape, factors, 3, zarr::DataType::uint8, {16, 16}, {}, "yx");
  uint64_t reported = 0;
  write_levels(*source, levels, factors, DownsampleMethod::gaussian, 1 << 20, true,
               [&](uint64_t b) { reported += b; });
  EXPECT_EQ(reported, 64 * 64 + 32 * 32 + 16 * 16u);
  EXPECT_TRUE(read_all(levels[0]) == read_all(*source));
  auto expected_store = std::make_shared<MemoryStore>();
  auto expected =
      create_levels(expected_store, shape, factors, 3, zarr::DataType::uint8, {16, 16}, {}, "yx");
  copy_to_array(*source, expected[0], 1 << 20, nullptr);
  for (size_t k = 1; k < 3; ++k) {
    downsample_array(expected[k - 1], expected[k], factors, DownsampleMethod::gaussian, 1 << 20,
                     nullptr);
    EXPECT_TRUE(read_all(levels[k]) == read_all(expected[k]));
  }
}

namespace {

// Fails its `fail_at`-th read (counting from 0) with a StoreError, as a file gone bad would.
class FailingSource final : public VoxelSource {
 public:
  FailingSource(VoxelSourcePtr inner, int fail_at) : inner_(std::move(inner)), fail_at_(fail_at) {}
  const zarr::Shape& shape() const override { return inner_->shape(); }
  zarr::DataType dtype() const override { return inner_->dtype(); }
  void read(const zarr::Region& region, void* out) const override {
    if (reads_++ == fail_at_) throw StoreError("input.tif: tile 3 is truncated");
    inner_->read(region, out);
  }

 private:
  VoxelSourcePtr inner_;
  int fail_at_;
  mutable int reads_ = 0;
};

}  // namespace

TEST(PyramidOnePass, AReadErrorAheadReachesTheCaller) {
  const zarr::Shape shape{64, 64}, factors{2, 2};
  for (int fail_at : {0, 1, 5, 15}) {
    SCOPED_TRACE("read " + std::to_string(fail_at) + " fails");
    auto store = std::make_shared<MemoryStore>();
    auto levels =
        create_levels(store, shape, factors, 3, zarr::DataType::uint8, {16, 16}, {}, "yx");
    FailingSource source(random_source(shape, zarr::DataType::uint8, 9), fail_at);
    // 16 blocks of 16×16: a 3 KiB budget holds nine (3 levels, 2 write slots, one read ahead)
    // of 256 bytes, not of 512.
    EXPECT_THROW(write_levels_in_one_pass(source, levels, factors, DownsampleMethod::mean, 3 << 10,
                                          true, nullptr),
                 StoreError);
  }
}

namespace {

// A memory store whose chunk writes fail from the `fail_at`-th on (a full disk); metadata writes
// succeed.
class FullStore final : public Store {
 public:
  explicit FullStore(int fail_at) : fail_at_(fail_at) {}
  std::optional<Bytes> get(std::string_view key) const override { return inner_.get(key); }
  std::optional<Bytes> get_range(std::string_view key, ByteRange range) const override {
    return inner_.get_range(key, range);
  }
  std::optional<uint64_t> size(std::string_view key) const override { return inner_.size(key); }
  void set(std::string_view key, ByteView value) override {
    if (!key.ends_with("zarr.json") && chunk_writes_++ >= fail_at_)
      throw StoreError("out.zarr/" + std::string(key) + ": no space left on device");
    inner_.set(key, value);
  }
  void erase(std::string_view key) override { inner_.erase(key); }
  std::vector<std::string> list(std::string_view prefix) const override {
    return inner_.list(prefix);
  }
  std::string url() const override { return "memory://full"; }

 private:
  MemoryStore inner_;
  const int fail_at_;
  std::atomic<int> chunk_writes_{0};
};

}  // namespace

TEST(PyramidOnePass, AWriteErrorBehindReachesTheCaller) {
  const zarr::Shape shape{64, 64}, factors{2, 2};
  for (int fail_at : {0, 1, 5, 15}) {
    SCOPED_TRACE("chunk write " + std::to_string(fail_at) + " fails");
    auto store = std::make_shared<FullStore>(fail_at);
    auto levels =
        create_levels(store, shape, factors, 3, zarr::DataType::uint8, {16, 16}, {}, "yx");
    auto source = random_source(shape, zarr::DataType::uint8, 9);
    EXPECT_THROW(write_levels_in_one_pass(*source, levels, factors, DownsampleMethod::mean, 3 << 10,
                                          true, nullptr),
                 StoreError);
  }
}

namespace {

// A source that decodes `unit`-shaped tiles (as a tiled TIFF does) and records whether a read
// cut one: a tile split between two reads is decoded twice.
class TiledSource final : public VoxelSource {
 public:
  TiledSource(VoxelSourcePtr inner, zarr::Shape unit)
      : inner_(std::move(inner)), unit_(std::move(unit)) {}
  const zarr::Shape& shape() const override { return inner_->shape(); }
  zarr::DataType dtype() const override { return inner_->dtype(); }
  zarr::Shape preferred_block() const override { return unit_; }
  void read(const zarr::Region& region, void* out) const override {
    uint64_t tiles = 1;
    for (size_t d = 0; d < unit_.size(); ++d) {
      const uint64_t end = region.start[d] + region.shape[d];
      if (region.start[d] % unit_[d] != 0 || (end % unit_[d] != 0 && end != shape()[d]))
        ++cut_tiles;
      tiles *= (end + unit_[d] - 1) / unit_[d] - region.start[d] / unit_[d];
    }
    tile_decodes += static_cast<int>(tiles);
    inner_->read(region, out);
  }
  // The tiles of the whole image.
  int tile_count() const {
    uint64_t tiles = 1;
    for (size_t d = 0; d < unit_.size(); ++d) tiles *= (shape()[d] + unit_[d] - 1) / unit_[d];
    return static_cast<int>(tiles);
  }
  mutable std::atomic<int> cut_tiles{0};
  mutable std::atomic<int> tile_decodes{0};  // tiles met by reads: each meeting decodes it

 private:
  VoxelSourcePtr inner_;
  zarr::Shape unit_;
};

// Writes 3 levels of a cyx uint8 `source` in one pass within `budget` (asserting that it can),
// and checks level 0 against the level-by-level writer's; the source's counters are the one
// pass's.
void write_in_one_pass_and_compare(const TiledSource& source, const zarr::Shape& chunks,
                                   uint64_t budget) {
  const zarr::Shape factors{1, 2, 2};
  auto expected_store = std::make_shared<MemoryStore>();
  auto expected = create_levels(expected_store, source.shape(), factors, 3, zarr::DataType::uint8,
                                chunks, {}, "cyx");
  write_levels(source, expected, factors, DownsampleMethod::gaussian, budget, true, nullptr);
  source.cut_tiles = 0;
  source.tile_decodes = 0;
  auto store = std::make_shared<MemoryStore>();
  auto levels =
      create_levels(store, source.shape(), factors, 3, zarr::DataType::uint8, chunks, {}, "cyx");
  ASSERT_TRUE(write_levels_in_one_pass(source, levels, factors, DownsampleMethod::mean, budget,
                                       true, nullptr));
  EXPECT_TRUE(read_all(levels[0]) == read_all(expected[0]));
}

}  // namespace

TEST(PyramidOnePass, BlocksHoldWholeTilesOfTheSource) {
  // Chunks of 16×16, tiles of 3 samples × 32×48: blocks are multiples of both when they fit.
  TiledSource source(random_source({3, 200, 300}, zarr::DataType::uint8, 11), {3, 32, 48});
  write_in_one_pass_and_compare(source, {1, 16, 16}, 100 << 10);
  EXPECT_EQ(source.cut_tiles.load(), 0);
}

TEST(PyramidOnePass, InterleavedSamplesAreDecodedOnceWhenTilesAndChunksShareNoSmallMultiple) {
  // A whole-slide image's layout: RGB tiles of 24² (240² in the wild) under chunks of one
  // channel × 50×100, whose common multiple (600×600) is far past the budget. The blocks still
  // hold every sample of their pixels, so a tile is decoded once per block it meets, not once
  // per channel as well (3.5 times each before).
  TiledSource source(random_source({3, 300, 400}, zarr::DataType::uint8, 5), {3, 24, 24});
  write_in_one_pass_and_compare(source, {1, 50, 100}, 400 << 10);
  EXPECT_LE(source.tile_decodes.load(), source.tile_count() * 3 / 2);
}

TEST(AlignedUnit, AlignsWhereTheDecodingSavedPaysForTheMemory) {
  const uint64_t big = uint64_t{1} << 40;
  // 256² tiles under 128² chunks: each tile met twice along y and x; aligned (2× each).
  EXPECT_EQ(zarr::aligned_unit({64, 128, 128}, {1, 256, 256}, {512, 2048, 2048}, 2, big),
            (zarr::Shape{64, 256, 256}));
  // RGB tiles of 240² under one-channel chunks of 750×1500: the samples (3 decodes for 3×) are
  // aligned; y and x (1.28 and 1.12 decodes for 8× and 4×) are not, whatever the limit.
  EXPECT_EQ(zarr::aligned_unit({1, 750, 1500}, {3, 240, 240}, {3, 12000, 12000}, 1, big),
            (zarr::Shape{3, 750, 1500}));
  // Tiles that divide the unit need nothing.
  EXPECT_EQ(zarr::aligned_unit({1, 1024, 2048}, {1, 256, 256}, {1, 4096, 4096}, 1, big),
            (zarr::Shape{1, 1024, 2048}));
  // Within the limit: the cheapest dimension first (x: 2×), then what still fits (not y: 4×).
  EXPECT_EQ(zarr::aligned_unit({1, 64, 128}, {1, 256, 256}, {1, 4096, 4096}, 1, 64 * 256 * 2),
            (zarr::Shape{1, 64, 256}));
  // A unit over the limit, or a source without units: the unit itself.
  EXPECT_EQ(zarr::aligned_unit({64, 128, 128}, {1, 256, 256}, {512, 2048, 2048}, 2, 1000),
            (zarr::Shape{64, 128, 128}));
  EXPECT_EQ(zarr::aligned_unit({64, 128, 128}, {}, {512, 2048, 2048}, 2, big),
            (zarr::Shape{64, 128, 128}));
  // Never past the extent rounded up to the unit.
  EXPECT_EQ(zarr::aligned_unit({1, 100, 100}, {1, 512, 512}, {1, 150, 150}, 1, big),
            (zarr::Shape{1, 200, 200}));
}

TEST(PyramidOnePass, AnEmptyImageWritesNothingAndDoesNotFail) {
  const zarr::Shape shape{0, 40}, factors{2, 2};
  for (size_t count : {size_t{1}, size_t{3}}) {
    auto store = std::make_shared<MemoryStore>();
    auto levels =
        create_levels(store, shape, factors, count, zarr::DataType::uint16, {16, 16}, {}, "yx");
    TiledSource source(random_source(shape, zarr::DataType::uint16, 1), {8, 8});
    write_levels(source, levels, factors, DownsampleMethod::mean, 1 << 20, true, nullptr);
    EXPECT_TRUE(store->list("img/0/c").empty());
  }
}

TEST(PyramidOnePass, TheBudgetIsACeilingNotATarget) {
  // 16 MiB of uint8 in 16 KiB chunks under a 1 GiB budget: the blocks stop growing at what keeps
  // the cores busy (4 MiB here, for any machine of up to 512 cores), not at the budget.
  const zarr::Shape shape{16, 1024, 1024}, factors{1, 2, 2};
  for (size_t count : {size_t{1}, size_t{3}}) {
    auto store = std::make_shared<MemoryStore>();
    auto levels = create_levels(store, shape, factors, count, zarr::DataType::uint8, {1, 128, 128},
                                {}, "zyx");
    CountingSource source(random_source(shape, zarr::DataType::uint8, 5));
    ASSERT_TRUE(write_levels_in_one_pass(source, levels, factors, DownsampleMethod::mean,
                                         1ull << 30, true, nullptr));
    EXPECT_LE(source.largest.load(), zarr::useful_block_budget(1ull << 30, 128 * 128, 2));
    EXPECT_LE(source.largest.load(), uint64_t{4} << 20);
  }
}
