// Ward's method end to end: exact on the rows, or two-stage (K-Means micro-clusters, then exact weighted
// Ward on their centroids) for tables too large for an O(n²) chain.
#include <algorithm>
#include <string>
#include <unordered_set>

#include "backend.hpp"
#include "rng.hpp"
#include "segmint/error.hpp"
#include "segmint/kmeans.hpp"
#include "segmint/ward.hpp"

namespace segmint::ward {
namespace {

/// `count` distinct rows of n drawn uniformly (Floyd's algorithm), ascending.
std::vector<int64_t> sample_distinct_rows(int64_t n, int64_t count, uint64_t seed) {
  std::unordered_set<int64_t> picked;
  picked.reserve(static_cast<size_t>(count) * 2);
  uint64_t draw = 0;
  for (int64_t j = n - count; j < n; ++j) {
    const int64_t t = detail::random_index(seed, detail::rng_purpose::ward_sample, 0, draw++, j + 1);
    if (!picked.insert(t).second) picked.insert(j);
  }
  std::vector<int64_t> rows(picked.begin(), picked.end());
  std::sort(rows.begin(), rows.end());
  return rows;
}

}  // namespace

mode parse_mode(std::string_view text) {
  if (text == "exact") return mode::exact;
  if (text == "two-stage") return mode::two_stage;
  if (text == "auto") return mode::automatic;
  throw input_error("--ward-mode: unknown mode " + quote_value(text) + " (use exact, two-stage or auto)");
}

std::string_view mode_name(mode m) {
  switch (m) {
    case mode::exact: return "exact";
    case mode::two_stage: return "two-stage";
    case mode::automatic: break;
  }
  return "auto";
}

int64_t micro_cluster_count(int64_t rows, const params& p) {
  const int64_t wanted = p.micro_clusters > 0 ? p.micro_clusters : std::max<int64_t>(1000, 20 * int64_t{p.k_max});
  return std::min(rows, wanted);
}

result fit(context& ctx, matrix_view x, const params& p) {
  ctx.load(x);
  const int64_t n = ctx.total_rows();
  if (n == 0 || x.cols == 0) throw input_error("Ward clustering needs at least one row and one feature");
  const bool sharded = ctx.total_rows() != x.rows;
  if (sharded && p.how == mode::exact)
    throw input_error("--ward-mode exact needs every row in one process; with several MPI ranks use two-stage (or auto)");
  result r;
  r.two_stage = sharded || p.how == mode::two_stage || (p.how == mode::automatic && n > p.exact_max_rows);
  if (!r.two_stage) {
    std::vector<double> c(static_cast<size_t>(x.rows * x.cols));
    for (int64_t j = 0; j < x.cols; ++j)
      for (int64_t i = 0; i < x.rows; ++i) c[static_cast<size_t>(j * x.rows + i)] = static_cast<double>(x(i, j));
    const std::vector<double> ones(static_cast<size_t>(x.rows), 1.0);
    r.linkage = weighted_linkage(ctx, c, ones, x.cols, &r.nn_searches);
    r.leaves = x.rows;
    r.leaf_sizes.assign(static_cast<size_t>(x.rows), 1);
    return r;
  }
  // Micro-clusters: Lloyd from uniformly drawn rows. Uniform starts put micro-clusters where the customers
  // are (k-means++ would spend them on outliers, and costs a pass per candidate); they only need to be
  // small, so a few passes suffice.
  const int64_t m = micro_cluster_count(n, p);
  detail::backend& be = ctx.backend();
  kmeans::params kp;
  kp.k = static_cast<int>(m);
  kp.max_iter = p.micro_max_iter;
  kp.tol = p.micro_tol;
  kp.n_init = 1;
  kp.seed = p.seed;
  kp.init = be.gather_rows(sample_distinct_rows(n, m, p.seed));
  kmeans::result km = kmeans::fit(ctx, x, kp);
  r.micro_iterations = km.iterations;
  // Exact double means of the final labels (the float centroids are rounded), empty micro-clusters
  // dropped (possible when the table has fewer than m distinct rows).
  ctx.load(x);
  const detail::assign_partials sums = ctx.backend().cluster_sums(km.labels, m);
  std::vector<int32_t> leaf_of(static_cast<size_t>(m), -1);
  for (int64_t c = 0; c < m; ++c) {
    const int64_t cnt = sums.counts[static_cast<size_t>(c)];
    if (cnt == 0) continue;
    leaf_of[static_cast<size_t>(c)] = static_cast<int32_t>(r.leaf_sizes.size());
    r.leaf_sizes.push_back(cnt);
  }
  r.leaves = static_cast<int64_t>(r.leaf_sizes.size());
  std::vector<double> centroids(static_cast<size_t>(r.leaves * x.cols));
  std::vector<double> weights(static_cast<size_t>(r.leaves));
  for (int64_t c = 0; c < m; ++c) {
    const int32_t leaf = leaf_of[static_cast<size_t>(c)];
    if (leaf < 0) continue;
    const auto cnt = static_cast<double>(sums.counts[static_cast<size_t>(c)]);
    weights[static_cast<size_t>(leaf)] = cnt;
    for (int64_t j = 0; j < x.cols; ++j)
      centroids[static_cast<size_t>(j * r.leaves + leaf)] = sums.sums[static_cast<size_t>(j * m + c)] / cnt;
  }
  r.leaf_of_row.resize(km.labels.size());
  for (size_t i = 0; i < km.labels.size(); ++i) r.leaf_of_row[i] = leaf_of[static_cast<size_t>(km.labels[i])];
  r.linkage = weighted_linkage(ctx, centroids, weights, x.cols, &r.nn_searches);
  return r;
}

}  // namespace segmint::ward
