// Listing-driven work on sparse arrays: which chunks are stored, which output chunks they touch,
// and a copy that reads and writes only those (counted on the store), equal to the dense copy.
#include <gtest/gtest.h>

#include <cstring>

#include "counting_store.hpp"
#include "ngff/store/memory_store.hpp"
#include "ngff/zarr/array.hpp"
#include "ngff/zarr/array_spec.hpp"
#include "ngff/zarr/convert.hpp"
#include "ngff/zarr/stored_chunks.hpp"
#include "zarr/sparse_write.hpp"

namespace ngff::zarr {
namespace {

ArrayMetadata metadata(int format, Shape shape, Shape chunks, int fill = 0) {
  ArraySpec s;
  s.zarr_format = format;
  s.shape = std::move(shape);
  s.chunks = std::move(chunks);
  s.dtype = DataType::int16;
  int16_t f = static_cast<int16_t>(fill);
  s.fill_value = FillValue::from_element(&f, DataType::int16);
  return make_array_metadata(s);
}

// A 100 x 90 array of 10 x 10 chunks with three chunks stored (one at the clipped edge).
Array sparse_array(const StorePtr& store, int format) {
  Array a = Array::create(store, "img/0", metadata(format, {100, 95}, {10, 10}));
  std::vector<int16_t> block(100, 7);
  a.write({{0, 0}, {10, 10}}, block.data());
  a.write({{50, 30}, {10, 10}}, block.data());
  std::vector<int16_t> edge(50, 9);
  a.write({{90, 90}, {10, 5}}, edge.data());
  return a;
}

TEST(StoredChunks, BoxesComeFromTheListingClippedToTheArray) {
  for (int format : {2, 3}) {
    auto store = std::make_shared<MemoryStore>();
    Array a = sparse_array(store, format);
    store->set("img/0/notes.txt", Bytes(3));  // not a chunk key: ignored
    auto boxes = stored_chunk_boxes(a);
    ASSERT_TRUE(boxes);
    ASSERT_EQ(boxes->size(), 3u) << "format " << format;
    EXPECT_EQ((*boxes)[0], (Region{{0, 0}, {10, 10}}));
    EXPECT_EQ((*boxes)[1], (Region{{50, 30}, {10, 10}}));
    EXPECT_EQ((*boxes)[2], (Region{{90, 90}, {10, 5}}));
  }
}

TEST(StoredChunks, ChunksTouchingABoxAreListedOnceInCOrder) {
  const Shape shape{100, 100};
  auto touched = chunks_touching(
      shape, {25, 25},
      {Region{{20, 20}, {10, 10}}, Region{{0, 0}, {5, 5}}, Region{{99, 99}, {5, 5}}});
  EXPECT_EQ(touched,
            (std::vector<TouchedChunk>{
                {{0, 0}, {0, 1}}, {{0, 1}, {0}}, {{1, 0}, {0}}, {{1, 1}, {0}}, {{3, 3}, {2}}}));
}

TEST(StoredChunks, ASparseCopyTouchesOnlyTheStoredChunksAndEqualsTheSource) {
  auto src_store = std::make_shared<MemoryStore>();
  Array src = sparse_array(src_store, 3);
  auto dst_store = std::make_shared<test::CountingStore>();
  Array dst = Array::create(dst_store, "out", metadata(2, {100, 95}, {20, 20}));
  uint64_t reported = 0;
  copy_array_data(src, dst, 1 << 20, [&](uint64_t b) { reported += b; });
  EXPECT_EQ(reported, 100u * 95u * 2u);  // the bar completes, skipped chunks included
  // Three output chunks written (each stored chunk lies in one), nothing else.
  size_t chunk_keys = 0;
  for (const auto& key : dst_store->list("out"))
    if (key.find(".z") == std::string::npos) ++chunk_keys;
  EXPECT_EQ(chunk_keys, 3u);
  std::vector<int16_t> a(100 * 95), b(100 * 95);
  src.read({{0, 0}, {100, 95}}, a.data());
  dst.read({{0, 0}, {100, 95}}, b.data());
  EXPECT_EQ(a, b);
}

TEST(StoredChunks, NoSparseWriteIntoAnArrayThatAlreadyHoldsChunks) {
  auto store = std::make_shared<MemoryStore>();
  Array src = sparse_array(store, 3);
  Array dst = Array::create(store, "out", metadata(3, {100, 95}, {10, 10}));
  std::vector<int16_t> old(100, 5);
  dst.write({{70, 70}, {10, 10}}, old.data());
  bool called = false;
  EXPECT_FALSE(write_touched_chunks(
      dst, *stored_chunk_boxes(src), 4, 1 << 20,
      [&](const Region&, const std::vector<Region>&, std::byte*) { called = true; }, nullptr));
  EXPECT_FALSE(called);
  // The dense copy overwrites the old chunk with the source's fill value.
  copy_array_data(src, dst, 1 << 20);
  std::vector<int16_t> v(100);
  dst.read({{70, 70}, {10, 10}}, v.data());
  EXPECT_EQ(v, std::vector<int16_t>(100, 0));
}

TEST(StoredChunks, DifferentFillValuesTakeTheDenseWalk) {
  auto store = std::make_shared<MemoryStore>();
  Array src = sparse_array(store, 3);
  Array dst = Array::create(store, "out", metadata(3, {100, 95}, {10, 10}, 3));
  copy_array_data(src, dst, 1 << 20);
  std::vector<int16_t> v(100);
  dst.read({{30, 30}, {10, 10}}, v.data());  // absent in src: src's fill (0), stored explicitly
  EXPECT_EQ(v, std::vector<int16_t>(100, 0));
}

}  // namespace
}  // namespace ngff::zarr
