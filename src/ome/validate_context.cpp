#include "validate_context.hpp"

#include <algorithm>

namespace ngff::ome::detail {

ValidateContext::ValidateContext(const ValidateOptions& o)
    : options(o), schemas(find_schema_set(o.schema_dir)) {}

void ValidateContext::report(Severity severity, const std::string& node_url, std::string json_path,
                             std::string rule, std::string message) {
  std::replace(message.begin(), message.end(), '\n', ' ');
  std::lock_guard lock(mutex_);
  problems_.push_back(
      {severity, node_url, std::move(json_path), std::move(rule), std::move(message)});
}

void ValidateContext::report_line(Severity severity, const std::string& node_url,
                                  const std::string& line, std::string rule) {
  // The parsers' paths are "attributes..." (no ": " inside), so the first ": " ends the path.
  auto colon = line.find(": ");
  if (colon == std::string::npos || line.rfind("attributes", 0) != 0)
    report(severity, node_url, "", std::move(rule), line);
  else
    report(severity, node_url, line.substr(0, colon), std::move(rule), line.substr(colon + 2));
}

size_t ValidateContext::errors() const {
  std::lock_guard lock(mutex_);
  return static_cast<size_t>(std::count_if(problems_.begin(), problems_.end(), [](const auto& p) {
    return p.severity == Severity::error;
  }));
}

std::vector<Problem> ValidateContext::take_problems() {
  std::lock_guard lock(mutex_);
  return std::move(problems_);
}

}  // namespace ngff::ome::detail
