#pragma once
// One configuration fitted for every k of a range on one matrix: each k's labels (and GMM's BIC/AIC).
// Fits use the parameters `segmint run` uses at a fixed k, so the recommended run reproduces them.
#include <cstdint>
#include <string>
#include <vector>

#include "segmint/context.hpp"
#include "segmint/gmm.hpp"
#include "segmint/matrix.hpp"
#include "segmint/segment.hpp"

namespace segmint::detail {

struct fit_settings {
  algorithm algo = algorithm::kmeans;
  gmm::covariance_type covariance = gmm::covariance_type::full;
  int kmeans_restarts = 0;
  int gmm_restarts = 1;
  uint64_t seed = 0;
};

struct k_fits {
  std::vector<int> k;                         ///< ascending; may stop early (see stopped)
  std::vector<std::vector<int32_t>> labels;   ///< per k, one label per row (0..k−1)
  std::vector<double> bic, aic;               ///< GMM (NaN otherwise)
  std::vector<bool> converged;
  std::string stopped;                        ///< why the range ended early ("" when it did not)
};

/// Fits k = k_min..k_max (stopping, with the reason, where a k cannot be fitted: too few distinct rows).
k_fits fit_all_k(context& ctx, matrix_view x, const fit_settings& s, int k_min, int k_max);

/// The rows `rows` of x as a new matrix.
matrix take_rows(matrix_view x, const std::vector<int64_t>& rows);

/// The labels of the rows `rows`, in that order.
std::vector<int32_t> pick(const std::vector<int32_t>& labels, const std::vector<int64_t>& rows);

}  // namespace segmint::detail
