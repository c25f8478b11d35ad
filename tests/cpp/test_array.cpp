#include <gtest/gtest.h>

#include <numeric>
#include <random>

#include "ngff/error.hpp"
#include "ngff/store/memory_store.hpp"
#include "ngff/zarr/array.hpp"
#include "ngff/zarr/array_spec.hpp"
#include "ngff/zarr/codec_spelling.hpp"

using namespace ngff;
using namespace ngff::zarr;

namespace {

ArrayMetadata spec_metadata(int format, Shape shape, Shape chunks, DataType t,
                            const std::string& codec = "zstd:1") {
  ArraySpec s;
  s.zarr_format = format;
  s.shape = std::move(shape);
  s.chunks = std::move(chunks);
  s.dtype = t;
  s.compression = parse_codec_spelling(codec, t);
  return make_array_metadata(s);
}

// The C-order flat index of `idx` in `shape`.
uint64_t flat(const Shape& idx, const Shape& shape) {
  uint64_t f = 0;
  for (size_t i = 0; i < shape.size(); ++i) f = f * shape[i] + idx[i];
  return f;
}

// Extracts `r` from a full C-order array.
std::vector<int32_t> crop(const std::vector<int32_t>& full, const Shape& shape, const Region& r) {
  std::vector<int32_t> out;
  Shape idx = r.start;
  if (r.num_elements() == 0) return out;
  while (true) {
    out.push_back(full[flat(idx, shape)]);
    size_t d = shape.size();
    while (d-- > 0) {
      if (++idx[d] < r.start[d] + r.shape[d]) break;
      idx[d] = r.start[d];
    }
    if (d == static_cast<size_t>(-1)) return out;
  }
}

class ArrayRoundTrip : public ::testing::TestWithParam<int> {};

TEST_P(ArrayRoundTrip, RandomRegionsMatchAReference) {
  auto store = std::make_shared<MemoryStore>();
  Shape shape{13, 17, 9};
  Array a = Array::create(store, "a", spec_metadata(GetParam(), shape, {4, 5, 3}, DataType::int32));
  std::vector<int32_t> reference(product(shape), 0);
  std::mt19937 rng(42);
  for (int round = 0; round < 40; ++round) {
    Region r{Shape(3), Shape(3)};
    for (size_t d = 0; d < 3; ++d) {
      r.start[d] = rng() % shape[d];
      r.shape[d] = 1 + rng() % (shape[d] - r.start[d]);
    }
    std::vector<int32_t> values(r.num_elements());
    for (auto& v : values) v = static_cast<int32_t>(rng() % 1000);
    a.write(r, values.data());
    // Update the reference the slow way.
    Shape idx = r.start;
    for (const int32_t value : values) {
      reference[flat(idx, shape)] = value;
      size_t d = 3;
      while (d-- > 0) {
        if (++idx[d] < r.start[d] + r.shape[d]) break;
        idx[d] = r.start[d];
      }
    }
    Region q{Shape(3), Shape(3)};
    for (size_t d = 0; d < 3; ++d) {
      q.start[d] = rng() % shape[d];
      q.shape[d] = 1 + rng() % (shape[d] - q.start[d]);
    }
    std::vector<int32_t> got(q.num_elements());
    Array::open(store, "a").read(q, got.data());
    ASSERT_EQ(got, crop(reference, shape, q)) << "round " << round << " region " << q.to_string();
  }
}

INSTANTIATE_TEST_SUITE_P(Formats, ArrayRoundTrip, ::testing::Values(2, 3),
                         [](const auto& param_info) {
                           return "zarr_v" + std::to_string(param_info.param);
                         });

TEST(Array, MissingChunksReadAsFillValueAndFillChunksAreErased) {
  auto store = std::make_shared<MemoryStore>();
  ArraySpec s;
  s.shape = {10};
  s.chunks = {4};
  s.dtype = DataType::uint16;
  uint16_t fill = 9;
  s.fill_value = FillValue::from_element(&fill, DataType::uint16);
  Array a = Array::create(store, "", make_array_metadata(s));
  std::vector<uint16_t> got(10);
  a.read(Region::whole(a.shape()), got.data());
  EXPECT_EQ(got, std::vector<uint16_t>(10, 9));
  std::vector<uint16_t> v(10);
  std::iota(v.begin(), v.end(), 0);
  a.write(Region::whole(a.shape()), v.data());
  EXPECT_EQ(store->list("c").size(), 3u);
  std::vector<uint16_t> nines(4, 9);
  a.write({{4}, {4}}, nines.data());
  EXPECT_FALSE(store->exists("c/1")) << "a chunk equal to the fill value is erased";
  a.read(Region::whole(a.shape()), got.data());
  EXPECT_EQ(got, (std::vector<uint16_t>{0, 1, 2, 3, 9, 9, 9, 9, 8, 9}));
}

TEST(Array, EdgeChunksArePaddedWithFillValue) {
  auto store = std::make_shared<MemoryStore>();
  Array a = Array::create(store, "", spec_metadata(3, {5}, {4}, DataType::uint8, "raw"));
  std::vector<uint8_t> v{1, 2, 3, 4, 5};
  a.write(Region::whole(a.shape()), v.data());
  auto edge = store->get("c/1");
  ASSERT_TRUE(edge);
  ASSERT_EQ(edge->size(), 4u) << "edge chunks are stored at the full chunk shape";
  EXPECT_EQ(std::to_integer<int>((*edge)[0]), 5);
  EXPECT_EQ(std::to_integer<int>((*edge)[3]), 0);
}

TEST(Array, ZeroDimensionalAndZeroSize) {
  auto store = std::make_shared<MemoryStore>();
  for (int format : {2, 3}) {
    std::string p = "scalar" + std::to_string(format);
    Array s = Array::create(store, p, spec_metadata(format, {}, {}, DataType::float64));
    double v = 2.5, got = 0;
    s.write(Region{}, &v);
    Array::open(store, p).read(Region{}, &got);
    EXPECT_EQ(got, 2.5);
    EXPECT_TRUE(store->exists(p + (format == 3 ? "/c" : "/0")));
  }
  Array empty = Array::create(store, "empty", spec_metadata(3, {0, 5}, {2, 2}, DataType::int8));
  empty.read(Region::whole(empty.shape()), nullptr);
  empty.write(Region::whole(empty.shape()), nullptr);
  EXPECT_TRUE(store->list("empty/c").empty());
}

TEST(Array, V2FortranOrderStoresTransposedChunks) {
  auto store = std::make_shared<MemoryStore>();
  ArrayMetadata m = spec_metadata(2, {2, 3}, {2, 3}, DataType::uint8, "raw");
  m.v2_order = 'F';
  Array a = Array::create(store, "", m);
  std::vector<uint8_t> v{0, 1, 2, 3, 4, 5};
  a.write(Region::whole(a.shape()), v.data());
  auto raw = *store->get("0/0");
  std::vector<int> bytes;
  bytes.reserve(raw.size());
  for (auto b : raw) bytes.push_back(std::to_integer<int>(b));
  EXPECT_EQ(bytes, (std::vector<int>{0, 3, 1, 4, 2, 5}));
  std::vector<uint8_t> got(6);
  Array::open(store, "").read(Region::whole(a.shape()), got.data());
  EXPECT_EQ(got, v);
}

TEST(Array, TransposeThatIsNotItsOwnInverse) {
  auto store = std::make_shared<MemoryStore>();
  ArrayMetadata m = spec_metadata(3, {2, 3, 4}, {2, 3, 4}, DataType::uint8, "raw");
  m.codecs = Json::parse(R"([{"name": "transpose", "configuration": {"order": [1, 2, 0]}},
                              {"name": "bytes"}])");
  Array a = Array::create(store, "", m);
  std::vector<uint8_t> v(24);
  std::iota(v.begin(), v.end(), 0);
  a.write(Region::whole(a.shape()), v.data());
  auto raw = *store->get("c/0/0/0");
  // Encoded shape (3, 4, 2): encoded[j][k][i] = decoded[i][j][k] = 12 i + 4 j + k.
  for (uint64_t j = 0; j < 3; ++j)
    for (uint64_t k = 0; k < 4; ++k)
      for (uint64_t i = 0; i < 2; ++i)
        ASSERT_EQ(std::to_integer<uint64_t>(raw[(j * 4 + k) * 2 + i]), 12 * i + 4 * j + k);
  std::vector<uint8_t> got(24);
  a.read(Region::whole(a.shape()), got.data());
  EXPECT_EQ(got, v);
}

TEST(Array, BigEndianChunksAreSwapped) {
  auto store = std::make_shared<MemoryStore>();
  ArraySpec s;
  s.shape = {2};
  s.chunks = {2};
  s.dtype = DataType::uint16;
  s.endian = Endian::big;
  Array a = Array::create(store, "", make_array_metadata(s));
  std::vector<uint16_t> v{0x0102, 0x0304};
  a.write(Region::whole(a.shape()), v.data());
  auto raw = *store->get("c/0");
  EXPECT_EQ(std::to_integer<int>(raw[0]), 1);
  EXPECT_EQ(std::to_integer<int>(raw[1]), 2);
  std::vector<uint16_t> got(2);
  a.read(Region::whole(a.shape()), got.data());
  EXPECT_EQ(got, v);
}

TEST(Array, CorruptAndTruncatedChunksGiveCodecErrorsNamingTheKey) {
  auto store = std::make_shared<MemoryStore>("memory://t");
  Array a = Array::create(store, "arr", spec_metadata(3, {8}, {8}, DataType::uint32, "zstd"));
  std::vector<uint32_t> v(8, 5);
  a.write(Region::whole(a.shape()), v.data());
  Bytes chunk = *store->get("arr/c/0");
  store->set("arr/c/0", ByteView(chunk.data(), chunk.size() / 2));
  try {
    a.read(Region::whole(a.shape()), v.data());
    FAIL();
  } catch (const CodecError& e) {
    EXPECT_NE(std::string(e.what()).find("arr/c/0"), std::string::npos) << e.what();
  }
  Array raw = Array::create(store, "raw", spec_metadata(3, {8}, {8}, DataType::uint32, "raw"));
  store->set("raw/c/0", as_bytes("short"));
  EXPECT_THROW(raw.read(Region::whole(raw.shape()), v.data()), CodecError);
}

TEST(Array, UnknownCodecAndMissingArray) {
  auto store = std::make_shared<MemoryStore>();
  ArrayMetadata m = spec_metadata(3, {4}, {4}, DataType::uint8, "raw");
  Json doc = m.to_json();
  doc["codecs"].push_back({{"name", "mystery"}});
  store->set("x/zarr.json", as_bytes(doc.dump()));
  EXPECT_THROW(Array::open(store, "x"), CodecError);
  EXPECT_THROW(Array::open(store, "nothing"), KeyNotFound);
  store->set("bad/zarr.json", as_bytes("{\"zarr_format\": 3,"));
  EXPECT_THROW(Array::open(store, "bad"), MetadataError);
}

TEST(Array, CreateRefusesToOverwriteAndValidatesFirst) {
  auto store = std::make_shared<MemoryStore>();
  ArrayMetadata m = spec_metadata(3, {4}, {4}, DataType::uint8, "raw");
  Array::create(store, "a", m);
  EXPECT_THROW(Array::create(store, "a", m), StoreError);
  EXPECT_NO_THROW(Array::create(store, "a", m, /*overwrite=*/true));
  ArrayMetadata bad = m;
  bad.codecs = Json::parse(R"([{"name": "gzip"}, {"name": "bytes"}])");
  EXPECT_THROW(Array::create(store, "b", bad), MetadataError);
  EXPECT_FALSE(store->exists("b/zarr.json")) << "nothing is written for invalid metadata";
}

TEST(Array, OutOfBoundsRegionIsAUsageError) {
  auto store = std::make_shared<MemoryStore>();
  Array a = Array::create(store, "", spec_metadata(3, {4, 4}, {2, 2}, DataType::uint8));
  std::vector<uint8_t> buf(100);
  EXPECT_THROW(a.read({{3, 0}, {2, 1}}, buf.data()), UsageError);
  EXPECT_THROW(a.read({{0}, {1}}, buf.data()), UsageError);
}

}  // namespace

namespace {

TEST(ChunkKeyEncoding, DecodeInvertsEncode) {
  ChunkKeyEncoding d{ChunkKeyEncoding::Kind::default_, '/', true};
  ChunkKeyEncoding v2{ChunkKeyEncoding::Kind::v2, '.', true};
  for (const auto& e : {d, v2}) {
    EXPECT_EQ(e.decode(e.encode({1, 22, 333}), 3), (Shape{1, 22, 333}));
    EXPECT_EQ(e.decode(e.encode({}), 0), Shape{});
    EXPECT_FALSE(e.decode(e.encode({1, 2}), 3));
  }
  EXPECT_FALSE(d.decode("c.1.2", 2)) << "another separator is not this encoding's key";
  EXPECT_FALSE(v2.decode("1/2", 2));
  EXPECT_FALSE(v2.decode("1.x", 2));
}

}  // namespace
