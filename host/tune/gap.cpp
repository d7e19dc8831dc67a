#include "gap.hpp"

#include <algorithm>
#include <cmath>

#include "../algo/rng.hpp"
#include "segmint/kmeans.hpp"
#include "segmint/pca.hpp"

namespace segmint::detail {
namespace {

double log_within(context& ctx, matrix_view x, int k, int restarts, uint64_t seed) {
  const kmeans::result r = kmeans::fit(ctx, x, {.k = k, .n_init = restarts, .seed = seed});
  return std::log(std::max(r.inertia, 1e-300));
}

/// Reference b: uniform over the box the rows span in principal-component coordinates, rotated back.
matrix reference_set(const pca::model& m, const std::vector<float>& lo, const std::vector<float>& hi, int64_t rows,
                     uint64_t seed, int b) {
  const int64_t d = m.components.rows();
  const int64_t p = m.components.cols();
  matrix out(rows, d);
  std::vector<double> u(static_cast<size_t>(p));
  for (int64_t i = 0; i < rows; ++i) {
    for (int64_t q = 0; q < p; ++q)
      u[static_cast<size_t>(q)] = lo[static_cast<size_t>(q)] + (hi[static_cast<size_t>(q)] - lo[static_cast<size_t>(q)]) *
                                  random_uniform(seed, rng_purpose::tune_gap_reference, static_cast<uint64_t>(b),
                                                 static_cast<uint64_t>(i * p + q));
    for (int64_t j = 0; j < d; ++j) {
      double v = m.mean[static_cast<size_t>(j)];
      for (int64_t q = 0; q < p; ++q) v += u[static_cast<size_t>(q)] * m.components(j, q);
      out(i, j) = static_cast<float>(v);
    }
  }
  return out;
}

}  // namespace

int one_se_rule(const tune::gap_curve& g) {
  for (size_t i = 0; i + 1 < g.k.size(); ++i)
    if (g.gap[i] >= g.gap[i + 1] - g.se[i + 1]) return g.k[i];
  return g.k.empty() ? 1 : g.k.back();
}

tune::gap_curve gap_statistic(context& ctx, matrix_view x, const gap_settings& s) {
  tune::gap_curve g;
  g.rows = x.rows;
  const pca::model m = pca::fit(ctx, x, {.components = static_cast<int>(std::min<int64_t>(x.cols, x.rows - 1))});
  const matrix projected = pca::transform(m, x);
  const int64_t p = projected.cols();
  std::vector<float> lo(static_cast<size_t>(p)), hi(static_cast<size_t>(p));
  for (int64_t q = 0; q < p; ++q) {
    const float* c = projected.col(q);
    const auto [mn, mx] = std::minmax_element(c, c + projected.rows());
    lo[static_cast<size_t>(q)] = *mn;
    hi[static_cast<size_t>(q)] = *mx;
  }
  const int k_max = static_cast<int>(std::min<int64_t>(s.k_max, x.rows));
  std::vector<std::vector<double>> ref_log_w(static_cast<size_t>(s.references));
  for (int b = 0; b < s.references; ++b) {
    const matrix ref = reference_set(m, lo, hi, x.rows, s.seed, b);
    for (int k = s.k_min; k <= k_max; ++k) ref_log_w[static_cast<size_t>(b)].push_back(log_within(ctx, ref.view(), k, s.kmeans_restarts, s.seed + static_cast<uint64_t>(b)));
  }
  for (int k = s.k_min; k <= k_max; ++k) {
    double log_w = 0;
    try {
      log_w = log_within(ctx, x, k, s.kmeans_restarts, s.seed);
    } catch (const std::exception&) {  // fewer distinct rows than k: the curve ends here
      break;
    }
    const auto i = static_cast<size_t>(k - s.k_min);
    double mean = 0;
    for (const auto& r : ref_log_w) mean += r[i];
    mean /= s.references;
    double var = 0;
    for (const auto& r : ref_log_w) var += (r[i] - mean) * (r[i] - mean);
    var /= s.references;
    g.k.push_back(k);
    g.log_w.push_back(log_w);
    g.gap.push_back(mean - log_w);
    g.se.push_back(std::sqrt(var) * std::sqrt(1.0 + 1.0 / s.references));
  }
  g.k_one_se = one_se_rule(g);
  return g;
}

}  // namespace segmint::detail
