// What a FileStore writes, whole or in pieces, leaves the page cache once a bounded amount more
// has followed (its writeback waited for, so nothing is lost), with its bytes intact and a
// bounded number of descriptors held; the store's end releases them all. A zip does the same
// as it grows. On file systems that ignore the advice, or where held files misbehave (tmpfs,
// overlayfs, NFS), nothing is held.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/mman.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include "ngff/store/file_store.hpp"
#include "ngff/store/zip_store.hpp"
#include "store/flush_behind.hpp"
#include "temp_dir.hpp"

using namespace ngff;

namespace {

constexpr size_t kValueSize = 1 << 20;
constexpr int kValues = 3 * FlushBehind::kMaxBytesBehind / kValueSize;

Bytes value_of(int i) {
  Bytes b(kValueSize);
  for (size_t k = 0; k < b.size(); ++k)
    b[k] = static_cast<std::byte>((k * 7 + static_cast<size_t>(i) * 13) >> 3);
  return b;
}

size_t open_descriptors() {
  size_t n = 0;
  for (const auto& entry : std::filesystem::directory_iterator("/proc/self/fd")) {
    (void)entry;
    ++n;
  }
  return n;
}

// How many pages of `size` bytes from `offset` are in the page cache (mincore does not read
// them in).
size_t resident_pages(const std::filesystem::path& path, size_t size, size_t offset = 0) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  EXPECT_GE(fd, 0) << path;
  void* map = ::mmap(nullptr, size, PROT_READ, MAP_SHARED, fd, static_cast<off_t>(offset));
  ::close(fd);
  EXPECT_NE(map, MAP_FAILED) << path;
  const size_t page = static_cast<size_t>(::sysconf(_SC_PAGESIZE));
  std::vector<unsigned char> in_core((size + page - 1) / page);
  EXPECT_EQ(::mincore(map, size, in_core.data()), 0);
  ::munmap(map, size);
  size_t n = 0;
  for (unsigned char c : in_core) n += c & 1;
  return n;
}

}  // namespace

TEST(FlushBehind, WrittenValuesLeaveThePageCacheOnceLaterOnesFollow) {
  test::TempDir dir;
  const size_t descriptors_before = open_descriptors();
  {
    FileStore store(dir.path());
    for (int i = 0; i < kValues; ++i) {
      const std::string key = "c/" + std::to_string(i);
      const Bytes value = value_of(i);
      if (i % 2 == 0) {
        store.set(key, value);
      } else {  // in pieces, as shards are: its file is closed between them
        auto writer = store.begin_value(key);
        writer->write_at(ByteView(value.data() + kValueSize / 2, kValueSize / 2), kValueSize / 2);
        writer->write_at(ByteView(value.data(), kValueSize / 2), 0);
        writer->commit();
      }
    }
    EXPECT_LE(open_descriptors(), descriptors_before + FlushBehind::kMaxFilesBehind);

    // Elsewhere (tmpfs, overlayfs, NFS) the store leaves its files to the kernel.
    if (!FlushBehind::suits(dir.path())) {
      EXPECT_EQ(open_descriptors(), descriptors_before);
    } else {
      // The first third was followed by more than the bound: written back and dropped.
      for (int i = 0; i < kValues / 3; ++i)
        EXPECT_EQ(resident_pages(dir.path() / "c" / std::to_string(i), kValueSize), 0u) << i;
    }
    for (int i = 0; i < kValues; ++i) {
      auto got = store.get("c/" + std::to_string(i));
      ASSERT_TRUE(got.has_value()) << i;
      EXPECT_TRUE(*got == value_of(i)) << "value " << i << " differs";
    }
  }
  EXPECT_EQ(open_descriptors(), descriptors_before);
}

TEST(FlushBehind, SmallValuesAreLeftToTheKernelIntact) {
  test::TempDir dir;
  const size_t descriptors_before = open_descriptors();
  FileStore store(dir.path());
  Bytes small(100, std::byte{5});
  for (int i = 0; i < 100; ++i) store.set("zarr" + std::to_string(i) + ".json", small);
  EXPECT_EQ(open_descriptors(), descriptors_before);  // none held
  EXPECT_TRUE(*store.get("zarr0.json") == small);
}

TEST(FlushBehind, AZipLeavesThePageCacheAsItGrows) {
  test::TempDir dir;
  const auto path = dir.path() / "big.ozx";
  {
    auto zip = ZipStore::create(path);
    // With a metadata document that fits its reserve the data stays where it was written.
    zip->set("zarr.json", to_bytes(R"({"zarr_format": 3, "node_type": "group"})"));
    for (int i = 0; i < kValues; ++i) zip->set("0/c/" + std::to_string(i), value_of(i));
    zip->close();
  }
  if (FlushBehind::suits(dir.path())) {
    // The first third, past the metadata written last: followed by more than the bound.
    const size_t from = 1 << 20, to = kValues / 3 * kValueSize;
    EXPECT_EQ(resident_pages(path, to - from, from), 0u);
  }
  ZipStore read(std::make_shared<FileStore>(dir.path()), "big.ozx");
  for (int i = 0; i < kValues; ++i) {
    auto got = read.get("0/c/" + std::to_string(i));
    ASSERT_TRUE(got.has_value()) << i;
    EXPECT_TRUE(*got == value_of(i)) << "value " << i << " differs";
  }
}

TEST(FlushBehind, RemovingAPrefixLetsItsFilesGo) {
  test::TempDir dir;
  const size_t descriptors_before = open_descriptors();
  FileStore store(dir.path());
  for (int i = 0; i < 8; ++i) store.set("c/" + std::to_string(i), value_of(i));
  store.erase_prefix("c");
  EXPECT_EQ(open_descriptors(), descriptors_before) << "no deleted file kept open";
  EXPECT_FALSE(store.exists("c/0"));
}

TEST(FlushBehind, SuitsLocalDiskFileSystemsOnly) {
  EXPECT_FALSE(FlushBehind::suits("/proc"));
  EXPECT_FALSE(FlushBehind::suits("/dev/shm/no/such/dir"));  // tmpfs, from the nearest ancestor
}
