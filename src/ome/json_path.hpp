// Internal helpers of the OME-NGFF metadata parsers: JSON paths ("attributes.multiscales[0].axes")
// and typed access that throws ValidationError "<path>: <what was expected>, got <value>".
// Conventions: a known key whose value is null counts as absent and is kept among the extra keys,
// so that a parse followed by to_json gives back the same document.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include "ngff/util/json.hpp"

namespace ngff::ome::detail {

// "where.key" ("key" when `where` is empty) and "where[i]".
std::string key_path(std::string_view where, std::string_view key);
std::string index_path(std::string_view where, size_t index);

// A short rendering of a JSON value for messages (long values are cut).
std::string describe(const Json& value);

[[noreturn]] void fail(std::string_view path, std::string_view message);

void expect_object(const Json& value, std::string_view path);
void expect_array(const Json& value, std::string_view path);
std::string as_string(const Json& value, std::string_view path);
double as_number(const Json& value, std::string_view path);
int64_t as_integer(const Json& value, std::string_view path);  // integral floats are accepted
bool as_bool(const Json& value, std::string_view path);

// The value of `key` in the object `object` (at `where`), or nullptr when absent or null.
const Json* find(const Json& object, std::string_view key);
// The value of `key`; throws "<where>: missing required field '<key>'" when absent or null.
const Json& required(const Json& object, std::string_view key, std::string_view where);

std::optional<std::string> optional_string(const Json& object, std::string_view key,
                                           std::string_view where);
std::optional<bool> optional_bool(const Json& object, std::string_view key, std::string_view where);
std::optional<double> optional_number(const Json& object, std::string_view key,
                                      std::string_view where);

// The members of `object` that are not among `known` (known keys with a null value included).
Json extra_members(const Json& object, std::initializer_list<std::string_view> known);
// Adds the members of `extra` that `out` does not have.
void merge_extra(Json& out, const Json& extra);

}  // namespace ngff::ome::detail
