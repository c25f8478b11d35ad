// Store keys: '/'-separated relative paths. They are validated once, here, so that no store ever
// sees `..`, an absolute path, a backslash or an empty segment (a hostile key could otherwise
// escape a FileStore's root).
#pragma once

#include <string>
#include <string_view>

namespace ngff {

// Throws InvalidKey naming the key and the rule it breaks. The empty key (the root) is valid.
void validate_key(std::string_view key);

// Joins two key parts with '/', skipping empty parts ("" + "a" = "a").
std::string join_key(std::string_view prefix, std::string_view name);

// The parent of "a/b/c" is "a/b"; of "a" it is "".
std::string parent_key(std::string_view key);

// Normalises a node path given by a user ("/a/b/", "a//b" is refused): strips leading and
// trailing '/', then validates.
std::string normalize_node_path(std::string_view path);

}  // namespace ngff
