#pragma once
// Hints about an input that segmint can read but that is probably not what the user meant to segment.
#include <optional>
#include <string>
#include <vector>

namespace segmint::detail {

/// A warning when the column names look like a transaction log (a date column and a line-item column such as
/// invoice, quantity or price): `run` would segment the lines as if each were a customer. `names`: every column
/// of the input, used or skipped ("name (reason)" is read as "name").
std::optional<std::string> transaction_log_hint(const std::string& input, const std::vector<std::string>& names);

}  // namespace segmint::detail
