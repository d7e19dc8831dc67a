#pragma once
// Segmenting a matrix with any algorithm: the library's one entry point for K-Means, Gaussian mixtures, Ward and
// "auto", with k chosen from a range by the algorithm's rule (what `segmint run` does after preprocessing).
//   segmint::context ctx({.backend = segmint::backend_choice::cpu});
//   segmint::segment_params p;
//   p.algo = segmint::algorithm::gmm;
//   p.k_min = 2, p.k_max = 8;
//   const segmint::segmentation s = segmint::segment(ctx, z.view(), p);  // s.k, s.labels, s.reason, ...
#include <cstdint>
#include <string_view>
#include <vector>

#include "segmint/context.hpp"
#include "segmint/gmm.hpp"
#include "segmint/kmeans.hpp"
#include "segmint/metrics.hpp"
#include "segmint/segmentation.hpp"
#include "segmint/ward.hpp"

namespace segmint {

enum class algorithm {
  kmeans,     ///< k by the highest silhouette (the inertia elbow reported beside it)
  gmm,        ///< Gaussian mixture, k (and covariance type) by the lowest BIC
  ward,       ///< hierarchical (Ward linkage), k by the highest silhouette of the tree's cuts
  automatic,  ///< K-Means' k, then the better of K-Means and GMM at that k
};

/// "kmeans", "gmm", "ward", "auto".
std::string_view algorithm_name(algorithm a);
/// The inverse of algorithm_name; throws input_error naming the parameter for anything else.
algorithm parse_algorithm(std::string_view name);

struct segment_params {
  algorithm algo = algorithm::kmeans;
  int k_min = 2;  ///< k_min == k_max fixes k
  int k_max = 10;
  uint64_t seed = 0;           ///< every random choice (k-means++, GMM initialisation, silhouette sample)
  kmeans::params kmeans;       ///< n_init, max_iter, tol (k and seed come from above)
  gmm::params gmm;             ///< reg_covar, tol, max_iter, n_init, init (seed from above)
  std::vector<gmm::covariance_type> covariance_types{gmm::covariance_type::full};  ///< several: chosen by BIC
  bool probabilities = false;  ///< GMM: keep every row's responsibilities (segmentation::responsibilities)
  ward::params ward;           ///< mode, micro-clusters
  metrics::silhouette_params silhouette;
};

/// Segments the rows of `x` (already preprocessed: the clustering space) with `p.algo`, choosing k in
/// [k_min, k_max]; segments are numbered by decreasing size. Throws input_error for bad parameters (naming
/// them) and numerical_error when a fit fails. The same result, bit for bit, as `segmint run` on that matrix.
segmentation segment(context& ctx, matrix_view x, const segment_params& p);

}  // namespace segmint
