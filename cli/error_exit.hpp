// Maps library exceptions to the CLI's exit codes and one-line messages (docs/architecture.md):
// 0 ok, 1 invalid data or validation failure, 2 usage error, 3 I/O or network error.
#pragma once

#include <cstdio>
#include <exception>
#include <functional>
#include <string>

#include "ngff/error.hpp"

namespace ngff::cli {

enum ExitCode { kOk = 0, kInvalid = 1, kUsage = 2, kIo = 3 };

inline int exit_code_for(const std::exception& e) {
  if (dynamic_cast<const UsageError*>(&e)) return kUsage;
  if (dynamic_cast<const StoreError*>(&e)) return kIo;
  if (dynamic_cast<const Error*>(&e)) return kInvalid;
  return kIo;
}

// Runs `body`, printing "<program>: error: <message>" on one line and returning the exit code.
inline int run_reporting_errors(const char* program, const std::function<int()>& body) {
  try {
    return body();
  } catch (const std::exception& e) {
    std::string msg = e.what();
    for (char& c : msg)
      if (c == '\n') c = ' ';
    std::fprintf(stderr, "%s: error: %s\n", program, msg.c_str());
    return exit_code_for(e);
  }
}

}  // namespace ngff::cli
