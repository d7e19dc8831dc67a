#pragma once
// Gaussian mixtures as a segmentation step (k and covariance type chosen by the lowest BIC), and the
// --algo auto comparison of K-Means and GMM at K-Means' chosen k.
#include "segmint/context.hpp"
#include "segmint/run.hpp"
#include "segmint/segmentation.hpp"

namespace segmint::detail {

segmentation segment_gmm(context& ctx, matrix_view z, const run_options& o);
segmentation segment_auto(context& ctx, matrix_view z, const run_options& o);

/// Reorders mixture components (new c ← old order[c]).
gmm::mixture permute_components(const gmm::mixture& m, const std::vector<int64_t>& order);

}  // namespace segmint::detail
