// The OME-NGFF 0.6 layout of a multiscale (multiscales.hpp says what it is and how it maps to
// the 0.4/0.5 model). Internal to the OME layer.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "ngff/ome/multiscales.hpp"

namespace ngff::ome::detail {

Multiscale multiscale_v06_from_json(const Json& json, std::string_view where);
Json multiscale_v06_to_json(const Multiscale& m);

// What a multiscale read from 0.6 says in 0.4/0.5 terms: `axes` (the intrinsic system's, or
// those of the system its one scale[/translation] leads to) and the multiscale-level
// `transforms`. Throws ValidationError naming the transformation 0.5 cannot express.
void v06_as_v05(const Multiscale& m, std::string_view where, std::vector<Axis>& axes,
                std::vector<Transform>& transforms);

// The SHOULDs of 0.6 beyond 0.5's (strings for input/output; units of every system).
void multiscale_v06_warnings(const Multiscale& m, std::string_view where,
                             std::vector<std::string>& out);

}  // namespace ngff::ome::detail
