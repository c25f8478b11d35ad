#include "store/s3_list.hpp"

#include "store/xml_text.hpp"
#include "util/strings.hpp"

namespace ngff::s3 {

using detail::xml_elements;
using detail::xml_first_element;
using detail::xml_unescape;

ListPage parse_list_objects(std::string_view xml) {
  ListPage page;
  for (auto contents : xml_elements(xml, "Contents"))
    for (auto key : xml_elements(contents, "Key")) page.keys.push_back(xml_unescape(key));
  for (auto common : xml_elements(xml, "CommonPrefixes"))
    for (auto p : xml_elements(common, "Prefix")) page.prefixes.push_back(xml_unescape(p));
  page.truncated = trim(xml_unescape(xml_first_element(xml, "IsTruncated"))) == "true";
  page.next_token = xml_unescape(xml_first_element(xml, "NextContinuationToken"));
  return page;
}

}  // namespace ngff::s3
