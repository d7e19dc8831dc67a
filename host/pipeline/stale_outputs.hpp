#pragma once
// A run's folder holds only that run's outputs: the optional ones (linkage.csv, report.html, value.csv, value.json) left there by
// an earlier run that this run does not write are removed once the new set is committed, when their
// contents show they are segmint's own.
#include <string>
#include <vector>

namespace segmint::detail {

/// Removes each optional output of `segmint run` in `dir` that is not in `written` and is recognisably
/// segmint's; returns the names removed.
std::vector<std::string> remove_stale_outputs(const std::string& dir, const std::vector<std::string>& written);

}  // namespace segmint::detail
