// A JSON Schema (draft 2020-12) evaluator for exactly the subset of keywords the OME-NGFF schemas
// use, over ngff::Json.
//
// Why hand-written: the schemas depend on "contains" with "minContains"/"maxContains" (2-3 space
// axes, exactly one scale transformation; 2019-09 keywords), and no C++ validator packaged for
// Debian 12 implements them: valijson (the only one there) knows drafts 3, 4 and 7 and its
// package pulls Qt, Poco and four other JSON libraries into the build; nlohmann's
// json-schema-validator is draft 7 and not packaged. A draft-7 validator ignores the 2019-09
// keywords and so accepts exactly the images the schemas were written to reject. Should a
// maintained 2020-12 library become available (jsoncons, Debian 13), it can replace this file
// behind the same interface.
//
// Supported keywords: type properties required items (schema form) minItems maxItems uniqueItems
// enum const pattern minLength minimum maximum exclusiveMinimum allOf anyOf oneOf not
// additionalProperties contains minContains maxContains $ref $defs, and the annotations $id
// (document root only) $schema $comment title description default. A schema using any other
// keyword is refused when it is loaded, so that a future schema is never half-checked. $ref is
// resolved within the registry only (never fetched): "#/json/pointer", an absolute URI (a
// registered "$id", with or without a fragment), or a URI relative to the containing document's
// "$id".
#pragma once

#include <map>
#include <regex>
#include <string>
#include <string_view>
#include <vector>

#include "ngff/util/json.hpp"

namespace ngff::ome::detail {

struct SchemaFailure {
  std::string instance_path;  // in the metadata parsers' style: "attributes.ome.multiscales[0]"
  std::string keyword_path;   // the failing keyword: "image.schema#/$defs/axes/maxContains"
  std::string message;        // one line
  size_t depth = 0;           // segments of instance_path below the root
};

class SchemaRegistry {
 public:
  // Adds a schema document under its "$id" (`fallback_uri` when it has none). Throws UsageError
  // naming the keyword when the schema uses one this evaluator does not implement.
  void add(Json schema, const std::string& fallback_uri);
  // Throws UsageError naming the first "$ref" that does not resolve within the registry; call it
  // once every document is added.
  void check_refs() const;

  bool contains(const std::string& uri) const { return documents_.contains(uri); }
  // The document registered as `uri` (UsageError when there is none), e.g. to adjust an enum.
  Json& document(const std::string& uri);

  // Every failure of `instance` against the document `uri`; empty when it is valid. `where` is
  // the instance's own path ("attributes").
  std::vector<SchemaFailure> validate(const Json& instance, const std::string& uri,
                                      std::string_view where) const;

  // NOLINTNEXTLINE(bugprone-exception-escape): Json's move may throw in theory only
  struct Document {
    Json schema;
    std::string uri;
    std::string name;  // the last segment of the URI: "image.schema"
  };

 private:
  friend class SchemaEvaluator;
  std::map<std::string, Document, std::less<>> documents_;
  std::map<std::string, std::regex, std::less<>> patterns_;  // compiled once, at load
};

}  // namespace ngff::ome::detail
