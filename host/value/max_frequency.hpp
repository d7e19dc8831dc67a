#pragma once
// The largest frequency of a summary, bounded: the value models tabulate per-frequency terms (one row per whole
// frequency up to the largest), so this caps the table (a million repeat purchase days is beyond any customer).
#include <algorithm>
#include <cstdint>
#include <string>

#include "segmint/error.hpp"
#include "segmint/value.hpp"

namespace segmint::value::detail {

constexpr double max_frequency_allowed = 1 << 20;

inline double max_frequency(const rfm_summary& s) {
  double m = 0;
  for (double x : s.frequency) m = std::max(m, x);
  if (m > max_frequency_allowed)
    throw input_error("value: a frequency of " + std::to_string(static_cast<int64_t>(m)) + " repeat purchases is more than the " +
                      std::to_string(static_cast<int64_t>(max_frequency_allowed)) + " segmint models");
  return m;
}

}  // namespace segmint::value::detail
