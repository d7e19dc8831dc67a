#pragma once
// The M-step and the E-step set-up of the EM driver, on small host arrays (scikit-learn's formulas).
#include "backend.hpp"
#include "segmint/gmm.hpp"

namespace segmint::detail {

/// Mixture parameters from sufficient statistics (scikit-learn's _estimate_gaussian_parameters): nk gets
/// 10·ε added, means = Σrx / nk, covariances from the second moments, + reg_covar on the diagonal.
/// `xtx` (Σ x·xᵀ over all rows, d × d) is needed for the tied type only. Weights are nk / n.
gmm::mixture mixture_from_stats(const gmm_partials& s, gmm::covariance_type type, int k, int64_t d, int64_t n,
                                double reg_covar);

/// Precision Cholesky factors, log-determinants and log-weights for the E-step. A covariance that is not
/// positive definite gets its diagonal raised (reg_covar·10, ·100, … up to 1e6 times) and the count is added
/// to `raises`; if even that fails, numerical_error.
gmm_estep_params estep_params(gmm::mixture& m, double reg_covar, int64_t& raises);

}  // namespace segmint::detail
