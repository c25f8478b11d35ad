// Parsing the textual forms of regions and shapes used on command lines:
// "0:10,5:7" (":" alone or an empty bound means the whole dimension) and "64,64,64".
#pragma once

#include <string_view>

#include "ngff/zarr/region.hpp"

namespace ngff::zarr {

Region parse_region(std::string_view text, const Shape& array_shape);
Shape parse_shape(std::string_view text);

}  // namespace ngff::zarr
