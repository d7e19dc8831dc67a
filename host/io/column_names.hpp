#pragma once
// What a column's name says about its role (the default feature choice; README "Which columns are used").
#include <string>

#include "../dist/communicator.hpp"
#include "segmint/io.hpp"

namespace segmint::detail {

/// Campaign responses, complaints, churn flags, targets: what segments are profiled on, not clustered on.
bool looks_like_outcome(const std::string& name);

/// Names of code columns ("Channel", "Region", "StoreType"): small integers there are labels, not amounts.
bool looks_like_code(const std::string& name);

/// True when every value of the numeric column `c` is a whole number and there are 2 to 20 distinct values
/// over every process (otherwise the column is an amount after all).
bool holds_integer_codes(const raw_column& c, const communicator& comm);

}  // namespace segmint::detail
