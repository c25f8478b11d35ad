#include <gtest/gtest.h>

#include "ngff/error.hpp"
#include "ngff/store/memory_store.hpp"
#include "ngff/zarr/array_spec.hpp"
#include "ngff/zarr/group.hpp"

using namespace ngff;
using namespace ngff::zarr;

namespace {

ArrayMetadata small(int format) {
  ArraySpec s;
  s.zarr_format = format;
  s.shape = {4};
  s.chunks = {2};
  s.dtype = DataType::int16;
  return make_array_metadata(s);
}

TEST(Group, CreateListChildrenAndAttributes) {
  for (int format : {2, 3}) {
    auto store = std::make_shared<MemoryStore>();
    Group root = Group::create(store, "", format, {{"title", "t"}});
    root.create_group("sub", {{"k", 1}});
    root.create_array("arr", small(format));
    Group again = Group::open(store, "");
    EXPECT_EQ(again.zarr_format(), format);
    EXPECT_EQ(again.attributes()["title"], "t");
    auto children = again.children();
    ASSERT_EQ(children.size(), 2u);
    EXPECT_EQ(children[0].name, "arr");
    EXPECT_EQ(children[0].info.type, NodeType::array);
    EXPECT_EQ(children[1].name, "sub");
    EXPECT_EQ(again.open_group("sub").attributes()["k"], 1);
    EXPECT_THROW(again.open_group("arr"), MetadataError);
    EXPECT_THROW(again.open_array("sub"), MetadataError);
    EXPECT_THROW(again.open_array("none"), KeyNotFound);
  }
}

TEST(Group, ImplicitV3Groups) {
  auto store = std::make_shared<MemoryStore>();
  Array::create(store, "a/b/arr", small(3));
  Group a = Group::open(store, "a");
  EXPECT_TRUE(a.is_implicit());
  ASSERT_EQ(a.children().size(), 1u);
  EXPECT_EQ(a.children()[0].name, "b");
}

TEST(Group, ConsolidatedV2MetadataIsUsed) {
  auto store = std::make_shared<MemoryStore>();
  Group::create(store, "", 2);
  Array::create(store, "arr", small(2));
  Json z = {{"zarr_consolidated_format", 1},
            {"metadata",
             {{".zgroup", {{"zarr_format", 2}}},
              {".zattrs", {{"from", "consolidated"}}},
              {"arr/.zarray", small(2).to_json()}}}};
  store->set(".zmetadata", as_bytes(z.dump()));
  Group g = Group::open(store, "");
  ASSERT_NE(g.consolidated(), nullptr);
  EXPECT_EQ(g.attributes()["from"], "consolidated");
  ASSERT_EQ(g.children().size(), 1u);
  EXPECT_EQ(g.open_array("arr").shape(), (Shape{4}));
}

TEST(Group, UnknownV3KeysMustBeIgnorable) {
  auto store = std::make_shared<MemoryStore>();
  store->set("zarr.json", as_bytes(R"({"zarr_format": 3, "node_type": "group", "x": 1})"));
  EXPECT_THROW(Group::open(store, ""), MetadataError);
  store->set("zarr.json", as_bytes(R"({"zarr_format": 3, "node_type": "group",
                                       "x": {"must_understand": false}})"));
  EXPECT_NO_THROW(Group::open(store, ""));
}

}  // namespace
