#pragma once
// `segmint value --segments DIR`: each customer's segment from a finished `segmint run` folder, and the value
// figures per segment (means, medians, totals, and bootstrap intervals for the mean CLV).
#include <string>
#include <vector>

#include "segmint/value_run.hpp"

namespace segmint::detail {

/// Each customer's segment (-1 when DIR/segments.csv does not list the id), the segment names by number, and
/// how many listed ids have no value row. Throws input_error when the file is missing or not segmint's.
struct segment_assignment {
  std::vector<int32_t> segment_of;
  std::vector<std::string> names;
  int64_t without_value = 0;
};
segment_assignment assign_segments(const std::string& run_dir, const std::vector<std::string>& ids);

/// The per-segment figures; `clv` empty without spend. Bootstrap: `resamples` draws of each segment's
/// customers with replacement (seeded, so the same bytes every run), the 2.5% and 97.5% quantiles of the mean.
std::vector<segment_value> value_by_segment(const segment_assignment& a, const std::vector<double>& p_alive,
                                            const std::vector<double>& expected_purchases, const std::vector<double>& expected_spend,
                                            const std::vector<double>& clv, int resamples, uint64_t seed);

}  // namespace segmint::detail
