#pragma once
// Columns described per segment without being clustered on (--profile-only; outcome columns by default):
// means with Welch's t-test for numbers, shares per level with a chi-square test for categories.
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "segmint/table.hpp"

namespace segmint {

struct profiled_segment {
  int64_t present = 0;   ///< customers of the segment with a value
  double mean = 0;       ///< numbers: the segment's mean (NaN without values)
  double median = 0;     ///< numbers: the segment's median
  double p_value = 1;    ///< numbers: Welch's t-test, this segment against all other customers (two-sided)
  std::vector<double> shares;  ///< categories: share of each level among the segment's customers with a value
};

struct profiled_summary {
  std::string column;
  std::string why;  ///< "--profile-only" or "outcome"
  bool numeric = false;
  double overall_mean = 0;           ///< numbers
  std::vector<std::string> levels;   ///< categories, sorted ("(missing)" for empty values)
  std::vector<double> overall_shares;
  double chi_square = 0;             ///< categories: segment × level independence
  int dof = 0;
  double p_value = 1;                ///< categories: the chi-square test's
  std::vector<profiled_segment> segments;  ///< 0..k−1
};

/// Describes each of `t.profiled` over segments 0..k−1 (labels per row).
std::vector<profiled_summary> describe_profiled(const feature_table& t, std::span<const int32_t> labels, int k);

}  // namespace segmint
