// Reading S3's ListObjectsV2 answers: one page of keys (and of common prefixes when the request
// had a delimiter), and where the next page starts. Internal to the store layer.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace ngff::s3 {

struct ListPage {
  std::vector<std::string> keys;      // <Contents><Key>
  std::vector<std::string> prefixes;  // <CommonPrefixes><Prefix> (with a delimiter)
  bool truncated = false;
  std::string next_token;
};

ListPage parse_list_objects(std::string_view xml);

}  // namespace ngff::s3
