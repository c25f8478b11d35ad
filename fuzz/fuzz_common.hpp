// Shared by the libFuzzer targets: what every target treats as a proper answer to bad input.
// A target calls the code under test inside `expect_clean_failure`; ngff's typed errors (and the
// JSON library's parse errors, which the parsers wrap or let through as documented) are the
// expected outcome of garbage, anything else — a crash, a sanitizer report, an unexpected
// exception type — is a finding.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "ngff/error.hpp"
#include "ngff/util/json.hpp"

namespace ngff::fuzz {

// Inputs larger than this are not interesting (the decoders see bounded chunks) and only slow
// the search.
inline constexpr size_t kMaxInput = 1 << 20;

inline std::string_view as_text(const uint8_t* data, size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

template <class Body>
void expect_clean_failure(const Body& body) {
  try {
    body();
  } catch (const ngff::Error&) {
    // The documented answer to bad input.
  } catch (const Json::exception&) {
    // Malformed JSON before ngff looks at it: nlohmann's typed parse error.
  }
}

}  // namespace ngff::fuzz
