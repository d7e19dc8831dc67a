#pragma once
// Internal cluster-validity indices, as scikit-learn defines them.
#include <cstdint>
#include <vector>

#include "segmint/context.hpp"
#include "segmint/matrix.hpp"

namespace segmint::metrics {

struct silhouette_params {
  int64_t max_exact_rows = 20000;  ///< exact over all rows up to this many
  int64_t sample_rows = 20000;     ///< otherwise a seeded sample of this size (recorded in the scores)
  uint64_t seed = 0;
};

struct scores {
  int k = 0;
  double within_ss = 0;           ///< Σ ‖x − mean of its cluster‖²
  double silhouette = 0;          ///< mean silhouette (NaN when fewer than 2 clusters)
  double calinski_harabasz = 0;   ///< NaN when k < 2
  double davies_bouldin = 0;      ///< NaN when k < 2
  int64_t silhouette_rows = 0;    ///< rows the silhouette was computed over
  bool silhouette_sampled = false;
  std::vector<double> silhouette_per_cluster;  ///< mean silhouette of each cluster's (sampled) rows
};

/// Scores several labellings of the same data at once (the pairwise distances are shared).
/// labellings[s] holds one label per row, 0..k_s−1.
std::vector<scores> evaluate(context& ctx, matrix_view x, const std::vector<std::vector<int32_t>>& labellings,
                             const silhouette_params& sp);

/// Adjusted Rand index of two labellings of the same rows (Hubert & Arabie; scikit-learn's
/// adjusted_rand_score): 1 for the same partition, about 0 for independent ones.
double adjusted_rand_index(const std::vector<int32_t>& a, const std::vector<int32_t>& b);

/// For each cluster of `reference` (0..k−1), the largest Jaccard similarity |A ∩ B| / |A ∪ B| with any
/// cluster of `other` (fpc's clusterboot measure: ≥ 0.75 stable, ≤ 0.5 dissolved).
std::vector<double> best_jaccard(const std::vector<int32_t>& reference, int k, const std::vector<int32_t>& other);

/// Rows of a seeded sample without replacement (ascending), or all rows when n ≤ size.
std::vector<int64_t> sample_rows(int64_t n, int64_t size, uint64_t seed, uint64_t purpose);

}  // namespace segmint::metrics
