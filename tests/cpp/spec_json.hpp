// Reading the OME-NGFF spec's fixture files: its example files carry `//` comments, dropped
// (outside strings) before parsing.
#pragma once

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "ngff/util/json.hpp"

namespace ngff::test {

// `text` as JSON with its `//` comments dropped (nlohmann's ignore_comments: outside strings
// only); a discarded value (is_discarded()) when it is not JSON.
inline Json parse_spec_text(const std::string& text) {
  return Json::parse(text, nullptr, /*allow_exceptions=*/false, /*ignore_comments=*/true);
}

// The file's JSON, comments dropped; a discarded value (is_discarded()) when it is not JSON.
inline Json read_spec_json(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return parse_spec_text(ss.str());
}

}  // namespace ngff::test
