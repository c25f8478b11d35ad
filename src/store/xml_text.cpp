#include "store/xml_text.hpp"

#include <cstdint>
#include <exception>

namespace ngff::detail {
namespace {

std::string tag(std::string_view prefix, std::string_view name) {
  std::string t(prefix);
  t += name;
  t += '>';
  return t;
}

// Appends code point `cp` in UTF-8.
void append_utf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// Decodes the entity `ent` (between '&' and ';') onto `out`; false when it is not one.
bool append_entity(std::string& out, std::string_view ent) {
  if (ent == "amp") {
    out += '&';
  } else if (ent == "lt") {
    out += '<';
  } else if (ent == "gt") {
    out += '>';
  } else if (ent == "quot") {
    out += '"';
  } else if (ent == "apos") {
    out += '\'';
  } else if (ent.size() > 1 && ent[0] == '#') {
    bool hex = ent[1] == 'x' || ent[1] == 'X';
    try {
      append_utf8(out, static_cast<uint32_t>(std::stoul(std::string(ent.substr(hex ? 2 : 1)),
                                                        nullptr, hex ? 16 : 10)));
    } catch (const std::exception&) {
      return false;
    }
  } else {
    return false;
  }
  return true;
}

}  // namespace

std::vector<std::string_view> xml_elements(std::string_view xml, std::string_view name) {
  std::vector<std::string_view> out;
  std::string open = tag("<", name), close = tag("</", name);
  size_t pos = 0;
  while ((pos = xml.find(open, pos)) != std::string_view::npos) {
    size_t begin = pos + open.size();
    size_t end = xml.find(close, begin);
    if (end == std::string_view::npos) break;
    out.push_back(xml.substr(begin, end - begin));
    pos = end + close.size();
  }
  return out;
}

std::string_view xml_first_element(std::string_view xml, std::string_view name) {
  std::string open = tag("<", name), close = tag("</", name);
  size_t begin = xml.find(open);
  if (begin == std::string_view::npos) return {};
  begin += open.size();
  size_t end = xml.find(close, begin);
  if (end == std::string_view::npos) return {};
  return xml.substr(begin, end - begin);
}

std::string xml_unescape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    size_t semi = s[i] == '&' ? s.find(';', i) : std::string_view::npos;
    // A '&' that starts no entity (none closed within 10 characters, or unknown) stays as is.
    if (semi == std::string_view::npos || semi - i > 10 ||
        !append_entity(out, s.substr(i + 1, semi - i - 1))) {
      out += s[i];
      continue;
    }
    i = semi;
  }
  return out;
}

}  // namespace ngff::detail
