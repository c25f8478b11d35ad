#include <gtest/gtest.h>

#include <atomic>
#include <random>

#include "counting_store.hpp"
#include "ngff/error.hpp"
#include "ngff/store/memory_store.hpp"
#include "ngff/zarr/array.hpp"
#include "ngff/zarr/array_spec.hpp"
#include "ngff/zarr/codec_spelling.hpp"
#include "sharded_arrays.hpp"
#include "zarr/codecs/sharding_codec.hpp"
#include "zarr/crc32c.hpp"

using namespace ngff;
using namespace ngff::zarr;

namespace {

using test::CountingStore;
using test::pattern;
using test::sharded_metadata;
using test::sharding_codecs;

struct Layout {
  std::string location;
  bool crc;
};

// gtest lists and reports the parameter readably, not as a dump of its bytes.
void PrintTo(const Layout& layout, std::ostream* os) {
  *os << "index at " << layout.location << (layout.crc ? ", crc32c" : ", no crc");
}

class ShardingLayouts : public ::testing::TestWithParam<Layout> {};

TEST_P(ShardingLayouts, WholeAndPartialReadsMatchWhatWasWritten) {
  auto store = std::make_shared<CountingStore>();
  // 3 x 2 shards along the edges are partial: 20 = 8 + 8 + 4, 13 = 12 + 1.
  Shape shape{20, 13};
  Array a =
      Array::create(store, "a",
                    sharded_metadata(shape, {8, 12},
                                     sharding_codecs({4, 3}, GetParam().location, GetParam().crc)));
  auto data = pattern(product(shape), 7);
  a.write(Region::whole(shape), data.data());
  std::vector<uint16_t> back(data.size());
  a.read(Region::whole(shape), back.data());
  EXPECT_EQ(back, data);
  // Reopened from the stored metadata, one inner chunk at a time.
  Array b = Array::open(store, "a");
  for (uint64_t i = 0; i < 20; i += 4)
    for (uint64_t j = 0; j < 13; j += 3) {
      Region r{{i, j}, {std::min<uint64_t>(4, 20 - i), std::min<uint64_t>(3, 13 - j)}};
      std::vector<uint16_t> part(r.num_elements());
      b.read(r, part.data());
      for (uint64_t y = 0; y < r.shape[0]; ++y)
        for (uint64_t x = 0; x < r.shape[1]; ++x)
          ASSERT_EQ(part[y * r.shape[1] + x], data[(i + y) * 13 + j + x]) << i << "," << j;
    }
}

INSTANTIATE_TEST_SUITE_P(IndexPlacement, ShardingLayouts,
                         ::testing::Values(Layout{"end", true}, Layout{"end", false},
                                           Layout{"start", true}, Layout{"start", false}),
                         [](const auto& param_info) {
                           return "index_at_" + param_info.param.location +
                                  (param_info.param.crc ? "_crc32c" : "_plain");
                         });

TEST(Sharding, PartialReadFetchesOnlyTheIndexAndTheNeededInnerChunks) {
  auto store = std::make_shared<CountingStore>();
  Shape shape{64, 64};
  Array a = Array::create(store, "a",
                          sharded_metadata(shape, {64, 64}, sharding_codecs({8, 8}, "end", true)));
  auto data = pattern(product(shape), 3);
  a.write(Region::whole(shape), data.data());
  uint64_t shard_size = *store->size("a/c/0/0");
  store->reset();
  std::vector<uint16_t> part(8 * 8);
  a.read(Region{{16, 24}, {8, 8}}, part.data());
  EXPECT_EQ(store->whole_gets.load(), 0);
  EXPECT_EQ(store->range_gets.load(), 2);  // the index, then one inner chunk
  EXPECT_LT(store->bytes_read.load(), shard_size / 8);
  for (uint64_t y = 0; y < 8; ++y)
    for (uint64_t x = 0; x < 8; ++x) ASSERT_EQ(part[y * 8 + x], data[(16 + y) * 64 + 24 + x]);
  // A whole shard is one read.
  store->reset();
  std::vector<uint16_t> all(product(shape));
  a.read(Region::whole(shape), all.data());
  EXPECT_EQ(store->whole_gets.load() + store->range_gets.load(), 1);
  EXPECT_EQ(all, data);
}

TEST(Sharding, FillValueInnerChunksAreNotStored) {
  auto store = std::make_shared<MemoryStore>();
  Shape shape{16, 16};
  Array a = Array::create(store, "a",
                          sharded_metadata(shape, {16, 16}, sharding_codecs({8, 8}, "end", false)));
  std::vector<uint16_t> data(product(shape), 0);
  data[0] = 5;  // only inner chunk (0, 0) differs from the fill value
  a.write(Region::whole(shape), data.data());
  auto shard = *store->get("a/c/0/0");
  ASSERT_EQ(shard.size() % 1, 0u);
  // Index: 4 entries of 16 bytes at the end; entries 1..3 are empty.
  const std::byte* index = shard.data() + shard.size() - 64;
  for (int i = 1; i < 4; ++i) {
    uint64_t offset, nbytes;
    std::memcpy(&offset, index + 16 * i, 8);
    std::memcpy(&nbytes, index + 16 * i + 8, 8);
    EXPECT_EQ(offset, UINT64_MAX);
    EXPECT_EQ(nbytes, UINT64_MAX);
  }
  std::vector<uint16_t> back(data.size(), 9);
  a.read(Region::whole(shape), back.data());
  EXPECT_EQ(back, data);
  // All fill value: the shard is not stored at all.
  data[0] = 0;
  a.write(Region::whole(shape), data.data());
  EXPECT_FALSE(store->exists("a/c/0/0"));
}

TEST(Sharding, PartialShardWritesKeepTheRest) {
  auto store = std::make_shared<MemoryStore>();
  Shape shape{24, 24};
  Array a = Array::create(
      store, "a", sharded_metadata(shape, {16, 16}, sharding_codecs({4, 4}, "start", true)));
  auto data = pattern(product(shape), 11);
  a.write(Region::whole(shape), data.data());
  std::vector<uint16_t> patch(5 * 7, 4095);
  a.write(Region{{3, 10}, {5, 7}}, patch.data());
  for (uint64_t y = 3; y < 8; ++y)
    for (uint64_t x = 10; x < 17; ++x) data[y * 24 + x] = 4095;
  std::vector<uint16_t> back(data.size());
  a.read(Region::whole(shape), back.data());
  EXPECT_EQ(back, data);
}

TEST(Sharding, NestedShardingAndTransposeBeforeSharding) {
  auto store = std::make_shared<MemoryStore>();
  Shape shape{16, 12};
  Json inner = sharding_codecs({2, 2}, "start", true);
  Json codecs = Json::array({Json{{"name", "transpose"}, {"configuration", {{"order", {1, 0}}}}}});
  // After the transpose the shard is 12 x 8 (transposed), so inner chunks are given in that order.
  Json outer = sharding_codecs({6, 4}, "end", true, inner)[0];
  codecs.push_back(outer);
  Array a = Array::create(store, "a", sharded_metadata(shape, {8, 12}, codecs));
  auto data = pattern(product(shape), 5);
  a.write(Region::whole(shape), data.data());
  std::vector<uint16_t> back(data.size());
  Array::open(store, "a").read(Region::whole(shape), back.data());
  EXPECT_EQ(back, data);
  std::vector<uint16_t> part(3 * 5);
  a.read(Region{{9, 2}, {3, 5}}, part.data());
  for (uint64_t y = 0; y < 3; ++y)
    for (uint64_t x = 0; x < 5; ++x) ASSERT_EQ(part[y * 5 + x], data[(9 + y) * 12 + 2 + x]);
}

TEST(Sharding, InnerChunksThatDoNotTileTheShardAreRejected) {
  auto store = std::make_shared<MemoryStore>();
  EXPECT_THROW(
      Array::create(store, "a", sharded_metadata({10}, {10}, sharding_codecs({3}, "end", true))),
      MetadataError);
  Json bad = sharding_codecs({5}, "end", true);
  bad[0]["configuration"]["index_codecs"].push_back(Json{{"name", "zstd"}});
  EXPECT_THROW(Array::create(store, "b", sharded_metadata({10}, {10}, bad)), MetadataError);
  bad = sharding_codecs({5}, "middle", true);
  EXPECT_THROW(Array::create(store, "c", sharded_metadata({10}, {10}, bad)), MetadataError);
}

class CorruptShard : public ::testing::TestWithParam<std::string> {};

// Corrupts the stored shard, then reads it whole and in part: always a CodecError naming the
// shard, never a crash.
TEST_P(CorruptShard, GivesAClearError) {
  auto store = std::make_shared<MemoryStore>();
  Shape shape{16, 16};
  const bool crc = GetParam() == "crc_mismatch" || GetParam() == "truncated";
  Array a = Array::create(store, "a",
                          sharded_metadata(shape, {16, 16}, sharding_codecs({8, 8}, "end", crc)));
  auto data = pattern(product(shape), 1);
  a.write(Region::whole(shape), data.data());
  Bytes shard = *store->get("a/c/0/0");
  const size_t index_at = shard.size() - 64 - (crc ? 4 : 0);
  if (GetParam() == "crc_mismatch") {
    shard[index_at + 3] ^= std::byte{1};
  } else if (GetParam() == "offset_past_end") {
    uint64_t huge = UINT64_MAX - 8;  // offset + nbytes overflows
    std::memcpy(shard.data() + index_at, &huge, 8);
  } else if (GetParam() == "offset_beyond_file") {
    uint64_t far = 1 << 20;
    std::memcpy(shard.data() + index_at, &far, 8);
  } else if (GetParam() == "half_empty") {
    uint64_t empty = UINT64_MAX;  // nbytes empty, offset not
    std::memcpy(shard.data() + index_at + 8, &empty, 8);
  } else if (GetParam() == "truncated") {
    shard.resize(10);
  }
  store->set("a/c/0/0", shard);
  std::vector<uint16_t> back(product(shape));
  // Every region touches inner chunk (0, 0), whose entry is the corrupted one.
  for (const Region& r : {Region::whole(shape), Region{{0, 0}, {8, 8}}, Region{{1, 1}, {2, 2}}}) {
    try {
      a.read(r, back.data());
      FAIL() << "no error for " << GetParam() << " reading " << r.to_string();
    } catch (const CodecError& e) {
      EXPECT_NE(std::string(e.what()).find("a/c/0/0"), std::string::npos) << e.what();
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Kinds, CorruptShard,
                         ::testing::Values("crc_mismatch", "offset_past_end", "offset_beyond_file",
                                           "half_empty", "truncated"),
                         [](const auto& param_info) { return std::string(param_info.param); });

TEST(Sharding, ArraySpecBuildsTheCodecChainZarrPythonWrites) {
  ArraySpec s;
  s.shape = {100, 100};
  s.chunks = {10, 10};
  s.shards = {50, 50};
  s.dtype = DataType::uint16;
  s.compression = parse_codec_spelling("zstd:3", s.dtype);
  ArrayMetadata m = make_array_metadata(s);
  EXPECT_EQ(m.chunk_shape, (Shape{50, 50}));
  ASSERT_EQ(m.codecs.size(), 1u);
  EXPECT_EQ(m.codecs[0]["name"], "sharding_indexed");
  EXPECT_EQ(m.codecs[0]["configuration"]["chunk_shape"], Json::array({10, 10}));
  EXPECT_EQ(inner_chunk_shape(m), (Shape{10, 10}));
  EXPECT_EQ(compression_of(m), s.compression);
  s.shards = {55, 50};
  EXPECT_THROW(make_array_metadata(s), UsageError);
  s.shards = {50, 50};
  s.zarr_format = 2;
  EXPECT_THROW(make_array_metadata(s), UsageError);
}

}  // namespace

namespace {

// Many small inner chunks encoded by several threads at once: every one must be stored (a lost
// "stored" flag between threads once dropped inner chunks, reading back as fill value).
TEST(Sharding, ParallelEncodingKeepsEveryInnerChunk) {
  auto store = std::make_shared<MemoryStore>();
  Shape shape{64, 64, 16};
  Array a = Array::create(
      store, "a", sharded_metadata(shape, {32, 32, 16}, sharding_codecs({2, 2, 4}, "end", true)));
  for (uint32_t round = 0; round < 20; ++round) {
    auto data = pattern(product(shape), round);
    for (auto& v : data) v = static_cast<uint16_t>(v | 1);  // never the fill value
    a.write(Region::whole(shape), data.data());
    std::vector<uint16_t> back(data.size());
    a.read(Region::whole(shape), back.data());
    ASSERT_EQ(back, data) << "round " << round;
  }
}

}  // namespace
