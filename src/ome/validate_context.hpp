// What one validation run shares between its parts (metadata checks, tree walk, deep reads): the
// options, the schemas and the problems found so far. Internal to ome::validate.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "ngff/ome/validate.hpp"
#include "schema_set.hpp"

namespace ngff::ome::detail {

struct ValidateContext {
  explicit ValidateContext(const ValidateOptions& o);

  const ValidateOptions& options;
  std::shared_ptr<const SchemaSet> schemas;  // null when no schema folder was found

  // Thread-safe (deep reads report from the thread pool).
  void report(Severity severity, const std::string& node_url, std::string json_path,
              std::string rule, std::string message);
  // A "<json path>: <message>" line of the typed parsers (ValidationError, warnings()).
  void report_line(Severity severity, const std::string& node_url, const std::string& line,
                   std::string rule);
  size_t errors() const;
  std::vector<Problem> take_problems();

 private:
  mutable std::mutex mutex_;
  std::vector<Problem> problems_;
};

}  // namespace ngff::ome::detail
