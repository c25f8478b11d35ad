// The units OME-NGFF 0.4 and 0.5 recommend for axes ("unit" SHOULD be one of these): the UDUNITS-2
// names of lengths for space axes and of durations for time axes. The spec's JSON schemas do not
// list them (they come from the specification text, "axes metadata"), so an unknown unit is not
// a parse error; ImageAttributes::warnings() reports it.
#pragma once

#include <span>
#include <string_view>

namespace ngff::ome {

// Sorted lists (26 space units, 23 time units).
std::span<const std::string_view> space_units();
std::span<const std::string_view> time_units();

bool is_space_unit(std::string_view unit);
bool is_time_unit(std::string_view unit);

}  // namespace ngff::ome
