#include "json_path.hpp"

#include <algorithm>
#include <cmath>

#include "ngff/error.hpp"

namespace ngff::ome::detail {

std::string key_path(std::string_view where, std::string_view key) {
  if (where.empty()) return std::string(key);
  std::string out(where);
  out += '.';
  out += key;
  return out;
}

std::string index_path(std::string_view where, size_t index) {
  return std::string(where) + "[" + std::to_string(index) + "]";
}

std::string describe(const Json& value) {
  std::string text = value.dump(-1, ' ', false, Json::error_handler_t::replace);
  if (text.size() > 80) text = text.substr(0, 77) + "...";
  return text;
}

void fail(std::string_view path, std::string_view message) {
  throw ValidationError(std::string(path) + ": " + std::string(message));
}

void expect_object(const Json& value, std::string_view path) {
  if (!value.is_object()) fail(path, "expected a JSON object, got " + describe(value));
}

void expect_array(const Json& value, std::string_view path) {
  if (!value.is_array()) fail(path, "expected an array, got " + describe(value));
}

std::string as_string(const Json& value, std::string_view path) {
  if (!value.is_string()) fail(path, "expected a string, got " + describe(value));
  return value.get<std::string>();
}

double as_number(const Json& value, std::string_view path) {
  if (!value.is_number()) fail(path, "expected a number, got " + describe(value));
  return value.get<double>();
}

int64_t as_integer(const Json& value, std::string_view path) {
  if (value.is_number_unsigned()) {
    if (value.get<uint64_t>() > static_cast<uint64_t>(INT64_MAX))
      fail(path, "integer " + describe(value) + " is out of range");
    return static_cast<int64_t>(value.get<uint64_t>());
  }
  if (value.is_number_integer()) return value.get<int64_t>();
  if (value.is_number_float()) {
    double d = value.get<double>();
    if (std::isfinite(d) && d == std::trunc(d) && std::fabs(d) < 9.2e18)
      return static_cast<int64_t>(d);
  }
  fail(path, "expected an integer, got " + describe(value));
}

bool as_bool(const Json& value, std::string_view path) {
  if (!value.is_boolean()) fail(path, "expected true or false, got " + describe(value));
  return value.get<bool>();
}

const Json* find(const Json& object, std::string_view key) {
  auto it = object.find(std::string(key));
  if (it == object.end() || it->is_null()) return nullptr;
  return &*it;
}

const Json& required(const Json& object, std::string_view key, std::string_view where) {
  const Json* value = find(object, key);
  if (!value) fail(where, "missing required field '" + std::string(key) + "'");
  return *value;
}

std::optional<std::string> optional_string(const Json& object, std::string_view key,
                                           std::string_view where) {
  const Json* value = find(object, key);
  if (!value) return std::nullopt;
  return as_string(*value, key_path(where, key));
}

std::optional<bool> optional_bool(const Json& object, std::string_view key,
                                  std::string_view where) {
  const Json* value = find(object, key);
  if (!value) return std::nullopt;
  return as_bool(*value, key_path(where, key));
}

std::optional<double> optional_number(const Json& object, std::string_view key,
                                      std::string_view where) {
  const Json* value = find(object, key);
  if (!value) return std::nullopt;
  return as_number(*value, key_path(where, key));
}

Json extra_members(const Json& object, std::initializer_list<std::string_view> known) {
  Json extra = Json::object();
  for (auto it = object.begin(); it != object.end(); ++it) {
    bool is_known = std::find(known.begin(), known.end(), it.key()) != known.end();
    if (!is_known || it->is_null()) extra[it.key()] = *it;
  }
  return extra;
}

void merge_extra(Json& out, const Json& extra) {
  if (!extra.is_object()) return;
  for (auto it = extra.begin(); it != extra.end(); ++it)
    if (!out.contains(it.key())) out[it.key()] = *it;
}

}  // namespace ngff::ome::detail
