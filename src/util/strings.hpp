// Small string helpers the parsers of user input and of remote answers share (region and codec
// spellings, AWS profile files, S3 listings). Internal.
#pragma once

#include <string_view>
#include <vector>

namespace ngff {

// The pieces of `s` between `sep`s, empty ones included: "a,,b" -> {"a", "", "b"}, "" -> {""}.
// The pieces view `s`.
std::vector<std::string_view> split(std::string_view s, char sep);

// `s` without leading and trailing white space.
std::string_view trim(std::string_view s);

}  // namespace ngff
