// A placeholder for check_v06 until the 0.6 rules (src/ome/validate_v06.cpp) are written: no
// rule yet. Delete this file when that one exists.
#include "validate_v06.hpp"

namespace ngff::ome::detail {

void check_v06(const Json& /*ome*/, const std::string& /*url*/, ValidateContext& /*ctx*/) {}

}  // namespace ngff::ome::detail
