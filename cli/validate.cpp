// ngff validate URL|ATTRS.json [--json] [--strict] [--deep] [--metadata-only] [--exit-zero]:
// one verdict for an OME-Zarr node and everything below it (ome/validate.hpp). Human output is
// one line per problem, "<severity>  <node url>  <json path>  <rule>  <message>", then the
// verdict; --json prints one object that is also an answer of the ome/ngff-spec conformance
// runner ({"valid": bool, "message": str, ...}). Exit 0 valid, 1 invalid, 2 usage, 3 the root
// cannot be read; --exit-zero exits 0 whenever a verdict was printed (the runner counts any other
// exit as an error of the tool).
#include <fmt/core.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "commands.hpp"
#include "error_exit.hpp"
#include "ngff/error.hpp"
#include "ngff/ome/validate.hpp"
#include "progress.hpp"

namespace ngff::cli {
namespace {

struct ValidateFlags {
  std::string url;
  bool json = false;
  bool strict = false;
  bool deep = false;
  bool metadata_only = false;
  bool exit_zero = false;
  ProgressFlags progress;
};

// A local file ending in .json is an attributes document (the runner's attributes mode).
std::optional<Json> attributes_document(const std::string& url) {
  std::filesystem::path p(url);
  std::error_code ec;
  if (p.extension() != ".json" || !std::filesystem::is_regular_file(p, ec)) return std::nullopt;
  std::ifstream in(p, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return parse_json(text.str(), url);
}

ome::ValidationReport run_checks(const ValidateFlags& f, ome::ValidateOptions& o) {
  std::optional<Json> document;
  try {
    document = attributes_document(f.url);
  } catch (const MetadataError& e) {
    // Not JSON at all: an invalid document, not a failure of the tool.
    ome::ValidationReport report = ome::validate_attributes(Json::object(), o, f.url);
    report.problems = {{ome::Severity::error, f.url, "", "zarr/metadata", e.what()}};
    report.kind = "attributes";
    return report;
  }
  if (document) {
    // The runner's documents carry their own "_conformance" notes beside the attributes.
    if (document->is_object()) document->erase("_conformance");
    return ome::validate_attributes(*document, o, f.url);
  }
  ProgressBar bar("validate", f.deep && progress_enabled(f.progress.quiet, f.progress.progress));
  o.progress = [&](uint64_t done, uint64_t total) { bar.update(done, total); };
  auto report = ome::validate(f.url, o);
  bar.finish();
  return report;
}

int run_validate(const ValidateFlags& f) {
  ome::ValidateOptions o;
  o.strict = f.strict;
  o.deep = f.deep;
  o.metadata_only = f.metadata_only;
  ome::ValidationReport report = run_checks(f, o);
  bool valid = report.valid(f.strict);
  if (f.json) {
    fmt::print("{}\n", report.to_json(f.strict).dump(2));
  } else {
    for (const ome::Problem& p : report.problems)
      fmt::print("{:<7}  {}  {}  {}  {}\n", ome::to_string(p.severity), p.node_url,
                 p.json_path.empty() ? "-" : p.json_path, p.rule, p.message);
    size_t errors = report.count(ome::Severity::error);
    size_t warnings = report.count(ome::Severity::warning);
    std::string what = fmt::format("{} error{}, {} warning{}", errors, errors == 1 ? "" : "s",
                                   warnings, warnings == 1 ? "" : "s");
    std::string version = report.version_text.empty() ? "" : " " + report.version_text;
    if (valid)
      fmt::print("valid: OME-NGFF{} {}{}{}\n", version, report.kind, f.strict ? " (strict)" : "",
                 errors + warnings ? " (" + what + ")" : "");
    else
      fmt::print("invalid: {}{}\n", what,
                 f.strict && warnings ? " (--strict: warnings count)" : "");
  }
  return valid || f.exit_zero ? kOk : kInvalid;
}

}  // namespace

void setup_validate(CLI::App& app) {
  auto f = std::make_shared<ValidateFlags>();
  auto* sub = app.add_subcommand(
      "validate",
      "Check an OME-Zarr node and everything below it against the OME-NGFF specification "
      "(JSON schemas and the rules they cannot express)");
  sub->add_option("url", f->url,
                  "Path or URL of the node (file, http(s)://, s3://), or an attributes .json file")
      ->required();
  sub->add_flag("--json", f->json, "Print one JSON object (the conformance runner's shape)");
  sub->add_flag("--strict", f->strict, "Warnings (the spec's SHOULDs) make the data invalid too");
  sub->add_flag("--deep", f->deep,
                "Read every chunk of every level: missing chunks are warnings, undecodable ones "
                "errors");
  sub->add_flag("--metadata-only", f->metadata_only,
                "Check the node's own metadata only, not its arrays and child nodes");
  sub->add_flag("--exit-zero", f->exit_zero,
                "Exit 0 whenever a verdict was printed, valid or not (for test runners)");
  add_progress_flags(*sub, f->progress);
  sub->callback([f] { run_verb([&] { return run_validate(*f); }); });
}

}  // namespace ngff::cli
