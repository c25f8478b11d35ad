// Validation of OME-Zarr: one verdict for a node and everything below it, with every problem
// found rather than the first.
//
// Two halves, each problem tagged with the rule that found it:
//   - the OME-NGFF JSON schemas (draft 2020-12) of the node's version, run by ngff's own
//     evaluator. Their folder is found at run time: $NGFF_SCHEMAS (a folder holding 0.4/, 0.5/,
//     0.6-dev/, each with schemas/*.schema, as in the ome/ngff-spec repository), else the folder
//     the build was configured with. Without them the rules below still run and one warning
//     "schema/unavailable" says so. Rule "schema:<file>#<keyword path>"; what only the strict_*
//     schemas reject (the spec's SHOULDs) is a warning "schema-strict:...".
//   - ngff's typed parsers (rule "model": the spec's MUSTs, the first one broken per node), their
//     SHOULD warnings ("should/<kind>"), and the rules a schema cannot express because they need
//     the arrays or other nodes (docs/usage.md lists them: "multiscales/dtype-equal",
//     "plate/well-exists", ...). With `deep`, every chunk of every level is read too.
// Kinds: image, label image (and an image's "labels" group with each label image), labels group,
// plate (its wells and their fields), well (its fields), bioformats2raw (the series).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ngff/ome/version.hpp"
#include "ngff/store/store.hpp"
#include "ngff/util/json.hpp"

namespace ngff::ome {

// error: breaks a MUST of the spec; warning: a SHOULD (invalid under --strict); info: worth
// knowing, breaks nothing (chunks that are absent, which Zarr reads as the fill value).
enum class Severity { error, warning, info };

// "error", "warning", "info".
std::string to_string(Severity severity);

struct Problem {
  Severity severity = Severity::error;
  std::string node_url;   // the node the problem is in: "file:///d/p.zarr/A/1/0"
  std::string json_path;  // "attributes.ome.multiscales[0].datasets[1].path" ("" = the node)
  std::string rule;       // "schema:image.schema#/$defs/axes/maxContains", "multiscales/ndim"
  std::string message;    // one line
  bool operator==(const Problem&) const = default;
};

struct ValidateOptions {
  // Under strict, warnings make the data invalid too (ValidationReport::valid(true)); the option
  // itself only sets the default of to_json().
  bool strict = false;
  // Read every chunk of every array level: missing chunks are warnings, undecodable or wrongly
  // sized ones errors; label images' colours are checked against their values.
  bool deep = false;
  // The node's own metadata only: neither child nodes (wells, fields, labels, series, arrays)
  // nor chunks. For metadata-only corpora such as the spec's conformance tests.
  bool metadata_only = false;
  // The schema folder; empty: $NGFF_SCHEMAS, else the build's default.
  std::string schema_dir{};
  // Called with (bytes decoded, bytes in total) while `deep` reads: from the thread pool, one
  // call at a time.
  std::function<void(uint64_t, uint64_t)> progress{};
};

struct ValidationReport {
  std::string url;
  std::optional<Version> version;  // of the root node, when it has a supported one
  std::string version_text;        // as the root's metadata spells it ("0.6rc0"), "" when none
  std::string kind;  // of the root: image, label_image, labels, plate, well, bioformats2raw,
                     // group, array, attributes (a document without a known kind)
  std::optional<std::string> schema_dir;  // the schemas used, nullopt when none were found
  std::vector<Problem> problems;
  bool strict = false;  // the options' strict

  size_t count(Severity severity) const;
  // No errors, and under `strict` no warnings either.
  bool valid(bool strict_verdict) const;
  bool valid() const { return valid(strict); }
  // The object `ngff validate --json` prints; it is also an answer of the ome/ngff-spec
  // conformance runner ({"valid": bool, "message": str}):
  //   {"valid", "message" (the first problem, when any), "url", "version", "kind", "strict",
  //    "schemas", "problems": [{"severity", "node_url", "json_path", "rule", "message"}],
  //    "counts": {"error", "warning"}}
  Json to_json(bool strict_verdict) const;
  Json to_json() const { return to_json(strict); }
};

// Validates the node at `url` and everything below it. Never throws for bad data or metadata
// (that is a Problem, an unparsable zarr.json included); throws StoreError / KeyNotFound when
// nothing can be read at `url`, UsageError for bad options or unusable schema files.
ValidationReport validate(std::string_view url, const ValidateOptions& options = {});
ValidationReport validate(const StorePtr& store, std::string_view path,
                          const ValidateOptions& options = {});

// A bare attributes document (what a group's zarr.json "attributes" or .zattrs hold): the schema
// half and the typed rules that need no arrays or other nodes. The conformance runner's
// attributes mode; `url` names it in the problems.
ValidationReport validate_attributes(const Json& attributes, const ValidateOptions& options = {},
                                     std::string_view url = "");

}  // namespace ngff::ome
