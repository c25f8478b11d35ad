// The OME-NGFF JSON schemas, found and loaded at run time: a folder holding one subfolder per
// version (0.4/, 0.5/, 0.6-dev/), each with schemas/*.schema, as the ome/ngff-spec repository
// lays them out. The schema files are the specification's, not ngff's, so they are not part of
// the repository; ngff's typed rules re-check what they check when they are absent.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "json_schema.hpp"

namespace ngff::ome::detail {

struct SchemaSet {
  std::string root;  // the folder holding the version folders
  SchemaRegistry registry;
  // version folder ("0.5", "0.6-dev") -> schema file name ("image.schema") -> its URI ($id)
  std::map<std::string, std::map<std::string, std::string, std::less<>>, std::less<>> uris;

  // The URI of `file` of the schemas for `version` ("0.4", "0.5", "0.6rc0"), or nullopt. A
  // version folder matches by prefix, so "0.6" and "0.6rc0" find 0.6-dev/.
  std::optional<std::string> uri(std::string_view version, std::string_view file) const;
};

// Loads every <root>/<version>/schemas/*.schema (every $ref must resolve). The 0.6 draft's
// _version.schema, which only knows "0.6rc0", is widened to ["0.6", "0.6rc0"] in memory, the
// version ngff writes. nullptr when `root` holds no schemas; UsageError for a schema using a
// keyword the evaluator does not implement.
std::shared_ptr<const SchemaSet> load_schema_set(const std::string& root);

// The schemas of `dir`, else of $NGFF_SCHEMAS, else of the build's default folder; nullptr when
// none holds any. Loaded once per folder.
std::shared_ptr<const SchemaSet> find_schema_set(const std::string& dir = "");

}  // namespace ngff::ome::detail
