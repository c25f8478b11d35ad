#include "ngff/util/json.hpp"

#include "ngff/error.hpp"

namespace ngff {
namespace {

// Rewrites bare NaN / Infinity / -Infinity tokens (outside strings) as JSON strings.
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
      out += "\"NaN\"";
      i += 2;
    } else if (token_at("-Infinity")) {
      out += "\"-Infinity\"";
      i += 8;
    } else if (token_at("Infinity")) {
      out += "\"Infinity\"";
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
    return Json::parse(quote_non_finite(text));
  } catch (const Json::parse_error& e) {
    std::string what = e.what();
    auto pos = what.find("parse error");
    throw MetadataError(std::string(where) + ": malformed JSON (" +
                        (pos == std::string::npos ? what : what.substr(pos)) + ")");
  }
}

std::string dump_json(const Json& j) { return j.dump(4, ' ', false, Json::error_handler_t::replace); }

const Json& require_field(const Json& object, std::string_view key, std::string_view where) {
  if (!object.is_object())
    throw MetadataError(std::string(where) + ": expected a JSON object");
  auto it = object.find(std::string(key));
  if (it == object.end())
    throw MetadataError(std::string(where) + ": missing required field '" + std::string(key) +
                        "'");
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
