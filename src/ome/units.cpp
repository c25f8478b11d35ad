#include "ome/units.hpp"

#include <algorithm>
#include <array>

namespace ngff::ome {
namespace {

// From the OME-NGFF 0.4 / 0.5 specification, "axes metadata" (kept sorted for binary search).
constexpr std::array<std::string_view, 26> kSpaceUnits = {
    "angstrom",  "attometer",  "centimeter", "decimeter",  "exameter",  "femtometer", "foot",
    "gigameter", "hectometer", "inch",       "kilometer",  "megameter", "meter",      "micrometer",
    "mile",      "millimeter", "nanometer",  "parsec",     "petameter", "picometer",  "terameter",
    "yard",      "yoctometer", "yottameter", "zeptometer", "zettameter"};

constexpr std::array<std::string_view, 23> kTimeUnits = {
    "attosecond",  "centisecond", "day",         "decisecond",  "exasecond",  "femtosecond",
    "gigasecond",  "hectosecond", "hour",        "kilosecond",  "megasecond", "microsecond",
    "millisecond", "minute",      "nanosecond",  "petasecond",  "picosecond", "second",
    "terasecond",  "yoctosecond", "yottasecond", "zeptosecond", "zettasecond"};

static_assert(std::is_sorted(kSpaceUnits.begin(), kSpaceUnits.end()));
static_assert(std::is_sorted(kTimeUnits.begin(), kTimeUnits.end()));

}  // namespace

std::span<const std::string_view> space_units() {
  return kSpaceUnits;
}
std::span<const std::string_view> time_units() {
  return kTimeUnits;
}

bool is_space_unit(std::string_view unit) {
  return std::binary_search(kSpaceUnits.begin(), kSpaceUnits.end(), unit);
}

bool is_time_unit(std::string_view unit) {
  return std::binary_search(kTimeUnits.begin(), kTimeUnits.end(), unit);
}

}  // namespace ngff::ome
