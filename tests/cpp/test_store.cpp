// One conformance suite for every store (as tensorstore and zarr-python do): each store kind
// runs the same tests.
#include <gtest/gtest.h>

#include <filesystem>
#include <functional>

#include "ngff/error.hpp"
#include "ngff/store/caching_store.hpp"
#include "ngff/store/file_store.hpp"
#include "ngff/store/memory_store.hpp"
#include "ngff/store/open_store.hpp"
#include "ngff/store/zip_store.hpp"
#include "store/key.hpp"
#include "temp_dir.hpp"

using namespace ngff;

namespace {

struct StoreFactory {
  std::string name;
  std::function<StorePtr(const std::filesystem::path&)> make;
};

// gtest lists and reports the parameter by its name, not as a dump of its bytes.
void PrintTo(const StoreFactory& factory, std::ostream* os) {
  *os << factory.name;
}

class StoreConformance : public ::testing::TestWithParam<StoreFactory> {
 protected:
  void SetUp() override { store = GetParam().make(dir.path()); }
  test::TempDir dir;
  StorePtr store;
};

std::string str(const std::optional<Bytes>& b) {
  return b ? std::string(as_string_view(*b)) : std::string("<missing>");
}

TEST_P(StoreConformance, SetGetErase) {
  EXPECT_FALSE(store->get("a/b").has_value());
  EXPECT_FALSE(store->exists("a/b"));
  store->set("a/b", as_bytes("hello"));
  EXPECT_EQ(str(store->get("a/b")), "hello");
  EXPECT_TRUE(store->exists("a/b"));
  EXPECT_EQ(store->size("a/b"), 5u);
  store->set("a/b", as_bytes("bye"));
  EXPECT_EQ(str(store->get("a/b")), "bye");
  store->erase("a/b");
  EXPECT_FALSE(store->get("a/b").has_value());
  store->erase("a/b");  // erasing a missing key is fine
}

TEST_P(StoreConformance, EmptyValue) {
  store->set("empty", {});
  auto v = store->get("empty");
  ASSERT_TRUE(v.has_value());
  EXPECT_TRUE(v->empty());
}

// A value written in pieces (a shard as its inner chunks arrive) is nothing until committed,
// then the whole of it; one dropped uncommitted leaves nothing behind.
TEST_P(StoreConformance, ValuesWrittenInPiecesAppearWholeOnCommit) {
  store->set("v", as_bytes("old"));
  auto value = store->begin_value("v");
  value->write_at(as_bytes("world"), 6);
  value->write_at(as_bytes("hello "), 0);
  EXPECT_EQ(str(store->get("v")), "old");
  value->commit();
  EXPECT_EQ(str(store->get("v")), "hello world");
  store->begin_value("dropped")->write_at(as_bytes("partial"), 0);
  EXPECT_FALSE(store->exists("dropped"));
  EXPECT_EQ(store->list(""), std::vector<std::string>{"v"});
}

TEST_P(StoreConformance, GetRange) {
  store->set("k", as_bytes("0123456789"));
  EXPECT_EQ(str(store->get_range("k", {2, 3})), "234");
  EXPECT_EQ(str(store->get_range("k", {8, 100})), "89");
  EXPECT_EQ(str(store->get_range("k", {20, 5})), "");
  EXPECT_FALSE(store->get_range("missing", {0, 1}).has_value());
}

TEST_P(StoreConformance, GetMany) {
  store->set("x", as_bytes("1"));
  auto v = store->get_many({"x", "y"});
  ASSERT_EQ(v.size(), 2u);
  EXPECT_EQ(str(v[0]), "1");
  EXPECT_FALSE(v[1].has_value());
}

TEST_P(StoreConformance, ListAndListDir) {
  store->set("g/a/zarr.json", as_bytes("{}"));
  store->set("g/a/c/0/0", as_bytes("x"));
  store->set("g/b", as_bytes("y"));
  store->set("h", as_bytes("z"));
  EXPECT_EQ(store->list("g"), (std::vector<std::string>{"g/a/c/0/0", "g/a/zarr.json", "g/b"}));
  EXPECT_EQ(store->list(""), (std::vector<std::string>{"g/a/c/0/0", "g/a/zarr.json", "g/b", "h"}));
  EXPECT_EQ(store->list_dir("g"), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(store->list_dir(""), (std::vector<std::string>{"g", "h"}));
  EXPECT_TRUE(store->list("nothing").empty());
  store->erase_prefix("g/a");
  EXPECT_EQ(store->list("g"), (std::vector<std::string>{"g/b"}));
}

// Keys that could name something outside the store, or mean different things to different
// stores and servers: every operation refuses them before touching anything.
const std::vector<std::string>& hostile_keys() {
  static const std::vector<std::string> keys = {
      "../escape",
      "a/../../b",
      "..",
      ".",
      "/abs",
      "/etc/passwd",
      "a//b",
      "a/./b",
      "a\\b",
      "..\\..\\x",
      "a/",
      std::string("a\0b", 3),
      std::string("\0", 1),
      "a\nb",
      "a\rb",
      "tab\there",
      "del\x7f",
      "\xC0\xAE\xC0\xAE/x",  // overlong "..": a '.' to lenient decoders
      "\xE0\x80\xAE",        // overlong '.' in three bytes
      "\xC0\xAF",            // overlong '/'
      "\xED\xA0\x80",        // a UTF-16 surrogate
      "\xF4\x90\x80\x80",    // above U+10FFFF
      "\xFF\xFE",
      std::string("a\x80") + "b",
      "trunc\xE2\x82",  // stray and truncated bytes
      std::string(300, '/'),
  };
  return keys;
}

TEST_P(StoreConformance, HostileKeysAreRejected) {
  for (const std::string& key : hostile_keys()) {
    EXPECT_THROW(store->set(key, as_bytes("x")), InvalidKey) << key;
    EXPECT_THROW(store->get(key), InvalidKey) << key;
    EXPECT_THROW(store->get_range(key, {0, 1}), InvalidKey) << key;
    EXPECT_THROW(store->exists(key), InvalidKey) << key;
    EXPECT_THROW(store->size(key), InvalidKey) << key;
    EXPECT_THROW(store->erase(key), InvalidKey) << key;
    EXPECT_THROW(store->list(key), InvalidKey) << key;
  }
  EXPECT_TRUE(store->list("").empty()) << "nothing may be written by a rejected key";
  // Odd but well-formed Unicode is a name like any other, inside the store.
  for (const char* key :
       {"caf\xC3\xA9/\xE2\x88\x95x", "\xEF\xBC\x8E\xEF\xBC\x8E", "\xF0\x9F\x94\xAC"}) {
    store->set(key, as_bytes("ok"));
    EXPECT_EQ(str(store->get(key)), "ok") << key;
  }
  EXPECT_EQ(store->list("").size(), 3u);
}

INSTANTIATE_TEST_SUITE_P(
    AllStores, StoreConformance,
    ::testing::Values(StoreFactory{"file",
                                   [](const std::filesystem::path& p) -> StorePtr {
                                     return std::make_shared<FileStore>(p / "root");
                                   }},
                      StoreFactory{"memory",
                                   [](const std::filesystem::path&) -> StorePtr {
                                     return std::make_shared<MemoryStore>();
                                   }},
                      StoreFactory{"zip",
                                   [](const std::filesystem::path& p) -> StorePtr {
                                     return ZipStore::create(p / "s.ozx");
                                   }},
                      StoreFactory{"cached_file",
                                   [](const std::filesystem::path& p) -> StorePtr {
                                     return std::make_shared<CachingStore>(
                                         std::make_shared<FileStore>(p / "root"));
                                   }}),
    [](const auto& param_info) { return param_info.param.name; });

// HTTP and S3 stores refuse the same keys before any request (the endpoints here listen on
// nothing: a request would fail with StoreError, not InvalidKey).
TEST(HostileKeys, RemoteStoresRefuseThemBeforeAnyRequest) {
  setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:9", 1);
  setenv("AWS_ACCESS_KEY_ID", "test", 1);
  setenv("AWS_SECRET_ACCESS_KEY", "test", 1);
  setenv("NGFF_HTTP_RETRIES", "0", 1);
  auto http = open_store("http://127.0.0.1:9/img.zarr").store;
  auto s3 = open_store("s3://bucket/img.zarr", OpenMode::write).store;
  for (const std::string& key : hostile_keys()) {
    EXPECT_THROW(http->get(key), InvalidKey) << key;
    EXPECT_THROW(http->get_range(key, {0, 1}), InvalidKey) << key;
    EXPECT_THROW(s3->get(key), InvalidKey) << key;
    EXPECT_THROW(s3->set(key, as_bytes("x")), InvalidKey) << key;
    EXPECT_THROW(s3->erase(key), InvalidKey) << key;
  }
  unsetenv("NGFF_HTTP_RETRIES");
  unsetenv("AWS_ENDPOINT_URL");
  unsetenv("AWS_ACCESS_KEY_ID");
  unsetenv("AWS_SECRET_ACCESS_KEY");
}

// The symlink policy of local stores (docs/reliability.md): linked folders are read, listed and
// written through (datasets share chunk folders), each real folder listed once, so a link cycle
// cannot loop.
TEST(FileStoreLinks, LinkedFoldersAreListedOnceAndCyclesEnd) {
  test::TempDir dir;
  const auto shared = dir.path() / "shared";
  FileStore(shared).set("c/0/0", as_bytes("chunk"));
  FileStore store(dir.path() / "img.zarr");
  store.set("zarr.json", as_bytes("{}"));
  std::filesystem::create_directory_symlink(shared, dir.path() / "img.zarr" / "0");
  std::filesystem::create_directory_symlink(dir.path() / "img.zarr", shared / "loop");
  EXPECT_EQ(str(store.get("0/c/0/0")), "chunk");
  const auto keys = store.list("");
  EXPECT_EQ(keys, (std::vector<std::string>{"0/c/0/0", "zarr.json"}));
}

TEST(Key, Validation) {
  EXPECT_NO_THROW(validate_key(""));
  EXPECT_NO_THROW(validate_key("a/b.c/..d"));
  EXPECT_THROW(validate_key(".."), InvalidKey);
  try {
    validate_key("a/../b");
    FAIL();
  } catch (const InvalidKey& e) {
    EXPECT_NE(std::string(e.what()).find("a/../b"), std::string::npos) << "names the key";
  }
  EXPECT_EQ(join_key("", "a"), "a");
  EXPECT_EQ(join_key("a", "b"), "a/b");
  EXPECT_EQ(parent_key("a/b/c"), "a/b");
  EXPECT_EQ(normalize_node_path("/a/b/"), "a/b");
}

TEST(FileStore, WritesAreAtomicAndLeaveNoTemporaries) {
  test::TempDir dir;
  FileStore store(dir.path() / "s");
  std::string big(1 << 20, 'x');
  store.set("a/chunk", as_bytes(big));
  size_t files = 0;
  for (auto& e : std::filesystem::recursive_directory_iterator(dir.path())) {
    if (e.is_regular_file()) ++files;
  }
  EXPECT_EQ(files, 1u);
  EXPECT_EQ(store.get("a/chunk")->size(), big.size());
}

TEST(FileStore, ValuesWrittenInPiecesGoToATemporaryFile) {
  test::TempDir dir;
  FileStore store(dir.path());
  auto files = [&] {
    size_t n = 0;
    for (auto& e : std::filesystem::recursive_directory_iterator(dir.path()))
      n += e.is_regular_file();
    return n;
  };
  {
    auto value = store.begin_value("a/shard");
    value->write_at(as_bytes("piece"), 0);
    EXPECT_EQ(files(), 1u);  // the temporary, not the key
    EXPECT_FALSE(store.exists("a/shard"));
  }
  EXPECT_EQ(files(), 0u);  // dropped uncommitted: removed
}

TEST(FileStore, LeftoverTemporariesAreNotListed) {
  test::TempDir dir;
  FileStore store(dir.path());
  store.set("a", as_bytes("1"));
  // What a killed writer leaves behind: a temporary that was never renamed.
  std::ofstream(dir.path() / ".b.ngff-tmp-1-2-3") << "partial";
  EXPECT_EQ(store.list(""), std::vector<std::string>{"a"});
  EXPECT_FALSE(store.get("b").has_value());
}

TEST(FileStore, ReadOnlyRefusesWrites) {
  test::TempDir dir;
  FileStore store(dir.path(), /*read_only=*/true);
  EXPECT_THROW(store.set("a", as_bytes("1")), StoreError);
}

TEST(OpenStore, PathsAndFileUrls) {
  test::TempDir dir;
  auto loc = open_store("file://" + dir.path().string(), OpenMode::write);
  loc.store->set("k", as_bytes("v"));
  auto again = open_store(dir.path().string());
  EXPECT_EQ(str(again.store->get("k")), "v");
  EXPECT_THROW(open_store((dir.path() / "missing").string()), KeyNotFound);
  EXPECT_THROW(open_store("gopher://x"), UsageError);
  EXPECT_NE(open_store("memory://x").store, nullptr);
}

}  // namespace
