#pragma once
// The files of `segmint tune`: tune.csv (one row per configuration × k), tune.json (the grid, every score,
// the recommendation) and timings.json (the only file that differs from run to run).
#include <string>

#include "segmint/tune_run.hpp"

namespace segmint::detail {

std::string tune_csv(const tune::outcome& t);
std::string tune_json(const tune_options& o, const tune_run_outcome& r);
std::string tune_timings_json(const tune::outcome& t);

/// "auto" or "none": how --log reads a configuration's log choice.
inline const char* log_word(bool log) { return log ? "auto" : "none"; }

}  // namespace segmint::detail
