#include <algorithm>

#include "ngff/ome/validate.hpp"

namespace ngff::ome {

std::string to_string(Severity severity) {
  switch (severity) {
    case Severity::error:
      return "error";
    case Severity::warning:
      return "warning";
    case Severity::info:
      return "info";
  }
  return "error";
}

size_t ValidationReport::count(Severity severity) const {
  return static_cast<size_t>(std::count_if(
      problems.begin(), problems.end(), [&](const Problem& p) { return p.severity == severity; }));
}

bool ValidationReport::valid(bool strict_verdict) const {
  return count(Severity::error) == 0 && (!strict_verdict || count(Severity::warning) == 0);
}

Json ValidationReport::to_json(bool strict_verdict) const {
  Json problem_list = Json::array();
  for (const Problem& p : problems)
    problem_list.push_back({{"severity", ome::to_string(p.severity)},
                            {"node_url", p.node_url},
                            {"json_path", p.json_path},
                            {"rule", p.rule},
                            {"message", p.message}});
  Json j = {{"valid", valid(strict_verdict)}};
  // The conformance runner shows "message": the first problem that counts against the verdict.
  auto first = std::find_if(problems.begin(), problems.end(), [&](const Problem& p) {
    return p.severity == Severity::error || (strict_verdict && p.severity == Severity::warning);
  });
  if (first != problems.end()) {
    std::string message = ome::to_string(first->severity) + " " + first->rule + " at " +
                          (first->json_path.empty() ? first->node_url : first->json_path) + ": " +
                          first->message;
    size_t more = problems.size() - 1;
    if (more) message += " (+" + std::to_string(more) + " more)";
    j["message"] = message;
  }
  j["url"] = url;
  j["version"] = version_text.empty() ? Json() : Json(version_text);
  j["kind"] = kind;
  j["strict"] = strict_verdict;
  j["schemas"] = schema_dir ? Json(*schema_dir) : Json();
  j["problems"] = std::move(problem_list);
  j["counts"] = {{"error", count(Severity::error)},
                 {"warning", count(Severity::warning)},
                 {"info", count(Severity::info)}};
  return j;
}

}  // namespace ngff::ome
