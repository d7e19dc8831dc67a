#pragma once
// `segmint value --calibration-end`: the fitted purchase model's expected repeat purchases after the calibration
// period against the actual ones (include/segmint/value_run.hpp: holdout_check).
#include <vector>

#include "segmint/value_run.hpp"
#include "value_segments.hpp"

namespace segmint::detail {

/// `expected` and `actual`: per customer, over the holdout. Buckets by calibration frequency (0..6, 7+), deciles
/// of the expectation (1 = the customers expected to buy most), and per segment when `segments` is given.
holdout_check compare_holdout(const value::rfm_summary& s, const std::vector<double>& expected, const std::vector<double>& actual,
                              const segment_assignment* segments);

}  // namespace segmint::detail
