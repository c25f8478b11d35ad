#include <gtest/gtest.h>
#include <sys/resource.h>

#include <algorithm>
#include <filesystem>
#include <random>
#include <string>
#include <thread>

#include "ngff/error.hpp"
#include "ngff/store/file_store.hpp"
#include "ngff/store/memory_store.hpp"
#include "ngff/zarr/array.hpp"
#include "sharded_arrays.hpp"
#include "temp_dir.hpp"
#include "zarr/blocks.hpp"
#include "zarr/streaming_writer.hpp"

using namespace ngff;
using namespace ngff::zarr;
using test::pattern;
using test::sharded_metadata;
using test::sharding_codecs;

namespace {

// The blocks of `block` tiling `shape`, and the data of each cut from `data` (C order).
std::vector<std::pair<Region, std::vector<uint16_t>>> blocks_of(const std::vector<uint16_t>& data,
                                                                const Shape& shape,
                                                                const Shape& block) {
  std::vector<std::pair<Region, std::vector<uint16_t>>> blocks;
  for_each_block(shape, block, [&](const Region& r) {
    std::vector<uint16_t> part(r.num_elements());
    copy_box(reinterpret_cast<const std::byte*>(data.data()), shape, r.start,
             reinterpret_cast<std::byte*>(part.data()), r.shape, Shape(r.rank(), 0), r.shape,
             sizeof(uint16_t));
    blocks.emplace_back(r, std::move(part));
  });
  return blocks;
}

// A new uint16 array "a" (or `path`) of `shape` in shards of `shard`, inner chunks of `inner`.
Array sharded_array(const StorePtr& store, const Shape& shape, const Shape& shard,
                    const Shape& inner, const std::string& location = "end",
                    const std::string& path = "a") {
  return Array::create(store, path,
                       sharded_metadata(shape, shard, sharding_codecs(inner, location, true)));
}

std::vector<std::string> chunk_keys(const Store& store) {
  auto keys = store.list("a/c");
  std::sort(keys.begin(), keys.end());
  return keys;
}

// Shards stream to stores that keep the pieces out of memory: a file store in a fresh folder.
class OnFiles {
 protected:
  test::TempDir dir;
  std::shared_ptr<FileStore> store = std::make_shared<FileStore>(dir.path());
};
class StreamingWriterOnFiles : public OnFiles, public ::testing::Test {};

class StreamingLayouts : public OnFiles, public ::testing::TestWithParam<std::string> {};

// Blocks in any order make shards of the same inner chunks as one write of the whole array (in
// the order they arrived: the same size, the same voxels); each shard is stored as soon as its
// last inner chunk arrives, and nothing is left open after.
TEST_P(StreamingLayouts, BlocksInAnyOrderMakeTheShardsOfAWholeWrite) {
  const Shape shape{20, 13};  // partial shards and inner chunks along both edges
  const Json codecs = sharding_codecs({4, 3}, GetParam(), true);
  auto data = pattern(product(shape), 3);
  std::fill(data.begin(), data.begin() + 4 * 13, uint16_t{0});  // fill-value inner chunks
  auto whole = std::make_shared<MemoryStore>();
  Array::create(whole, "a", sharded_metadata(shape, {8, 12}, codecs))
      .write(Region::whole(shape), data.data());

  StreamingWriter writer(Array::create(store, "a", sharded_metadata(shape, {8, 12}, codecs)));
  EXPECT_EQ(writer.write_unit(), (Shape{4, 3}));
  auto blocks = blocks_of(data, shape, {4, 6});
  std::shuffle(blocks.begin(), blocks.end(), std::mt19937(1));
  for (const auto& [region, part] : blocks) writer.write(region, part.data());
  EXPECT_EQ(writer.open_bytes(), 0u);
  EXPECT_EQ(chunk_keys(*store), chunk_keys(*whole));  // stored before finish()
  writer.finish();
  for (const auto& key : chunk_keys(*whole))
    EXPECT_EQ(store->get(key)->size(), whole->get(key)->size()) << key;
  std::vector<uint16_t> back(data.size());
  Array::open(store, "a").read(Region::whole(shape), back.data());
  EXPECT_EQ(back, data);
}

INSTANTIATE_TEST_SUITE_P(IndexLocations, StreamingLayouts, ::testing::Values("end", "start"));

TEST_F(StreamingWriterOnFiles, HoldsOnlyTheShardsStillOpen) {
  const Shape shape{16, 16};
  StreamingWriter writer(sharded_array(store, shape, {8, 16}, {4, 4}));
  auto data = pattern(product(shape), 5);
  auto blocks = blocks_of(data, shape, {4, 8});  // four blocks per shard, shard by shard
  for (size_t i = 0; i < blocks.size(); ++i) {
    writer.write(blocks[i].first, blocks[i].second.data());
    const bool shard_done = i % 4 == 3;
    EXPECT_EQ(writer.open_bytes() == 0, shard_done) << "block " << i;
    EXPECT_EQ(store->exists("a/c/" + std::to_string(i / 4) + "/0"), shard_done) << "block " << i;
  }
}

TEST_F(StreamingWriterOnFiles, FinishStoresOpenShardsWithTheRestAsFillValue) {
  const Shape shape{8, 8};
  StreamingWriter writer(sharded_array(store, shape, {8, 8}, {4, 4}));
  std::vector<uint16_t> block(16, 7);
  writer.write(Region{{4, 0}, {4, 4}}, block.data());
  EXPECT_FALSE(store->exists("a/c/0/0"));
  writer.finish();
  std::vector<uint16_t> back(64);
  Array::open(store, "a").read(Region::whole(shape), back.data());
  for (uint64_t i = 0; i < 64; ++i) EXPECT_EQ(back[i], (i / 8 >= 4 && i % 8 < 4) ? 7 : 0) << i;
  // A shard whose every inner chunk is the fill value is not stored at all.
  StreamingWriter empty(sharded_array(store, shape, {8, 8}, {4, 4}, "end", "b"));
  std::vector<uint16_t> zeros(64, 0);
  empty.write(Region::whole(shape), zeros.data());
  empty.finish();
  EXPECT_TRUE(store->list("b/c").empty());
}

TEST_F(StreamingWriterOnFiles, RegionsOfPartInnerChunksAreRefused) {
  StreamingWriter writer(sharded_array(store, {10, 10}, {8, 8}, {4, 4}));
  std::vector<uint16_t> block(100, 1);
  EXPECT_THROW(writer.write(Region{{2, 0}, {4, 4}}, block.data()), UsageError);
  EXPECT_THROW(writer.write(Region{{0, 0}, {4, 6}}, block.data()), UsageError);
  // Up to the array's edge is whole: the last inner chunks are cut by it.
  EXPECT_NO_THROW(writer.write(Region{{8, 8}, {2, 2}}, block.data()));
  // An inner chunk of an open shard is in the shard's value already: it cannot be replaced.
  writer.write(Region{{0, 0}, {4, 4}}, block.data());
  EXPECT_THROW(writer.write(Region{{0, 0}, {4, 4}}, block.data()), UsageError);
}

// On a file store an open shard is a temporary file, not memory; a writer that is unwinding
// (destroyed without finish()) leaves no shard and no temporary behind.
TEST_F(StreamingWriterOnFiles, OpenShardsAreTemporaryFilesDroppedOnError) {
  Array a = sharded_array(store, {8, 8}, {8, 8}, {4, 4}, "start");
  std::vector<uint16_t> block(16, 7);
  {
    StreamingWriter writer(a);
    writer.write(Region{{0, 4}, {4, 4}}, block.data());
    EXPECT_GT(writer.open_bytes(), 0u);
    EXPECT_FALSE(store->exists("a/c/0/0"));
  }
  size_t files = 0;
  for (auto& e : std::filesystem::recursive_directory_iterator(dir.path()))
    files += e.is_regular_file();
  EXPECT_EQ(files, 1u);  // a/zarr.json
  StreamingWriter writer(a);
  auto data = pattern(64, 2);
  for (const auto& [region, part] : blocks_of(data, {8, 8}, {4, 4}))
    writer.write(region, part.data());
  std::vector<uint16_t> back(64);
  a.read(Region::whole({8, 8}), back.data());
  EXPECT_EQ(back, data);
}

// A walk may leave a shard open for each shard across a plane (blocks thinner than the shards):
// thousands on a large image. Open shards hold no file descriptor between writes, so they do not
// run out of them (here 200 open shards under a limit of 64 descriptors).
TEST_F(StreamingWriterOnFiles, ManyOpenShardsNeedNoDescriptorEach) {
  const Shape shape{8, 800};
  Array a = sharded_array(store, shape, {8, 4}, {4, 4});
  auto data = pattern(product(shape), 6);
  auto rows = blocks_of(data, shape, {4, 800});
  rlimit saved{};
  ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &saved), 0);
  rlimit low = saved;
  low.rlim_cur = 64;
  ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &low), 0);
  StreamingWriter writer(a);
  std::string error;
  try {
    writer.write(rows[0].first, rows[0].second.data());  // the top half of every shard
    EXPECT_EQ(store->list("a/c").size(), 0u);
    writer.write(rows[1].first, rows[1].second.data());
  } catch (const std::exception& e) {
    error = e.what();
  }
  setrlimit(RLIMIT_NOFILE, &saved);
  ASSERT_EQ(error, "");
  EXPECT_EQ(store->list("a/c").size(), 200u);
  std::vector<uint16_t> back(data.size());
  a.read(Region::whole(shape), back.data());
  EXPECT_EQ(back, data);
}

TEST_F(StreamingWriterOnFiles, ThreadsWritingAtOnceLoseNothing) {
  const Shape shape{64, 64};
  StreamingWriter writer(sharded_array(store, shape, {32, 32}, {4, 4}));
  auto data = pattern(product(shape), 9);
  auto blocks = blocks_of(data, shape, {4, 8});
  std::vector<std::thread> threads;
  for (size_t t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (size_t i = t; i < blocks.size(); i += 4)
        writer.write(blocks[i].first, blocks[i].second.data());
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(writer.open_bytes(), 0u);
  std::vector<uint16_t> back(data.size());
  Array::open(store, "a").read(Region::whole(shape), back.data());
  EXPECT_EQ(back, data);
}

// A store that would hold an open shard's pieces in memory (zip, S3, memory) gets whole shards:
// a walk keeping many shards open would otherwise hold them all.
TEST(StreamingWriter, StoresThatHoldValuesInMemoryGetWholeShards) {
  auto store = std::make_shared<MemoryStore>();
  StreamingWriter writer(sharded_array(store, {16, 16}, {8, 16}, {4, 4}));
  EXPECT_EQ(writer.write_unit(), (Shape{8, 16}));
  auto data = pattern(256, 8);
  for (const auto& [region, part] : blocks_of(data, {16, 16}, writer.write_unit()))
    writer.write(region, part.data());
  writer.finish();
  std::vector<uint16_t> back(data.size());
  writer.array().read(Region::whole({16, 16}), back.data());
  EXPECT_EQ(back, data);
}

TEST_F(StreamingWriterOnFiles, ArraysWithoutPlainShardingAreWrittenInChunks) {
  ArrayMetadata plain = sharded_metadata({16, 12}, {8, 6}, Json());
  plain.codecs = Json::array({Json{{"name", "bytes"}, {"configuration", {{"endian", "little"}}}}});
  StreamingWriter unsharded(Array::create(store, "a", plain));
  EXPECT_EQ(unsharded.write_unit(), (Shape{8, 6}));
  // A transpose before the sharding codec: inner chunks are not boxes of the array.
  Json codecs = Json::array({Json{{"name", "transpose"}, {"configuration", {{"order", {1, 0}}}}}});
  codecs.push_back(sharding_codecs({6, 4}, "end", true)[0]);
  StreamingWriter transposed(
      Array::create(store, "b", sharded_metadata({16, 12}, {8, 12}, codecs)));
  EXPECT_EQ(transposed.write_unit(), (Shape{8, 12}));
  auto data = pattern(16 * 12, 4);
  for (StreamingWriter* w : {&unsharded, &transposed}) {
    for (const auto& [region, part] : blocks_of(data, {16, 12}, w->write_unit()))
      w->write(region, part.data());
    w->finish();
    std::vector<uint16_t> back(data.size());
    w->array().read(Region::whole({16, 12}), back.data());
    EXPECT_EQ(back, data);
  }
}

}  // namespace
