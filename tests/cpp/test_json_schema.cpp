// The JSON-Schema subset evaluator (src/ome/json_schema.hpp): each keyword the OME-NGFF schemas
// use, with the semantics of the JSON-Schema-Test-Suite (draft 2020-12), the $ref forms, the
// failure paths, and the refusal of keywords it does not implement.
#include <gtest/gtest.h>

#include "ngff/error.hpp"
#include "ome/json_schema.hpp"

using namespace ngff;
using ngff::ome::detail::SchemaFailure;
using ngff::ome::detail::SchemaRegistry;

namespace {

const std::string kBase = "https://example.org/s/";

// Failures of `instance` against `schema` (registered as kBase + "t.schema").
std::vector<SchemaFailure> check(const Json& schema, const Json& instance) {
  SchemaRegistry registry;
  registry.add(schema, kBase + "t.schema");
  registry.check_refs();
  return registry.validate(instance, kBase + "t.schema", "attributes");
}

bool ok(const Json& schema, const Json& instance) {
  return check(schema, instance).empty();
}

TEST(JsonSchema, Type) {
  EXPECT_TRUE(ok({{"type", "integer"}}, 3));
  EXPECT_TRUE(ok({{"type", "integer"}}, 3.0));  // 2020-12: a float with no fraction is integer
  EXPECT_FALSE(ok({{"type", "integer"}}, 3.5));
  EXPECT_TRUE(ok({{"type", "number"}}, 3));
  EXPECT_FALSE(ok({{"type", "string"}}, 3));
  EXPECT_TRUE(ok({{"type", Json{"string", "null"}}}, nullptr));
  EXPECT_FALSE(ok({{"type", "object"}}, Json::array()));
  EXPECT_FALSE(ok({{"type", "array"}}, Json::object()));
  EXPECT_FALSE(ok({{"type", "boolean"}}, 0));
}

TEST(JsonSchema, ObjectKeywords) {
  Json s = {{"type", "object"},
            {"required", {"a"}},
            {"properties", {{"a", {{"type", "string"}}}}},
            {"additionalProperties", false}};
  EXPECT_TRUE(ok(s, {{"a", "x"}}));
  auto f = check(s, {{"b", 1}});
  ASSERT_EQ(f.size(), 2u);
  EXPECT_EQ(f[0].message, "missing required field 'a'");
  EXPECT_EQ(f[0].instance_path, "attributes");
  EXPECT_EQ(f[0].keyword_path, "t.schema#/required");
  EXPECT_EQ(f[1].keyword_path, "t.schema#/additionalProperties");
  f = check(s, {{"a", 1}});
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].instance_path, "attributes.a");
  EXPECT_EQ(f[0].keyword_path, "t.schema#/properties/a/type");
  // additionalProperties as a schema applies to the other members only.
  EXPECT_TRUE(ok({{"properties", {{"a", true}}}, {"additionalProperties", {{"type", "integer"}}}},
                 {{"a", "x"}, {"b", 2}}));
  EXPECT_FALSE(ok({{"additionalProperties", {{"type", "integer"}}}}, {{"b", "x"}}));
}

TEST(JsonSchema, ArrayKeywords) {
  Json s = {
      {"items", {{"type", "integer"}}}, {"minItems", 2}, {"maxItems", 3}, {"uniqueItems", true}};
  EXPECT_TRUE(ok(s, {1, 2}));
  EXPECT_FALSE(ok(s, {1}));
  EXPECT_FALSE(ok(s, {1, 2, 3, 4}));
  EXPECT_FALSE(ok(s, {1, 1}));
  EXPECT_FALSE(ok(s, {1, 1.0}));  // 1 and 1.0 are equal in JSON Schema
  auto f = check(s, {1, "x"});
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].instance_path, "attributes[1]");
  EXPECT_EQ(f[0].keyword_path, "t.schema#/items/type");
  EXPECT_TRUE(ok({{"uniqueItems", true}}, Json::parse(R"([{"a":1},{"a":2}])")));
  EXPECT_FALSE(ok({{"uniqueItems", true}}, Json::parse(R"([{"a":1,"b":2},{"b":2,"a":1}])")));
}

TEST(JsonSchema, ContainsMinMax) {
  Json space = {{"properties", {{"type", {{"const", "space"}}}}}, {"required", {"type"}}};
  Json s = {{"contains", space}, {"minContains", 2}, {"maxContains", 3}};
  auto axes = [](int n_space, int n_other) {
    Json a = Json::array();
    for (int i = 0; i < n_other; ++i) a.push_back({{"type", "time"}});
    for (int i = 0; i < n_space; ++i) a.push_back({{"type", "space"}});
    return a;
  };
  EXPECT_TRUE(ok(s, axes(2, 1)));
  EXPECT_TRUE(ok(s, axes(3, 0)));
  auto f = check(s, axes(1, 2));
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].keyword_path, "t.schema#/minContains");
  f = check(s, axes(4, 0));
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].keyword_path, "t.schema#/maxContains");
  EXPECT_NE(f[0].message.find("4 item(s) match"), std::string::npos) << f[0].message;
  // contains alone: at least one; minContains 0 allows none; min/maxContains without contains
  // are no-ops.
  EXPECT_FALSE(ok({{"contains", space}}, axes(0, 2)));
  EXPECT_TRUE(ok({{"contains", space}, {"minContains", 0}}, axes(0, 2)));
  EXPECT_TRUE(ok({{"minContains", 1}}, Json::array()));
  EXPECT_TRUE(ok({{"contains", space}, {"maxContains", 1}}, axes(1, 3)));
  EXPECT_FALSE(ok({{"contains", space}, {"maxContains", 1}}, axes(2, 0)));
  // contains ignores non-arrays.
  EXPECT_TRUE(ok({{"contains", space}}, "x"));
}

TEST(JsonSchema, ScalarKeywords) {
  EXPECT_TRUE(ok({{"enum", {"a", 1}}}, 1.0));
  EXPECT_FALSE(ok({{"enum", {"a", 1}}}, "b"));
  EXPECT_TRUE(ok({{"const", "space"}}, "space"));
  EXPECT_FALSE(ok({{"const", "space"}}, "time"));
  EXPECT_TRUE(ok({{"const", nullptr}}, nullptr));
  EXPECT_FALSE(ok({{"const", nullptr}}, 0));
  EXPECT_TRUE(ok({{"pattern", "^[A-Za-z0-9]+$"}}, "A1"));
  EXPECT_FALSE(ok({{"pattern", "^[A-Za-z0-9]+$"}}, "A-1"));
  EXPECT_TRUE(ok({{"pattern", "^__"}}, "__x"));  // a search, anchored only by ^
  EXPECT_TRUE(ok({{"pattern", "b"}}, "abc"));
  EXPECT_TRUE(ok({{"pattern", "^a"}}, 5));                  // ignores non-strings
  EXPECT_TRUE(ok({{"minLength", 2}}, "\xc3\xa9\xc3\xa9"));  // code points, not bytes
  EXPECT_FALSE(ok({{"minLength", 2}}, "\xc3\xa9"));
  EXPECT_TRUE(ok({{"minimum", 0}}, 0));
  EXPECT_FALSE(ok({{"minimum", 0}}, -1));
  EXPECT_TRUE(ok({{"maximum", 255}}, 255));
  EXPECT_FALSE(ok({{"maximum", 255}}, 256));
  EXPECT_FALSE(ok({{"exclusiveMinimum", 0}}, 0));
  EXPECT_TRUE(ok({{"exclusiveMinimum", 0}}, 1e-9));
  EXPECT_FALSE(ok(false, 1));
  EXPECT_TRUE(ok(true, 1));
}

TEST(JsonSchema, Combinators) {
  Json one = {{"oneOf", {{{"type", "integer"}}, {{"minimum", 2}}}}};
  EXPECT_TRUE(ok(one, 1));     // the first only
  EXPECT_TRUE(ok(one, 2.5));   // the second only
  EXPECT_FALSE(ok(one, 3));    // both
  EXPECT_FALSE(ok(one, 1.5));  // neither
  auto f = check(one, 3);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].keyword_path, "t.schema#/oneOf");
  Json any = {{"anyOf", {{{"type", "string"}}, {{"type", "integer"}}}}};
  EXPECT_TRUE(ok(any, 3));
  EXPECT_FALSE(ok(any, 3.5));
  Json all = {{"allOf", {{{"type", "integer"}}, {{"minimum", 2}}}}};
  EXPECT_TRUE(ok(all, 3));
  EXPECT_FALSE(ok(all, 1));
  EXPECT_FALSE(ok({{"not", {{"type", "integer"}}}}, 1));
  EXPECT_TRUE(ok({{"not", {{"type", "integer"}}}}, "x"));
}

TEST(JsonSchema, BestBranchOfAnyOf) {
  // The branch that got furthest into the instance speaks for the anyOf.
  Json image = {{"required", {"multiscales"}},
                {"properties", {{"multiscales", {{"items", {{"required", {"axes"}}}}}}}}};
  Json plate = {{"required", {"plate"}}};
  Json s = {{"anyOf", {plate, image}}};
  auto f = check(s, Json::parse(R"({"multiscales": [{}]})"));
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].instance_path, "attributes.multiscales[0]");
  EXPECT_EQ(f[0].message, "missing required field 'axes'");
  EXPECT_EQ(f[0].keyword_path, "t.schema#/anyOf/1/properties/multiscales/items/required");
}

TEST(JsonSchema, Refs) {
  SchemaRegistry registry;
  registry.add(Json::parse(R"({"$id": "https://example.org/v/axes.schema",
    "type": "array", "items": {"$ref": "#/$defs/axis"},
    "$defs": {"axis": {"type": "object", "required": ["name"]}}})"),
               "unused");
  registry.add(Json::parse(R"({"$id": "https://example.org/v/image.schema",
    "properties": {"axes": {"$ref": "axes.schema"},
                   "one": {"$ref": "https://example.org/v/axes.schema#/$defs/axis"},
                   "local": {"$ref": "#/$defs/n"}},
    "$defs": {"n": {"type": "number"}}})"),
               "unused");
  registry.check_refs();
  const std::string image = "https://example.org/v/image.schema";
  EXPECT_TRUE(registry
                  .validate(Json::parse(R"({"axes": [{"name": "x"}], "one": {"name": "y"},
    "local": 1})"),
                            image, "")
                  .empty());
  auto f = registry.validate(Json::parse(R"({"axes": [{}]})"), image, "attributes");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].instance_path, "attributes.axes[0]");
  EXPECT_EQ(f[0].keyword_path, "axes.schema#/$defs/axis/required");
  EXPECT_FALSE(registry.validate(Json::parse(R"({"one": {}})"), image, "").empty());
  EXPECT_FALSE(registry.validate(Json::parse(R"({"local": "x"})"), image, "").empty());
  // $ref with siblings: both apply (2020-12).
  EXPECT_FALSE(
      ok({{"$ref", "#/$defs/i"}, {"minimum", 5}, {"$defs", {{"i", {{"type", "integer"}}}}}}, 3));
}

TEST(JsonSchema, RefusesWhatItDoesNotImplement) {
  SchemaRegistry registry;
  EXPECT_THROW(registry.add({{"prefixItems", Json::array()}}, kBase + "a"), UsageError);
  EXPECT_THROW(registry.add({{"properties", {{"x", {{"format", "uri"}}}}}}, kBase + "b"),
               UsageError);
  EXPECT_THROW(registry.add({{"$ref", "#anchor"}}, kBase + "c"), UsageError);
  EXPECT_THROW(registry.add({{"items", {{"$id", "x"}}}}, kBase + "d"), UsageError);
  EXPECT_THROW(registry.add({{"pattern", "("}}, kBase + "e"), UsageError);
  // A property named like an unknown keyword is fine; annotations are ignored.
  EXPECT_NO_THROW(registry.add({{"properties", {{"format", {{"type", "string"}}}}},
                                {"title", "t"},
                                {"$comment", "c"},
                                {"default", 1}},
                               kBase + "f"));
  // A $ref to nothing is refused once every document is in.
  registry.add({{"$ref", "other.schema"}}, kBase + "g");
  EXPECT_THROW(registry.check_refs(), UsageError);
}

}  // namespace
