#include "fit_all_k.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "segmint/error.hpp"
#include "segmint/kmeans.hpp"
#include "segmint/linkage.hpp"
#include "segmint/ward.hpp"

namespace segmint::detail {
namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

/// Ward: one tree serves every k (its cuts), as in `segmint run --algo ward`.
void fit_ward(context& ctx, matrix_view x, const fit_settings& s, int k_min, int k_max, k_fits& out) {
  ward::params wp;
  wp.k_max = k_max;
  wp.seed = s.seed;
  const ward::result w = ward::fit(ctx, x, wp);
  for (int k = k_min; k <= k_max; ++k) {
    if (k > w.leaves) {
      out.stopped = "k = " + std::to_string(k) + " is more than the " + std::to_string(w.leaves) + " leaves of the tree";
      return;
    }
    const std::vector<int32_t> leaf = cut_linkage(w.linkage, w.leaves, k);
    std::vector<int32_t> labels(static_cast<size_t>(x.rows));
    for (int64_t i = 0; i < x.rows; ++i)
      labels[static_cast<size_t>(i)] = leaf[static_cast<size_t>(w.two_stage ? w.leaf_of_row[static_cast<size_t>(i)] : i)];
    out.k.push_back(k);
    out.labels.push_back(std::move(labels));
    out.bic.push_back(nan);
    out.aic.push_back(nan);
    out.converged.push_back(true);
  }
}

}  // namespace

std::vector<int32_t> pick(const std::vector<int32_t>& labels, const std::vector<int64_t>& rows) {
  std::vector<int32_t> out(rows.size());
  for (size_t i = 0; i < rows.size(); ++i) out[i] = labels[static_cast<size_t>(rows[i])];
  return out;
}

matrix take_rows(matrix_view x, const std::vector<int64_t>& rows) {
  matrix m(static_cast<int64_t>(rows.size()), x.cols);
  for (int64_t j = 0; j < x.cols; ++j) {
    const float* from = x.col(j);
    float* to = m.col(j);
    for (size_t i = 0; i < rows.size(); ++i) to[i] = from[rows[i]];
  }
  return m;
}

k_fits fit_all_k(context& ctx, matrix_view x, const fit_settings& s, int k_min, int k_max) {
  k_fits out;
  if (s.algo == algorithm::ward) {
    fit_ward(ctx, x, s, k_min, k_max, out);
    return out;
  }
  for (int k = k_min; k <= k_max; ++k) {
    try {
      if (s.algo == algorithm::gmm) {
        gmm::params p;
        p.k = k;
        p.covariance = s.covariance;
        p.n_init = s.gmm_restarts;
        p.seed = s.seed;
        gmm::result r = gmm::fit(ctx, x, p);
        out.labels.push_back(std::move(r.labels));
        out.bic.push_back(r.bic);
        out.aic.push_back(r.aic);
        out.converged.push_back(r.converged);
      } else {
        kmeans::result r = kmeans::fit(ctx, x, {.k = k, .n_init = s.kmeans_restarts, .seed = s.seed});
        out.labels.push_back(std::move(r.labels));
        out.bic.push_back(nan);
        out.aic.push_back(nan);
        out.converged.push_back(r.converged);
      }
      out.k.push_back(k);
    } catch (const input_error& e) {  // k above the distinct rows: the range ends here
      if (k == k_min) throw;
      out.stopped = e.what();
      break;
    }
  }
  return out;
}

}  // namespace segmint::detail
