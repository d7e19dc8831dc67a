// Silhouette, Calinski-Harabasz and Davies-Bouldin with scikit-learn's definitions and edge cases.
#include "segmint/metrics.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <unordered_set>

#include "../dist/communicator.hpp"
#include "backend.hpp"
#include "rng.hpp"

namespace segmint::metrics {
namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

struct cluster_geometry {
  matrix means;  // k × d
  std::vector<int64_t> counts;
  std::vector<double> overall_mean;
};

cluster_geometry geometry(detail::backend& be, std::span<const int32_t> labels, int64_t k, int64_t d) {
  const detail::assign_partials p = be.cluster_sums(labels, k);
  cluster_geometry g{matrix(k, d), p.counts, std::vector<double>(static_cast<size_t>(d), 0.0)};
  int64_t n = 0;
  for (int64_t c = 0; c < k; ++c) n += p.counts[static_cast<size_t>(c)];
  for (int64_t j = 0; j < d; ++j) {
    double total = 0;
    for (int64_t c = 0; c < k; ++c) {
      const double s = p.sums[static_cast<size_t>(j * k + c)];
      total += s;
      const int64_t cnt = p.counts[static_cast<size_t>(c)];
      g.means(c, j) = cnt > 0 ? static_cast<float>(s / static_cast<double>(cnt)) : 0.0f;
    }
    g.overall_mean[static_cast<size_t>(j)] = n > 0 ? total / static_cast<double>(n) : 0.0;
  }
  return g;
}

double centre_distance(const matrix& m, int64_t a, int64_t b) {
  double s = 0;
  for (int64_t j = 0; j < m.cols(); ++j) {
    const double diff = static_cast<double>(m(a, j)) - static_cast<double>(m(b, j));
    s += diff * diff;
  }
  return std::sqrt(s);
}

void fill_ch_db(const cluster_geometry& g, const detail::dispersion_partials& disp, int64_t n, scores& s) {
  const int64_t k = g.means.rows();
  std::vector<int64_t> present;
  for (int64_t c = 0; c < k; ++c)
    if (g.counts[static_cast<size_t>(c)] > 0) present.push_back(c);
  const auto kp = static_cast<int64_t>(present.size());
  s.within_ss = 0;
  for (double v : disp.sq_dist_sums) s.within_ss += v;
  if (kp < 2) {
    s.calinski_harabasz = nan;
    s.davies_bouldin = nan;
    return;
  }
  double between = 0;
  for (int64_t c : present) {
    double dist2 = 0;
    for (int64_t j = 0; j < g.means.cols(); ++j) {
      const double diff = static_cast<double>(g.means(c, j)) - g.overall_mean[static_cast<size_t>(j)];
      dist2 += diff * diff;
    }
    between += static_cast<double>(g.counts[static_cast<size_t>(c)]) * dist2;
  }
  s.calinski_harabasz = s.within_ss == 0 ? 1.0
                                         : between * static_cast<double>(n - kp) /
                                               (s.within_ss * static_cast<double>(kp - 1));
  std::vector<double> spread(static_cast<size_t>(kp));
  bool all_zero_spread = true;
  for (int64_t a = 0; a < kp; ++a) {
    const auto c = static_cast<size_t>(present[static_cast<size_t>(a)]);
    spread[static_cast<size_t>(a)] = disp.dist_sums[c] / static_cast<double>(g.counts[c]);
    all_zero_spread &= std::fabs(spread[static_cast<size_t>(a)]) < 1e-8;
  }
  double db = 0;
  bool all_zero_centres = true;
  for (int64_t a = 0; a < kp; ++a) {
    double worst = 0;
    for (int64_t b = 0; b < kp; ++b) {
      if (a == b) continue;
      const double m = centre_distance(g.means, present[static_cast<size_t>(a)], present[static_cast<size_t>(b)]);
      all_zero_centres &= m < 1e-8;
      if (m == 0) continue;  // scikit-learn treats coincident centres as infinitely far
      worst = std::max(worst, (spread[static_cast<size_t>(a)] + spread[static_cast<size_t>(b)]) / m);
    }
    db += worst;
  }
  s.davies_bouldin = (all_zero_spread || all_zero_centres) ? 0.0 : db / static_cast<double>(kp);
}

}  // namespace

std::vector<int64_t> sample_rows(int64_t n, int64_t size, uint64_t seed, uint64_t purpose) {
  std::vector<int64_t> rows;
  if (n <= size) {
    rows.resize(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i) rows[static_cast<size_t>(i)] = i;
    return rows;
  }
  // Floyd's algorithm: `size` distinct rows in O(size) memory.
  std::unordered_set<int64_t> picked;
  picked.reserve(static_cast<size_t>(size) * 2);
  uint64_t draw = 0;
  for (int64_t j = n - size; j < n; ++j) {
    const int64_t t = detail::random_index(seed, detail::rng_purpose::silhouette_sample, purpose, draw++, j + 1);
    if (!picked.insert(t).second) picked.insert(j);
  }
  rows.assign(picked.begin(), picked.end());
  std::sort(rows.begin(), rows.end());
  return rows;
}

std::vector<scores> evaluate(context& ctx, matrix_view x, const std::vector<std::vector<int32_t>>& labellings,
                             const silhouette_params& sp) {
  ctx.load(x);
  detail::backend& be = ctx.backend();
  std::vector<scores> out(labellings.size());
  const int64_t n = ctx.total_rows();
  const std::vector<int64_t> sample = sample_rows(n, n <= sp.max_exact_rows ? n : sp.sample_rows, sp.seed, 0);
  std::vector<std::vector<int32_t>> sample_labels(labellings.size());
  for (size_t s = 0; s < labellings.size(); ++s) {
    const auto& labels = labellings[s];
    int32_t k = 0;
    for (int32_t l : labels) k = std::max(k, l + 1);
    k = static_cast<int32_t>(ctx.comm().max(static_cast<double>(k)));  // a shard may lack some clusters
    out[s].k = k;
    const cluster_geometry g = geometry(be, labels, k, x.cols);
    const detail::dispersion_partials disp = be.dispersion(labels, g.means.view());
    fill_ch_db(g, disp, n, out[s]);
    sample_labels[s] = be.gather_labels(sample, labels);
  }
  const auto values = be.silhouette(sample, sample_labels);
  for (size_t s = 0; s < labellings.size(); ++s) {
    auto& sc = out[s];
    sc.silhouette_rows = static_cast<int64_t>(sample.size());
    sc.silhouette_sampled = static_cast<int64_t>(sample.size()) < n;
    std::vector<double> sum(static_cast<size_t>(sc.k), 0.0);
    std::vector<int64_t> cnt(static_cast<size_t>(sc.k), 0);
    double total = 0;
    for (size_t i = 0; i < sample.size(); ++i) {
      const auto l = static_cast<size_t>(sample_labels[s][i]);
      sum[l] += values[s][i];
      ++cnt[l];
      total += values[s][i];
    }
    const auto present = std::count_if(cnt.begin(), cnt.end(), [](int64_t c) { return c > 0; });
    // scikit-learn requires 2 ≤ number of labels ≤ n − 1.
    sc.silhouette = (present >= 2 && present <= static_cast<int64_t>(sample.size()) - 1)
                        ? total / static_cast<double>(sample.size())
                        : nan;
    sc.silhouette_per_cluster.resize(static_cast<size_t>(sc.k));
    for (size_t c = 0; c < cnt.size(); ++c) sc.silhouette_per_cluster[c] = cnt[c] > 0 ? sum[c] / static_cast<double>(cnt[c]) : nan;
  }
  return out;
}

}  // namespace segmint::metrics
