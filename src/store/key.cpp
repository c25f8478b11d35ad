#include "store/key.hpp"

#include "ngff/error.hpp"

namespace ngff {
namespace {

// The length of the well-formed UTF-8 sequence at the start of `s` (RFC 3629: no overlong forms,
// no surrogates, nothing above U+10FFFF), or 0. Overlong forms matter: "\xC0\xAE" is a '.'
// to a lenient decoder, and a key must mean one thing to every store and server.
size_t utf8_sequence(std::string_view s) {
  const auto byte = [&](size_t i) { return static_cast<unsigned char>(s[i]); };
  const unsigned char b0 = byte(0);
  if (b0 < 0x80) return 1;
  size_t n = 0;
  unsigned char lo = 0x80, hi = 0xBF;  // the range of the second byte
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    n = 2;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    n = 3;
    if (b0 == 0xE0) lo = 0xA0;  // overlong below U+0800
    if (b0 == 0xED) hi = 0x9F;  // UTF-16 surrogates
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    n = 4;
    if (b0 == 0xF0) lo = 0x90;  // overlong below U+10000
    if (b0 == 0xF4) hi = 0x8F;  // above U+10FFFF
  } else {
    return 0;  // a continuation byte, C0/C1 (overlong ASCII) or F5..FF
  }
  if (s.size() < n || byte(1) < lo || byte(1) > hi) return 0;
  for (size_t i = 2; i < n; ++i)
    if (byte(i) < 0x80 || byte(i) > 0xBF) return 0;
  return n;
}

// The key as an error message can carry it: control characters and bytes that are not UTF-8 as
// \xNN (a message must itself be valid UTF-8, e.g. for Python).
std::string printable(std::string_view key) {
  static const char* const kHex = "0123456789ABCDEF";
  std::string out;
  for (size_t i = 0; i < key.size();) {
    const auto c = static_cast<unsigned char>(key[i]);
    const size_t n = (c < 0x20 || c == 0x7F) ? 0 : utf8_sequence(key.substr(i));
    if (n == 0) {
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
      ++i;
    } else {
      out += key.substr(i, n);
      i += n;
    }
  }
  return out;
}

}  // namespace

void validate_key(std::string_view key) {
  if (key.empty()) return;
  auto fail = [&](const char* why) {
    throw InvalidKey("invalid key '" + printable(key) + "': " + why);
  };
  if (key.front() == '/') fail("absolute keys are not allowed");
  if (key.back() == '/') fail("trailing '/' (empty segment)");
  if (key.find('\\') != std::string_view::npos) fail("'\\' is not allowed");
  if (key.find('\0') != std::string_view::npos) fail("NUL is not allowed");
  for (size_t i = 0; i < key.size();) {
    const auto c = static_cast<unsigned char>(key[i]);
    if (c < 0x20 || c == 0x7F) fail("control characters are not allowed");
    const size_t n = utf8_sequence(key.substr(i));
    if (n == 0) fail("not valid UTF-8 (overlong, surrogate or stray bytes)");
    i += n;
  }
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
