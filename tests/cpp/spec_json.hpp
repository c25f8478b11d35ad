// Reading the OME-NGFF spec's fixture files: its example files carry `//` comments, dropped
// (outside strings) before parsing.
#pragma once

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "ngff/util/json.hpp"

namespace ngff::test {

inline std::string strip_comments(const std::string& text) {
  std::string out;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      out += c;
      if (c == '\\' && i + 1 < text.size()) {
        out += text[++i];
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
      out += c;
    } else if (c == '/' && i + 1 < text.size() && text[i + 1] == '/') {
      while (i < text.size() && text[i] != '\n') ++i;
      if (i < text.size()) out += '\n';
    } else {
      out += c;
    }
  }
  return out;
}

// The file's JSON, comments dropped; a discarded value (is_discarded()) when it is not JSON.
inline Json read_spec_json(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return Json::parse(strip_comments(ss.str()), nullptr, /*allow_exceptions=*/false);
}

}  // namespace ngff::test
