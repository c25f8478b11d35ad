#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "fixtures.hpp"
#include "ngff/error.hpp"
#include "ngff/store/file_store.hpp"
#include "ngff/store/memory_store.hpp"
#include "ngff/zarr/array_metadata.hpp"
#include "ngff/zarr/group.hpp"
#include "ngff/zarr/limits.hpp"

using namespace ngff;
using namespace ngff::zarr;

namespace {

// The example of the Zarr v3 core specification, with extras that must survive a round trip.
const char* kV3Example = R"({
  "zarr_format": 3, "node_type": "array", "shape": [10000, 1000],
  "dimension_names": ["rows", "columns"], "data_type": "float64",
  "chunk_grid": {"name": "regular", "configuration": {"chunk_shape": [1000, 100]}},
  "chunk_key_encoding": {"name": "default", "configuration": {"separator": "/"}},
  "codecs": [{"name": "bytes", "configuration": {"endian": "big"}},
             {"name": "gzip", "configuration": {"level": 1}}],
  "fill_value": "NaN",
  "attributes": {"foo": 42, "bar": "apples", "baz": [1, 2, 3, 4]},
  "my_extension": {"must_understand": false, "x": 1}
})";

const char* kV2Example = R"({
  "zarr_format": 2, "shape": [10000, 10000], "chunks": [1000, 1000], "dtype": ">i4",
  "compressor": {"id": "blosc", "cname": "lz4", "clevel": 5, "shuffle": 1},
  "fill_value": null, "order": "F", "filters": [{"id": "zstd", "level": 1}],
  "dimension_separator": "/"
})";

}  // namespace

TEST(ArrayMetadata, V3ParseSerializeIsIdentity) {
  Json doc = Json::parse(kV3Example);
  auto m = ArrayMetadata::from_v3_json(doc, "t");
  EXPECT_EQ(m.shape, (Shape{10000, 1000}));
  EXPECT_EQ(m.chunk_shape, (Shape{1000, 100}));
  EXPECT_EQ(m.dtype, DataType::float64);
  EXPECT_EQ(m.stored_endian(), Endian::big);
  EXPECT_EQ(m.to_json(), doc);
}

TEST(ArrayMetadata, V3KeyEncodingWithoutConfigurationRoundTrips) {
  Json doc = Json::parse(kV3Example);
  doc["chunk_key_encoding"] = {{"name", "v2"}};
  auto m = ArrayMetadata::from_v3_json(doc, "t");
  EXPECT_EQ(m.chunk_key_encoding.separator, '.');
  EXPECT_EQ(m.chunk_key_encoding.encode({1, 2}), "1.2");
  EXPECT_EQ(m.to_json(), doc);
  doc["chunk_key_encoding"] = {{"name", "default"}, {"configuration", {{"separator", "."}}}};
  EXPECT_EQ(ArrayMetadata::from_v3_json(doc, "t").chunk_key_encoding.encode({1, 2}), "c.1.2");
}

TEST(ArrayMetadata, V2ParseSerializeIsIdentity) {
  Json doc = Json::parse(kV2Example);
  Json attrs = {{"a", 1}};
  auto m = ArrayMetadata::from_v2_json(doc, attrs, "t");
  EXPECT_EQ(m.v2_order, 'F');
  EXPECT_EQ(m.v2_endian, Endian::big);
  EXPECT_TRUE(m.fill_value.is_undefined());
  EXPECT_EQ(m.chunk_key_encoding.encode({3, 4}), "3/4");
  EXPECT_EQ(m.to_json(), doc);
  EXPECT_EQ(m.attributes, attrs);
  doc.erase("dimension_separator");
  auto dotted = ArrayMetadata::from_v2_json(doc, nullptr, "t");
  EXPECT_EQ(dotted.chunk_key_encoding.encode({3, 4}), "3.4");
  EXPECT_EQ(dotted.to_json(), doc);
}

TEST(ArrayMetadata, V2CodecsTranslateToV3) {
  auto m = ArrayMetadata::from_v2_json(Json::parse(kV2Example), nullptr, "t");
  Json codecs = m.codecs_as_v3();
  ASSERT_EQ(codecs.size(), 4u);
  EXPECT_EQ(codecs[0]["name"], "transpose");
  EXPECT_EQ(codecs[0]["configuration"]["order"], Json::parse("[1, 0]"));
  EXPECT_EQ(codecs[1]["configuration"]["endian"], "big");
  EXPECT_EQ(codecs[2]["name"], "zstd");
  EXPECT_EQ(codecs[3]["name"], "blosc");
  EXPECT_EQ(codecs[3]["configuration"]["typesize"], 4);
}

TEST(ArrayMetadata, ZeroDimensional) {
  Json doc = Json::parse(kV3Example);
  doc["shape"] = Json::array();
  doc["chunk_grid"]["configuration"]["chunk_shape"] = Json::array();
  doc.erase("dimension_names");
  auto m = ArrayMetadata::from_v3_json(doc, "t");
  EXPECT_EQ(m.rank(), 0u);
  EXPECT_EQ(m.chunk_key_encoding.encode({}), "c");
  EXPECT_EQ(m.to_json(), doc);
}

TEST(ArrayMetadata, ErrorsNameTheFieldAndDocument) {
  auto expect_error = [](const Json& doc, const std::string& needle) {
    try {
      ArrayMetadata::from_v3_json(doc, "file:///d/zarr.json");
      ADD_FAILURE() << "no error for " << doc.dump();
    } catch (const MetadataError& e) {
      std::string what = e.what();
      EXPECT_NE(what.find("file:///d/zarr.json"), std::string::npos) << what;
      EXPECT_NE(what.find(needle), std::string::npos) << what;
    }
  };
  Json base = Json::parse(kV3Example);
  Json d = base;
  d.erase("shape");
  expect_error(d, "'shape'");
  d = base;
  d["data_type"] = "uint12";
  expect_error(d, "uint12");
  d = base;
  d["chunk_grid"]["configuration"]["chunk_shape"] = {10};
  expect_error(d, "dimensions");
  d = base;
  d["zarr_format"] = 4;
  expect_error(d, "zarr_format");
  d = base;
  d["surprise"] = 1;
  expect_error(d, "surprise");
  d = base;
  d["dimension_names"] = {"a"};
  expect_error(d, "dimension_names");
  d = base;
  d["fill_value"] = nullptr;
  expect_error(d, "fill_value");
  Json v2 = Json::parse(kV2Example);
  v2["dtype"] = "<U8";
  EXPECT_THROW(ArrayMetadata::from_v2_json(v2, nullptr, "t"), MetadataError);
}

namespace {
std::string read_text(const std::filesystem::path& p) {
  std::ifstream f(p);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}
}  // namespace

// Every zarr.json of the OME-NGFF 0.6-dev conformance corpus opens as a group whose attributes
// equal the document's, and rewriting it gives back the same document.
TEST(GroupMetadata, SpecFixturesParseAndRoundTrip) {
  NGFF_SKIP_WITHOUT_SPEC_FIXTURES();
  namespace fs = std::filesystem;
  fs::path root = *test::spec_fixtures() / "0.6-dev/tests/zarr";
  size_t count = 0;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (entry.path().filename() != "zarr.json") continue;
    auto store = std::make_shared<FileStore>(entry.path().parent_path(), true);
    Json doc = Json::parse(read_text(entry.path()), nullptr, /*allow_exceptions=*/false);
    if (doc.is_discarded()) {  // a few "invalid" cases are not JSON at all
      EXPECT_THROW(Group::open(store, ""), MetadataError) << entry.path();
      continue;
    }
    if (doc.value("node_type", "") != "group") continue;
    Group g = Group::open(store, "");
    EXPECT_EQ(g.zarr_format(), 3);
    EXPECT_EQ(g.attributes(), doc["attributes"]) << entry.path();
    auto memory = std::make_shared<MemoryStore>();
    Group::create(memory, "copy", 3, g.attributes());
    Json rewritten = parse_json(*memory->get("copy/zarr.json"), "copy");
    EXPECT_EQ(rewritten, doc) << entry.path();
    ++count;
  }
  EXPECT_GT(count, 50u);
}

#include "ngff/zarr/array_spec.hpp"
#include "ngff/zarr/node_summary.hpp"

// A classic pitfall (docs/architecture.md): a v2 array whose chunks were written under the other
// separator silently reads as fill value; `info` must say so.
TEST(NodeSummary, WarnsWhenNoKeyMatchesTheSeparator) {
  auto store = std::make_shared<MemoryStore>();
  ArraySpec s;
  s.zarr_format = 2;
  s.shape = {4, 4};
  s.chunks = {2, 2};
  s.dtype = DataType::uint8;
  s.separator = '.';
  Array a = Array::create(store, "a", make_array_metadata(s));
  store->set("a/0/0", as_bytes("xxxx"));  // written with '/' by someone else
  store->set("a/1/1", as_bytes("xxxx"));
  Json j = summarize_array(a);
  EXPECT_EQ(j["chunks_stored"], 0);
  EXPECT_EQ(j["other_keys"], 2);
  ASSERT_EQ(j["warnings"].size(), 1u);
  EXPECT_NE(j["warnings"][0].get<std::string>().find("separator"), std::string::npos);
  store->set("a/0.0", as_bytes("xxxx"));
  EXPECT_TRUE(summarize_array(a)["warnings"].empty());
}

// Shapes and chunk shapes whose products overflow, and chunks above the configurable limit, are
// refused when the metadata is parsed (the numbers never reach an allocation).
TEST(ArrayMetadataLimits, OverflowingProductsAndHugeChunksAreMetadataErrors) {
  auto v3 = [](const std::string& shape, const std::string& chunks, const std::string& dtype) {
    return Json::parse(R"({"zarr_format": 3, "node_type": "array", "shape": )" + shape +
                       R"(, "data_type": ")" + dtype +
                       R"(", "chunk_grid": {"name": "regular", "configuration": {"chunk_shape": )" +
                       chunks +
                       R"(}}, "chunk_key_encoding": {"name": "default"}, "fill_value": 0,
                          "codecs": [{"name": "bytes", "configuration": {"endian": "little"}}]})");
  };
  auto message = [](const Json& doc) -> std::string {
    try {
      (void)ArrayMetadata::from_v3_json(doc, "big/zarr.json");
    } catch (const MetadataError& e) {
      return e.what();
    }
    return "";
  };
  // 2^64 elements: overflows.
  EXPECT_NE(message(v3("[4294967296, 4294967296]", "[1, 1]", "uint8")).find("2^64"),
            std::string::npos);
  // A chunk of 2^33 x 2^33 uint8 elements overflows; 2^20 x 2^20 float64 (8 TiB) is too big.
  EXPECT_NE(
      message(v3("[8589934592, 8589934592]", "[8589934592, 8589934592]", "uint8")).find("2^64"),
      std::string::npos);
  const std::string huge = message(v3("[1048576, 1048576]", "[1048576, 1048576]", "float64"));
  EXPECT_NE(huge.find("big/zarr.json: a chunk of [1048576,1048576] float64"), std::string::npos)
      << huge;
  EXPECT_NE(huge.find("NGFF_MAX_CHUNK_BYTES"), std::string::npos) << huge;
  // A huge array of modest chunks is fine; the limit is configurable.
  EXPECT_EQ(message(v3("[4294967296, 4294967295]", "[1024, 1024]", "uint8")), "");
  const Json mib4 = v3("[4096, 1024]", "[4096, 1024]", "uint8");
  EXPECT_EQ(message(mib4), "");
  set_max_chunk_bytes(uint64_t{1} << 20);
  EXPECT_NE(message(mib4).find("more than the limit of 1048576"), std::string::npos);
  set_max_chunk_bytes(0);  // back to the default
  EXPECT_EQ(message(mib4), "");
  // v2 too.
  EXPECT_THROW((void)ArrayMetadata::from_v2_json(
                   Json::parse(R"({"zarr_format": 2, "shape": [1, 1], "dtype": "<f8",
                                   "chunks": [4294967296, 4294967296], "order": "C",
                                   "fill_value": 0, "compressor": null, "filters": null})"),
                   nullptr, "t"),
               MetadataError);
}
