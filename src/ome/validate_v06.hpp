// The OME-NGFF 0.6 rules of ome::validate that the schemas cannot express (coordinate systems
// and transformations, RFC-5: names that resolve, parameter shapes, rotations, the graph; the
// "ct/..." rules of docs/usage.md). Called for every 0.6 node whose metadata parsed, with its
// "ome" object (string inputs/outputs already read as objects) and its URL for the problems.
// Internal to ome::validate.
#pragma once

#include <string>

#include "ngff/util/json.hpp"
#include "validate_context.hpp"

namespace ngff::ome::detail {

void check_v06(const Json& ome, const std::string& url, ValidateContext& ctx);

}  // namespace ngff::ome::detail
