// Just enough XML for S3's answers (listings, multipart uploads, error documents): the text of
// named elements, and its entities decoded. S3 writes flat, predictable documents; a general
// XML parser would be a dependency for nothing. Internal to the store layer.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace ngff::detail {

// The text of every <name>..</name> element in `xml` (not nested in itself), as written.
std::vector<std::string_view> xml_elements(std::string_view xml, std::string_view name);

// The text of the first <name>..</name> element, as written, or "" when there is none.
std::string_view xml_first_element(std::string_view xml, std::string_view name);

// "&lt;a&amp;b&gt;" -> "<a&b>", also &quot; &apos; and numeric references.
std::string xml_unescape(std::string_view s);

}  // namespace ngff::detail
