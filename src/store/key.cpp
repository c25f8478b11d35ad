#include "store/key.hpp"

#include "ngff/error.hpp"

namespace ngff {

void validate_key(std::string_view key) {
  if (key.empty()) return;
  auto fail = [&](const char* why) {
    throw InvalidKey("invalid key '" + std::string(key) + "': " + why);
  };
  if (key.front() == '/') fail("absolute keys are not allowed");
  if (key.back() == '/') fail("trailing '/' (empty segment)");
  if (key.find('\\') != std::string_view::npos) fail("'\\' is not allowed");
  if (key.find('\0') != std::string_view::npos) fail("NUL is not allowed");
  size_t start = 0;
  while (start <= key.size()) {
    size_t end = key.find('/', start);
    if (end == std::string_view::npos) end = key.size();
    std::string_view segment = key.substr(start, end - start);
    if (segment.empty()) fail("empty segment ('//')");
    if (segment == "." || segment == "..") fail("'.' and '..' segments are not allowed");
    start = end + 1;
  }
}

std::string join_key(std::string_view prefix, std::string_view name) {
  if (prefix.empty()) return std::string(name);
  if (name.empty()) return std::string(prefix);
  std::string out(prefix);
  out += '/';
  out += name;
  return out;
}

std::string parent_key(std::string_view key) {
  auto pos = key.rfind('/');
  return pos == std::string_view::npos ? std::string() : std::string(key.substr(0, pos));
}

std::string normalize_node_path(std::string_view path) {
  while (!path.empty() && path.front() == '/') path.remove_prefix(1);
  while (!path.empty() && path.back() == '/') path.remove_suffix(1);
  validate_key(path);
  return std::string(path);
}

}  // namespace ngff
