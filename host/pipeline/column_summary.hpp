#pragma once
// The one console line that says which columns a run clusters on and which it left out, and why.
#include <string>

#include "segmint/table.hpp"

namespace segmint::detail {

/// "features (14): yummy, ..., Like (the number in each answer: 'I love it!+5' → 5); not used: Gender (text; ...)".
std::string columns_line(const feature_table& t);

}  // namespace segmint::detail
