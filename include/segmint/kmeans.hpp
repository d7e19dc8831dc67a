#pragma once
// K-Means (Lloyd) with k-means++ initialisation, n_init restarts and empty-cluster reseeding.
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "segmint/context.hpp"
#include "segmint/matrix.hpp"

namespace segmint::kmeans {

struct params {
  int k = 8;
  int max_iter = 300;
  /// Converged when no label changes, or when the inertia falls by at most tol (relative) between passes.
  double tol = 1e-6;
  /// k-means++ restarts, the lowest inertia kept; 0 = auto (see auto_n_init).
  int n_init = 0;
  uint64_t seed = 0;
  std::optional<matrix> init;  ///< k × d starting centroids (then a single run)
};

struct result {
  matrix centroids;             ///< k × d, in the space of the data given to fit
  std::vector<int32_t> labels;  ///< per row, 0..k-1
  std::vector<float> sq_dist;   ///< per row, squared distance to its centroid
  std::vector<int64_t> sizes;   ///< per cluster
  double inertia = 0;           ///< Σ sq_dist
  int iterations = 0;           ///< of the kept run
  bool converged = false;
  int n_init = 1;
  int best_init = 0;
  int64_t empty_reseeds = 0;         ///< empty clusters reseeded at the farthest rows, all runs
  std::vector<double> inertia_trace; ///< inertia after each assignment pass of the kept run
};

/// The restarts `n_init = 0` means: as many as fit in a budget of 5e7 row·feature·centroid distance terms
/// per seeding (10 at n·d·k = 5e6), at least 1 and at most 50. Restarts are cheap on small tables, where
/// extra ones find better optima; on large tables one k-means++ run is already stable.
int auto_n_init(int64_t rows, int64_t cols, int k);

/// Fits K-Means to x (n × d). Throws input_error when k < 1 or k exceeds the number of distinct rows.
///   auto r = segmint::kmeans::fit(ctx, x, {.k = 5, .seed = 42});
result fit(context& ctx, matrix_view x, const params& p);

/// Nearest centroid of each row (ties → lower index), with the arithmetic fit() used.
void assign(context& ctx, matrix_view x, matrix_view centroids, std::span<int32_t> labels, std::span<float> sq_dist);

/// Renumbers clusters by decreasing size (ties: the lower old number first) and reassigns the rows to the
/// reordered centroids, so that labels and the stored model agree exactly. Returns, for each new
/// cluster number, its old number.
std::vector<int64_t> renumber_by_size(context& ctx, matrix_view x, result& r);

}  // namespace segmint::kmeans
