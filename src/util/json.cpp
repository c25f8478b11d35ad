#include "ngff/util/json.hpp"

#include <cmath>
#include <limits>

#include "ngff/error.hpp"

namespace ngff {
namespace {

// Python's json module writes float NaN and infinities as bare tokens, which JSON lacks. They are
// carried through nlohmann::json as sentinel strings while parsing and dumping, and held in
// memory as real doubles, so that a document read and written again keeps its bare tokens.
constexpr std::string_view kNaN = "\\u0001ngff:NaN\\u0001";
constexpr std::string_view kInf = "\\u0001ngff:Infinity\\u0001";
constexpr std::string_view kNegInf = "\\u0001ngff:-Infinity\\u0001";

// Sentinel strings -> doubles, recursively.
void sentinels_to_doubles(Json& j) {
  if (j.is_string()) {
    const auto& s = j.get_ref<const std::string&>();
    if (s.size() > 2 && s.front() == '\x01' && s.back() == '\x01') {
      if (s == "\x01ngff:NaN\x01")
        j = std::numeric_limits<double>::quiet_NaN();
      else if (s == "\x01ngff:Infinity\x01")
        j = std::numeric_limits<double>::infinity();
      else if (s == "\x01ngff:-Infinity\x01")
        j = -std::numeric_limits<double>::infinity();
    }
  } else if (j.is_structured()) {
    for (auto& v : j) sentinels_to_doubles(v);
  }
}

// Non-finite doubles -> sentinel strings, recursively; returns whether any was found.
bool doubles_to_sentinels(Json& j) {
  if (j.is_number_float()) {
    double d = j.get<double>();
    if (std::isnan(d))
      j = "\x01ngff:NaN\x01";
    else if (std::isinf(d))
      j = d > 0 ? "\x01ngff:Infinity\x01" : "\x01ngff:-Infinity\x01";
    else
      return false;
    return true;
  }
  bool any = false;
  if (j.is_structured())
    for (auto& v : j) any |= doubles_to_sentinels(v);
  return any;
}

void replace_all(std::string& text, std::string_view from, std::string_view to) {
  for (size_t pos = text.find(from); pos != std::string::npos;
       pos = text.find(from, pos + to.size()))
    text.replace(pos, from.size(), to);
}

// Rewrites bare NaN / Infinity / -Infinity tokens (outside strings) as sentinel strings.
std::string quote_non_finite(std::string_view text) {
  std::string out;
  out.reserve(text.size());
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
      continue;
    }
    if (c == '"') {
      in_string = true;
      out += c;
      continue;
    }
    auto token_at = [&](std::string_view token) { return text.substr(i, token.size()) == token; };
    if (token_at("NaN")) {
      out += "\"" + std::string(kNaN) + "\"";
      i += 2;
    } else if (token_at("-Infinity")) {
      out += "\"" + std::string(kNegInf) + "\"";
      i += 8;
    } else if (token_at("Infinity")) {
      out += "\"" + std::string(kInf) + "\"";
      i += 7;
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

Json parse_json(std::string_view text, std::string_view where) {
  try {
    return Json::parse(text);
  } catch (const Json::parse_error&) {
    // Fall through: maybe Python's non-finite tokens.
  }
  try {
    Json j = Json::parse(quote_non_finite(text));
    sentinels_to_doubles(j);
    return j;
  } catch (const Json::parse_error& e) {
    std::string what = e.what();
    auto pos = what.find("parse error");
    throw MetadataError(std::string(where) + ": malformed JSON (" +
                        (pos == std::string::npos ? what : what.substr(pos)) + ")");
  }
}

std::string dump_json(const Json& j) {
  Json copy = j;
  if (!doubles_to_sentinels(copy)) return j.dump(4, ' ', false, Json::error_handler_t::replace);
  std::string text = copy.dump(4, ' ', false, Json::error_handler_t::replace);
  replace_all(text, "\"" + std::string(kNaN) + "\"", "NaN");
  replace_all(text, "\"" + std::string(kInf) + "\"", "Infinity");
  replace_all(text, "\"" + std::string(kNegInf) + "\"", "-Infinity");
  return text;
}

const Json& require_field(const Json& object, std::string_view key, std::string_view where) {
  if (!object.is_object()) throw MetadataError(std::string(where) + ": expected a JSON object");
  auto it = object.find(std::string(key));
  if (it == object.end())
    throw MetadataError(std::string(where) + ": missing required field '" + std::string(key) + "'");
  return *it;
}

std::string require_string(const Json& object, std::string_view key, std::string_view where) {
  const Json& v = require_field(object, key, where);
  if (!v.is_string())
    throw MetadataError(std::string(where) + ": '" + std::string(key) + "' must be a string, got " +
                        v.dump());
  return v.get<std::string>();
}

uint64_t as_uint(const Json& value, std::string_view where) {
  if (value.is_number_unsigned()) return value.get<uint64_t>();
  if (value.is_number_integer() && value.get<int64_t>() >= 0) return value.get<uint64_t>();
  throw MetadataError(std::string(where) + ": expected a non-negative integer, got " +
                      value.dump());
}

}  // namespace ngff
