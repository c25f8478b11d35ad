// copy_keys (parallel, resumable, metadata last) and the metadata walk for stores that cannot
// list (ome::walk_hierarchy_keys), on OME-Zarr 0.4 and 0.5 sample images with labels.
#include <gtest/gtest.h>

#include "../tools/no_list_store.hpp"
#include "ngff/image/samples.hpp"
#include "ngff/image/write_image.hpp"
#include "ngff/ome/version.hpp"
#include "ngff/store/copy.hpp"
#include "ngff/store/memory_store.hpp"
#include "ome/hierarchy_keys.hpp"
#include "store/metadata_keys.hpp"

using namespace ngff;

// gtest lists and reports the parameter as "0.4", not as a dump of its bytes (found by ADL, so
// in the enum's namespace).
namespace ngff::ome {
void PrintTo(Version version, std::ostream* os) {
  *os << to_string(version);
}
}  // namespace ngff::ome

namespace {

StorePtr sample_image(ome::Version version) {
  auto store = std::make_shared<MemoryStore>();
  image::Sample sample = image::make_sample("volume", {2, 8, 40, 40});
  image::WriteImageOptions o;
  o.version = version;
  o.levels = 3;
  o.chunks = zarr::Shape{1, 4, 16, 16};
  auto written = image::write_image(store, "img", sample.image, o);
  image::WriteImageOptions label_options = o;
  label_options.chunks = {};  // labels have no channel axis
  label_options.method = image::DownsampleMethod::mode;
  for (const auto& [name, labels] : sample.labels)
    image::write_labels(written, name, labels, label_options);
  return store;
}

void expect_same_values(const Store& a, const Store& b, const std::string& prefix) {
  auto keys = a.list(prefix);
  ASSERT_EQ(keys, b.list(prefix));
  for (const auto& k : keys) EXPECT_EQ(a.get(k), b.get(k)) << k;
}

class CopyTest : public ::testing::TestWithParam<ome::Version> {};

TEST_P(CopyTest, WalkFindsEveryKeyOfAnImageWithLabels) {
  StorePtr src = sample_image(GetParam());
  test::NoListStore no_list(src);
  EXPECT_THROW(no_list.list(""), StoreError);
  auto keys = ome::node_keys(no_list, "img");
  MemoryStore dst;
  CopyStats s = copy_keys(no_list, "img", dst, "copy", keys);
  EXPECT_GT(s.objects_done, 10u);
  // Every stored key is found (candidates that are not stored are counted as missing).
  auto listed = src->list("img");
  EXPECT_EQ(s.objects_done, listed.size());
  EXPECT_EQ(s.objects_done + s.missing, keys.size());
  for (const auto& k : listed) EXPECT_EQ(src->get(k), dst.get("copy/" + k.substr(4))) << k;
  bool labels = false;
  for (const auto& k : listed) labels |= k.find("labels/cells/") != std::string::npos;
  EXPECT_TRUE(labels);
}

TEST_P(CopyTest, ResumesAndSkipsWhatIsThere) {
  StorePtr src = sample_image(GetParam());
  MemoryStore dst;
  auto keys = src->list("");
  CopyStats first = copy_keys(*src, "", dst, "", keys);
  EXPECT_EQ(first.objects_done, keys.size());
  expect_same_values(*src, dst, "");
  CopyStats again = copy_keys(*src, "", dst, "", keys);
  EXPECT_EQ(again.objects_done, 0u);
  EXPECT_EQ(again.objects_skipped, keys.size());
  // A partial destination (a chunk and the root metadata missing, one chunk torn) is completed.
  std::vector<std::string> chunks;
  for (const auto& k : keys)
    if (!is_metadata_document(k)) chunks.push_back(k);
  dst.erase(chunks.front());
  dst.set(chunks.back(), as_bytes("torn"));
  std::string root = GetParam() == ome::Version::v0_5 ? "img/zarr.json" : "img/.zattrs";
  dst.erase(root);
  CopyStats rest = copy_keys(*src, "", dst, "", keys);
  EXPECT_EQ(rest.objects_done, 3u);
  expect_same_values(*src, dst, "");
  CopyOptions dry;
  dry.dry_run = dry.overwrite = true;
  MemoryStore empty;
  CopyStats d = copy_keys(*src, "", empty, "", keys, dry);
  EXPECT_EQ(d.objects_total, keys.size());
  EXPECT_TRUE(empty.list("").empty());
}

TEST(Copy, MetadataIsWrittenLastRootLast) {
  StorePtr src = sample_image(ome::Version::v0_5);
  struct Recorder final : Store {
    std::vector<std::string> order;
    std::optional<Bytes> get(std::string_view) const override { return std::nullopt; }
    void set(std::string_view key, ByteView) override { order.emplace_back(key); }
    void erase(std::string_view) override {}
    std::vector<std::string> list(std::string_view) const override { return {}; }
    std::string url() const override { return "recorder://"; }
  } rec;
  CopyOptions o;
  o.concurrency = 1;
  copy_keys(*src, "", rec, "", src->list(""), o);
  ASSERT_FALSE(rec.order.empty());
  EXPECT_EQ(rec.order.back(), "img/zarr.json");
  size_t first_metadata = rec.order.size();
  for (size_t i = 0; i < rec.order.size(); ++i)
    if (rec.order[i].ends_with("zarr.json")) first_metadata = std::min(first_metadata, i);
  for (size_t i = first_metadata; i < rec.order.size(); ++i)
    EXPECT_TRUE(rec.order[i].ends_with("zarr.json")) << rec.order[i];
}

INSTANTIATE_TEST_SUITE_P(Versions, CopyTest,
                         ::testing::Values(ome::Version::v0_4, ome::Version::v0_5),
                         [](const auto& param_info) {
                           return param_info.param == ome::Version::v0_4 ? "v04" : "v05";
                         });

}  // namespace
