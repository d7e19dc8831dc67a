#include "value_holdout.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>

namespace segmint::detail {
namespace {

/// Turns the bucket sums into means and drops empty buckets.
void to_means(std::vector<holdout_check::bucket>& buckets) {
  for (auto& b : buckets) {
    if (b.customers == 0) continue;
    b.actual_mean /= static_cast<double>(b.customers);
    b.expected_mean /= static_cast<double>(b.customers);
  }
  buckets.erase(std::remove_if(buckets.begin(), buckets.end(), [](const auto& b) { return b.customers == 0; }), buckets.end());
}

void add(holdout_check::bucket& b, double expected, double actual) {
  ++b.customers;
  b.expected_mean += expected;
  b.actual_mean += actual;
}

}  // namespace

holdout_check compare_holdout(const value::rfm_summary& s, const std::vector<double>& expected, const std::vector<double>& actual,
                              const segment_assignment* segments) {
  holdout_check h;
  const size_t n = s.size();
  constexpr size_t frequency_buckets = 8;  // calibration frequency 0..6 and 7+
  h.by_calibration_frequency.resize(frequency_buckets);
  for (size_t b = 0; b < frequency_buckets; ++b)
    h.by_calibration_frequency[b].label = b + 1 < frequency_buckets ? std::to_string(b) : std::to_string(b) + "+";
  for (size_t i = 0; i < n; ++i) {  // in customer order: the same sums on any thread count
    h.actual_total += actual[i];
    h.expected_total += expected[i];
    h.mean_absolute_error += std::abs(actual[i] - expected[i]);
    add(h.by_calibration_frequency[std::min(static_cast<size_t>(s.frequency[i]), frequency_buckets - 1)], expected[i], actual[i]);
  }
  h.mean_absolute_error /= static_cast<double>(n);
  to_means(h.by_calibration_frequency);

  // Deciles of the expectation, highest first; ties in customer order, so the split is the same every run.
  std::vector<size_t> order(n);
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return expected[a] > expected[b]; });
  constexpr size_t deciles = 10;
  h.by_decile.resize(deciles);
  for (size_t d = 0; d < deciles; ++d) {
    h.by_decile[d].label = std::to_string(d + 1);
    for (size_t k = d * n / deciles; k < (d + 1) * n / deciles; ++k) add(h.by_decile[d], expected[order[k]], actual[order[k]]);
  }
  to_means(h.by_decile);

  if (segments) {
    h.by_segment.resize(segments->names.size());
    for (size_t g = 0; g < segments->names.size(); ++g) h.by_segment[g].label = segments->names[g];
    for (size_t i = 0; i < n; ++i)
      if (const int32_t g = segments->segment_of[i]; g >= 0) add(h.by_segment[static_cast<size_t>(g)], expected[i], actual[i]);
    to_means(h.by_segment);
  }
  return h;
}

}  // namespace segmint::detail
