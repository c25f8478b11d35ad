// ZipStore: the writer's layout (metadata first, zip64, moved data), reading through any parent
// store, and corrupt or hostile zips refused with errors that say what is wrong.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "ngff/error.hpp"
#include "ngff/ome/finish_store.hpp"
#include "ngff/store/file_store.hpp"
#include "ngff/store/memory_store.hpp"
#include "ngff/store/open_store.hpp"
#include "ngff/store/zip_store.hpp"
#include "temp_dir.hpp"

using namespace ngff;
namespace fs = std::filesystem;

namespace {

std::string str(const std::optional<Bytes>& b) {
  return b ? std::string(as_string_view(*b)) : std::string("<missing>");
}

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

void write_file(const fs::path& p, const std::string& data) {
  std::ofstream(p, std::ios::binary | std::ios::trunc) << data;
}

const char* kRootJson = R"({"zarr_format": 3, "node_type": "group",
  "attributes": {"ome": {"version": "0.5"}}})";

const char* kArrayJson = R"({"node_type": "array", "codecs": [{"name": "sharding_indexed"}]})";

// A small zip: root zarr.json, an array document and two chunks, one of them set twice.
fs::path write_sample(const fs::path& dir, ZipWriteOptions options = {}) {
  fs::path path = dir / "img.ozx";
  auto zip = ZipStore::create(path, options);
  zip->set("0/c/0/0", as_bytes("chunk-one"));
  zip->set("0/zarr.json", as_bytes(kArrayJson));
  zip->set("0/c/0/1", as_bytes("old"));
  zip->set("zarr.json", as_bytes(kRootJson));
  zip->set("0/c/0/1", as_bytes("new value"));
  EXPECT_EQ(str(zip->get("0/c/0/1")), "new value") << "read back before close";
  zip->set("gone", as_bytes("x"));
  zip->erase("gone");
  EXPECT_FALSE(fs::exists(path)) << "nothing at the target before close";
  zip->close();
  EXPECT_THROW(zip->set("late", as_bytes("x")), StoreError);
  return path;
}

void expect_sample(const Store& zip) {
  EXPECT_EQ(zip.list(""),
            (std::vector<std::string>{"0/c/0/0", "0/c/0/1", "0/zarr.json", "zarr.json"}));
  EXPECT_EQ(str(zip.get("0/c/0/0")), "chunk-one");
  EXPECT_EQ(str(zip.get("0/c/0/1")), "new value");
  EXPECT_EQ(str(zip.get_range("0/c/0/1", {4, 3})), "val");
  EXPECT_EQ(str(zip.get_suffix("0/c/0/1", 5)), "value");
  EXPECT_EQ(zip.size("0/c/0/0"), 9u);
  EXPECT_FALSE(zip.get("gone").has_value());
  EXPECT_FALSE(zip.is_writable());
}

TEST(ZipStore, WriteThenReadThroughOpenStore) {
  test::TempDir dir;
  fs::path path = write_sample(dir.path());
  auto loc = open_store(path.string());
  expect_sample(*loc.store);
  auto* zip = dynamic_cast<ZipStore*>(loc.store.get());
  ASSERT_NE(zip, nullptr);
  EXPECT_EQ(zip->comment(), "") << "the store alone chooses no comment";
  // RFC-9 layout: the root zarr.json is the first entry of the file.
  std::string bytes = read_file(path);
  EXPECT_EQ(bytes.substr(30, 9), "zarr.json");
  EXPECT_EQ(open_store("file://" + path.string()).store->list("0").size(), 3u);
  EXPECT_THROW(loc.store->set("x", as_bytes("y")), StoreError);
  for (const auto& e : fs::directory_iterator(dir.path()))
    EXPECT_EQ(e.path().filename(), "img.ozx") << "no temporaries left";
}

TEST(ZipStore, WritesTheCommentItIsGiven) {
  test::TempDir dir;
  auto zip = ZipStore::create(dir.path() / "c.zip");
  zip->set("a", as_bytes("x"));
  zip->set_comment(std::string("hello\0", 6));
  EXPECT_THROW(zip->set_comment(std::string(0x10000, 'x')), UsageError) << "too long";
  zip->close();
  EXPECT_THROW(zip->set_comment("late"), StoreError);
  ZipStore read(std::make_shared<FileStore>(dir.path()), "c.zip");
  EXPECT_EQ(read.comment(), "hello") << "read without its trailing NUL";
  EXPECT_THROW(read.set_comment("x"), StoreError);
}

// RFC-9's archive comment is the OME layer's choice: 0.5 with every array sharded.
std::string comment_after_finish(const fs::path& path, const char* array_json) {
  auto zip = ZipStore::create(path);
  zip->set("zarr.json", as_bytes(kRootJson));
  zip->set("0/zarr.json", as_bytes(array_json));
  zip->set("0/c/0/0", as_bytes("chunk"));
  ome::finish_store(*zip);
  EXPECT_FALSE(zip->is_writable()) << "finished: closed";
  return ZipStore(std::make_shared<FileStore>(path.parent_path()), path.filename().string())
      .comment();
}

TEST(OzxComment, OnlyWhenEveryArrayIsSharded) {
  test::TempDir dir;
  EXPECT_EQ(comment_after_finish(dir.path() / "s.ozx", kArrayJson), R"({"ome":{"version":"0.5"}})");
  EXPECT_EQ(comment_after_finish(dir.path() / "u.ozx",
                                 R"({"node_type": "array", "codecs": [{"name": "bytes"}]})"),
            "");
  MemoryStore memory;
  memory.set("zarr.json", as_bytes(kRootJson));
  EXPECT_EQ(ome::ozx_comment(memory), std::string(R"({"ome":{"version":"0.5"}})") + '\0');
  memory.set("zarr.json", as_bytes(R"({"zarr_format": 3, "node_type": "group"})"));
  EXPECT_EQ(ome::ozx_comment(memory), "") << "no OME version";
}

TEST(ZipStore, ReadsThroughAnyParentStore) {
  test::TempDir dir;
  fs::path path = write_sample(dir.path());
  auto memory = std::make_shared<MemoryStore>();
  memory->set("data/img.ozx", as_bytes(read_file(path)));
  ZipStore zip(memory, "data/img.ozx");
  expect_sample(zip);
  EXPECT_EQ(zip.url(), "memory://data/img.ozx");
}

// Counts the reads a zip makes of its parent: what an HTTP parent would turn into requests.
struct CountingStore final : Store {
  explicit CountingStore(StorePtr parent) : inner(std::move(parent)) {}
  std::optional<Bytes> get(std::string_view key) const override {
    ++whole_reads;
    return inner->get(key);
  }
  std::optional<Bytes> get_range(std::string_view key, ByteRange range) const override {
    ++range_reads;
    return inner->get_range(key, range);
  }
  std::optional<uint64_t> size(std::string_view key) const override { return inner->size(key); }
  void set(std::string_view key, ByteView value) override { inner->set(key, value); }
  void erase(std::string_view key) override { inner->erase(key); }
  std::vector<std::string> list(std::string_view prefix) const override {
    return inner->list(prefix);
  }
  std::string url() const override { return inner->url(); }
  StorePtr inner;
  mutable int whole_reads = 0, range_reads = 0;
};

TEST(ZipStore, ReadsOnlyRangesOneRequestPerValue) {
  test::TempDir dir;
  fs::path path = write_sample(dir.path());
  auto memory = std::make_shared<MemoryStore>();
  memory->set("img.ozx", as_bytes(read_file(path)));
  auto counting = std::make_shared<CountingStore>(memory);
  ZipStore zip(counting, "img.ozx");
  EXPECT_EQ(counting->range_reads, 3) << "tail, zip64 record, central directory";
  counting->range_reads = 0;
  EXPECT_EQ(str(zip.get("0/c/0/0")), "chunk-one");
  EXPECT_EQ(counting->range_reads, 1) << "local header and data in one read";
  EXPECT_EQ(str(zip.get_range("0/c/0/0", {6, 3})), "one");
  EXPECT_EQ(counting->range_reads, 2) << "the data offset is remembered";
  EXPECT_EQ(counting->whole_reads, 0) << "the zip is never read whole";
}

TEST(ZipStore, Zip64RecordsWhenForced) {
  test::TempDir dir;
  ZipWriteOptions o;
  o.zip64_threshold = 0;  // every size and offset takes the zip64 path
  fs::path path = write_sample(dir.path(), o);
  std::string bytes = read_file(path);
  EXPECT_NE(bytes.find(std::string("PK\x06\x06", 4)), std::string::npos);
  EXPECT_NE(bytes.find(std::string("PK\x06\x07", 4)), std::string::npos);
  expect_sample(*open_store(path.string()).store);
}

TEST(ZipStore, LargeZipsKeepTheirDataInPlaceAndPadTheReserve) {
  test::TempDir dir;
  ZipWriteOptions o;
  o.compact_below = 0;  // as for a zip of more than 64 MiB of data
  fs::path path = write_sample(dir.path(), o);
  expect_sample(*open_store(path.string()).store);
  std::string bytes = read_file(path);
  EXPECT_EQ(bytes.substr(30, 9), "zarr.json");
  EXPECT_EQ(bytes.substr(o.metadata_reserve, 4), std::string("PK\x03\x04", 4))
      << "the first data entry right after the reserved space";
}

TEST(ZipStore, MetadataLargerThanTheReserveMovesTheData) {
  for (uint64_t reserve : {0ull, 10ull, 200ull}) {
    test::TempDir dir;
    ZipWriteOptions o;
    o.metadata_reserve = reserve;
    fs::path path = write_sample(dir.path(), o);
    expect_sample(*open_store(path.string()).store);
    EXPECT_EQ(read_file(path).substr(30, 9), "zarr.json") << reserve;
  }
}

TEST(ZipStore, ConcurrentWriters) {
  test::TempDir dir;
  auto zip = ZipStore::create(dir.path() / "many.zip");
  std::vector<std::thread> threads;
  threads.reserve(4);
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i)
        zip->set("c/" + std::to_string(t) + "/" + std::to_string(i),
                 as_bytes(std::string(static_cast<size_t>(i), static_cast<char>('a' + t))));
    });
  for (auto& th : threads) th.join();
  zip->close();
  auto loc = open_store((dir.path() / "many.zip").string());
  EXPECT_EQ(loc.store->list("").size(), 800u);
  EXPECT_EQ(str(loc.store->get("c/2/17")), std::string(17, 'c'));
}

TEST(ZipStore, MoreThan65535EntriesNeedZip64EndRecords) {
  test::TempDir dir;
  ZipWriteOptions o;
  o.zip64_end_record = false;  // only the entry count asks for it
  auto zip = ZipStore::create(dir.path() / "many.zip", o);
  const int n = 0x10000 + 5;
  for (int i = 0; i < n; ++i) zip->set("c/" + std::to_string(i), as_bytes("x"));
  zip->close();
  std::string bytes = read_file(dir.path() / "many.zip");
  EXPECT_NE(bytes.find(std::string("PK\x06\x06", 4)), std::string::npos);
  auto loc = open_store((dir.path() / "many.zip").string());
  EXPECT_EQ(loc.store->list("c").size(), static_cast<size_t>(n));
  EXPECT_EQ(str(loc.store->get("c/65539")), "x");
}

TEST(ZipStore, UrlsNamingZipsAndNodesInside) {
  test::TempDir dir;
  fs::path path = write_sample(dir.path());
  for (const std::string& url :
       {path.string(), "file://" + path.string(), "zip://" + path.string(), path.string() + "/"}) {
    auto loc = open_store(url);
    EXPECT_EQ(loc.path, "") << url;
    EXPECT_TRUE(loc.store->exists("zarr.json")) << url;
  }
  auto inner = open_store(path.string() + "/0/c");
  EXPECT_EQ(inner.path, "0/c");
  EXPECT_EQ(str(inner.store->get("0/c/0/0")), "chunk-one");
  EXPECT_THROW(open_store(path.string() + "/../x"), InvalidKey);
}

TEST(ZipStore, OpeningAnExistingZipForWritingKeepsItsEntries) {
  test::TempDir dir;
  fs::path path = write_sample(dir.path());
  {
    auto zip = ZipStore::create(path);
    EXPECT_EQ(str(zip->get("0/c/0/0")), "chunk-one");
    zip->set("1/c/0", as_bytes("added"));
    zip->erase("0/c/0/1");
    zip->close();
  }
  auto loc = open_store(path.string());
  EXPECT_EQ(str(loc.store->get("0/c/0/0")), "chunk-one");
  EXPECT_EQ(str(loc.store->get("1/c/0")), "added");
  EXPECT_FALSE(loc.store->exists("0/c/0/1"));
  EXPECT_EQ(str(loc.store->get("zarr.json")), kRootJson);
}

TEST(ZipStore, DestructorFinishesTheZipUnlessAnErrorUnwinds) {
  test::TempDir dir;
  {
    auto zip = ZipStore::create(dir.path() / "d.zip");
    zip->set("k", as_bytes("v"));
  }
  EXPECT_EQ(str(open_store((dir.path() / "d.zip").string()).store->get("k")), "v");
  try {
    auto zip = ZipStore::create(dir.path() / "d.zip");
    zip->erase("k");
    zip->set("half", as_bytes("done"));
    throw std::runtime_error("the writer failed");
  } catch (const std::runtime_error&) {
  }
  auto loc = open_store((dir.path() / "d.zip").string());
  EXPECT_EQ(loc.store->list(""), std::vector<std::string>{"k"}) << "the old zip is untouched";
  EXPECT_EQ(std::distance(fs::directory_iterator(dir.path()), fs::directory_iterator()), 1)
      << "no temporary left";
}

// Runs `open` and expects a StoreError whose message contains every one of `words`.
template <class F>
void expect_store_error(F open, std::initializer_list<std::string> words) {
  try {
    open();
    FAIL() << "no error";
  } catch (const StoreError& e) {
    for (const auto& w : words)
      EXPECT_NE(std::string(e.what()).find(w), std::string::npos) << e.what();
  }
}

TEST(ZipStore, CorruptZipsAreRefusedClearly) {
  test::TempDir dir;
  fs::path path = write_sample(dir.path());
  std::string good = read_file(path);
  fs::path bad = dir.path() / "bad.zip";
  auto open_bad = [&] { return open_store(bad.string()).store->get("0/c/0/0"); };

  write_file(bad, good.substr(0, good.size() - 30));
  expect_store_error(open_bad, {"bad.zip", "end of central directory"});

  write_file(bad, good.substr(0, good.size() / 2) + good.substr(good.size() - 200));
  expect_store_error(open_bad, {"bad.zip"});

  write_file(bad, "not a zip at all, but long enough to look for a record");
  expect_store_error(open_bad, {"not a zip"});

  // The directory offset of the classic record (zip64 off) pointing past the end.
  ZipWriteOptions classic;
  classic.zip64_end_record = false;
  fs::path plain = dir.path() / "plain";
  fs::create_directories(plain);
  std::string p = read_file(write_sample(plain, classic));
  size_t eocd = p.rfind(std::string("PK\x05\x06", 4));
  p[eocd + 16] = '\x7f';
  p[eocd + 19] = '\x7f';
  write_file(bad, p);
  expect_store_error(open_bad, {"central directory", "past the end"});

  // A local header whose signature is broken.
  std::string q = read_file(plain / "img.ozx");
  size_t chunk = q.find("0/c/0/0");  // its local header name
  q[chunk - 30] = 'X';
  write_file(bad, q);
  expect_store_error(open_bad, {"bad local header", "0/c/0/0"});

  // A hostile entry name.
  std::string h = read_file(plain / "img.ozx");
  for (size_t at = h.find("0/c/0/0"); at != std::string::npos; at = h.find("0/c/0/0", at))
    h.replace(at, 3, "../");
  write_file(bad, h);
  expect_store_error(open_bad, {"'..//0/0'", "not allowed"});

  EXPECT_THROW(open_store((dir.path() / "missing.ozx").string()), KeyNotFound);
}

}  // namespace
