#pragma once
// Ward's hierarchical clustering: the exact linkage with the nearest-neighbour chain in O(n·d) memory
// (the same merges and heights as SciPy's linkage(X, method="ward")), and a two-stage mode for very large
// tables (K-Means micro-clusters, then exact weighted Ward on their centroids).
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "segmint/context.hpp"
#include "segmint/linkage.hpp"
#include "segmint/matrix.hpp"

namespace segmint::ward {

enum class mode { exact, two_stage, automatic };

/// "exact", "two-stage" or "auto"; anything else is an input_error.
mode parse_mode(std::string_view text);
/// The text parse_mode reads.
std::string_view mode_name(mode m);

struct params {
  mode how = mode::automatic;
  /// automatic: exact up to this many rows, two-stage above. The exact chain is O(n²·d) time: ~1.5 s at
  /// 40,000 rows × 8 features on one core, so 50,000 keeps it within seconds for typical widths.
  int64_t exact_max_rows = 50000;
  /// two-stage: micro-clusters; 0 = auto = min(n, max(1000, 20 · k_max)).
  int64_t micro_clusters = 0;
  int k_max = 10;           ///< the largest k that will be cut (sizes the automatic micro-cluster count)
  int micro_max_iter = 25;  ///< Lloyd passes for the micro-clusters (they need to be small, not converged)
  double micro_tol = 1e-4;
  uint64_t seed = 0;  ///< draws the micro-clusters' starting rows
};

struct result {
  std::vector<linkage_step> linkage;  ///< leaves − 1 merges, increasing height
  int64_t leaves = 0;                 ///< rows (exact) or non-empty micro-clusters (two-stage)
  bool two_stage = false;
  std::vector<int32_t> leaf_of_row;  ///< two-stage: each row's micro-cluster (leaf); empty when leaves are rows
  std::vector<int64_t> leaf_sizes;   ///< rows per leaf
  int micro_iterations = 0;          ///< two-stage: Lloyd passes run
  int64_t nn_searches = 0;           ///< nearest-neighbour scans the chain made
};

/// Exact Ward linkage of the rows of x (n × d): SciPy's linkage(x, method="ward") — the same merges, node
/// ids and heights (to ~1e-13 relative). Ties (e.g. duplicated rows) are broken deterministically, by the
/// rules of SciPy's nn_chain: the chain's previous element first, then the lowest cluster number.
///   auto z = segmint::ward::linkage(ctx, x.view());
std::vector<linkage_step> linkage(context& ctx, matrix_view x);

/// Exact Ward linkage of weighted points: `centroids` (m × d, column-major, double) with `sizes` (> 0),
/// as if each were a cluster of `sizes[i]` rows already merged. Returns the linkage and the scan count.
std::vector<linkage_step> weighted_linkage(context& ctx, std::span<const double> centroids, std::span<const double> sizes,
                                           int64_t d, int64_t* nn_searches = nullptr);

/// The micro-cluster count two-stage mode uses for `rows` rows.
int64_t micro_cluster_count(int64_t rows, const params& p);

/// Exact or two-stage Ward as `p` says (see params::how).
///   auto r = segmint::ward::fit(ctx, x.view(), {.k_max = 10});
result fit(context& ctx, matrix_view x, const params& p);

}  // namespace segmint::ward
