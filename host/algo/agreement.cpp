// Agreement between two labellings of the same rows: the adjusted Rand index and clusterboot's Jaccard.
#include <algorithm>
#include <cstdint>
#include <vector>

#include "segmint/error.hpp"
#include "segmint/metrics.hpp"

namespace segmint::metrics {
namespace {

/// Contingency table of two labellings with labels 0..ka−1 and 0..kb−1 (row-major, ka × kb).
struct contingency {
  int32_t ka = 0;
  int32_t kb = 0;
  std::vector<int64_t> counts;
  std::vector<int64_t> rows_a;
  std::vector<int64_t> rows_b;
};

contingency count_pairs(const std::vector<int32_t>& a, const std::vector<int32_t>& b) {
  if (a.size() != b.size()) throw input_error("labellings of different lengths cannot be compared");
  contingency t;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i] < 0 || b[i] < 0) throw input_error("labels must be non-negative");
    t.ka = std::max(t.ka, a[i] + 1);
    t.kb = std::max(t.kb, b[i] + 1);
  }
  t.counts.assign(static_cast<size_t>(t.ka) * static_cast<size_t>(t.kb), 0);
  t.rows_a.assign(static_cast<size_t>(t.ka), 0);
  t.rows_b.assign(static_cast<size_t>(t.kb), 0);
  for (size_t i = 0; i < a.size(); ++i) {
    ++t.counts[static_cast<size_t>(a[i]) * static_cast<size_t>(t.kb) + static_cast<size_t>(b[i])];
    ++t.rows_a[static_cast<size_t>(a[i])];
    ++t.rows_b[static_cast<size_t>(b[i])];
  }
  return t;
}

double pairs(int64_t x) { return static_cast<double>(x) * static_cast<double>(x - 1) / 2; }

}  // namespace

double adjusted_rand_index(const std::vector<int32_t>& a, const std::vector<int32_t>& b) {
  const contingency t = count_pairs(a, b);
  double index = 0, sum_a = 0, sum_b = 0;
  for (int64_t c : t.counts) index += pairs(c);
  for (int64_t c : t.rows_a) sum_a += pairs(c);
  for (int64_t c : t.rows_b) sum_b += pairs(c);
  const double total = pairs(static_cast<int64_t>(a.size()));
  if (total == 0) return 1.0;
  const double expected = sum_a * sum_b / total;
  const double max_index = (sum_a + sum_b) / 2;
  if (max_index == expected) return 1.0;  // both trivial (one cluster, or all singletons): scikit-learn's convention
  return (index - expected) / (max_index - expected);
}

std::vector<double> best_jaccard(const std::vector<int32_t>& reference, int k, const std::vector<int32_t>& other) {
  const contingency t = count_pairs(reference, other);
  std::vector<double> best(static_cast<size_t>(std::max(k, 0)), 0.0);
  for (int32_t c = 0; c < std::min<int32_t>(k, t.ka); ++c)
    for (int32_t d = 0; d < t.kb; ++d) {
      const int64_t both = t.counts[static_cast<size_t>(c) * static_cast<size_t>(t.kb) + static_cast<size_t>(d)];
      const int64_t either = t.rows_a[static_cast<size_t>(c)] + t.rows_b[static_cast<size_t>(d)] - both;
      if (either > 0) best[static_cast<size_t>(c)] = std::max(best[static_cast<size_t>(c)], static_cast<double>(both) / static_cast<double>(either));
    }
  return best;
}

}  // namespace segmint::metrics
