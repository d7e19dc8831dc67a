// The K-Means driver: written once, run by any backend.
#include "segmint/kmeans.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "backend.hpp"
#include "kmeans_init.hpp"
#include "segmint/error.hpp"

namespace segmint::kmeans {
namespace {

struct run_state {
  matrix centroids;
  double inertia = std::numeric_limits<double>::infinity();
  int iterations = 0;
  bool converged = false;
  int64_t empty_reseeds = 0;
  std::vector<double> trace;
};

/// New centroids = sums / counts; an empty cluster is reseeded at the next farthest row.
matrix update_centroids(detail::backend& be, const detail::assign_partials& p, const matrix& old, int64_t& reseeds) {
  const int64_t k = old.rows();
  const int64_t d = old.cols();
  matrix c(k, d);
  std::vector<int64_t> empty;
  for (int64_t ci = 0; ci < k; ++ci) {
    const int64_t cnt = p.counts[static_cast<size_t>(ci)];
    if (cnt == 0) {
      empty.push_back(ci);
      continue;
    }
    for (int64_t j = 0; j < d; ++j)
      c(ci, j) = static_cast<float>(p.sums[static_cast<size_t>(j * k + ci)] / static_cast<double>(cnt));
  }
  if (!empty.empty()) {
    const std::vector<int64_t> far = be.farthest_rows(static_cast<int64_t>(empty.size()));
    const matrix rows = be.gather_rows(far);
    for (size_t e = 0; e < empty.size(); ++e)
      for (int64_t j = 0; j < d; ++j) c(empty[e], j) = rows(static_cast<int64_t>(e), j);
    reseeds += static_cast<int64_t>(empty.size());
  }
  return c;
}

run_state lloyd(detail::backend& be, matrix centroids, const params& p) {
  run_state s;
  be.reset_labels();
  double previous = std::numeric_limits<double>::infinity();
  for (int it = 1; it <= p.max_iter; ++it) {
    const detail::assign_partials part = be.assign(centroids.view());
    s.iterations = it;
    s.inertia = part.inertia;
    s.trace.push_back(part.inertia);
    // Labels unchanged: the centroids are the means of their clusters (a fixed point).
    // Otherwise stop once the inertia no longer falls by more than tol (relative).
    if (part.changed == 0 || (it > 1 && previous - part.inertia <= p.tol * part.inertia)) {
      s.converged = true;
      break;
    }
    if (it == p.max_iter) break;
    previous = part.inertia;
    centroids = update_centroids(be, part, centroids, s.empty_reseeds);
  }
  s.centroids = std::move(centroids);
  return s;
}

}  // namespace

int auto_n_init(int64_t rows, int64_t cols, int k) {
  constexpr double budget = 5e7;
  const double work = static_cast<double>(rows) * static_cast<double>(cols) * std::max(k, 1);
  return static_cast<int>(std::clamp(std::floor(budget / std::max(work, 1.0)), 1.0, 50.0));
}

result fit(context& ctx, matrix_view x, const params& p) {
  if (p.k < 1) throw input_error("k must be at least 1, got " + std::to_string(p.k));
  ctx.load(x);
  const int64_t n = ctx.total_rows();  // all processes' rows when sharded
  if (n == 0 || x.cols == 0) throw input_error("K-Means needs at least one row and one feature");
  if (p.k > n) throw input_error("k = " + std::to_string(p.k) + " is more than the number of rows (" + std::to_string(n) + ")");
  if (p.max_iter < 1) throw input_error("--max-iter must be at least 1");
  if (!(p.tol >= 0)) throw input_error("--tol must be ≥ 0");
  if (p.init && (p.init->rows() != p.k || p.init->cols() != x.cols))
    throw input_error("initial centroids must be k × d = " + std::to_string(p.k) + " × " + std::to_string(x.cols));
  detail::backend& be = ctx.backend();
  result r;
  r.n_init = p.init ? 1 : (p.n_init > 0 ? p.n_init : auto_n_init(n, x.cols, p.k));
  run_state best;
  for (int run = 0; run < r.n_init; ++run) {
    matrix init = p.init ? *p.init : detail::kmeans_plus_plus(be, p.k, p.seed, static_cast<uint64_t>(run));
    run_state s = lloyd(be, std::move(init), p);
    r.empty_reseeds += s.empty_reseeds;
    if (s.inertia < best.inertia) {  // strict: the earliest run wins ties
      best = std::move(s);
      r.best_init = run;
    }
  }
  r.centroids = std::move(best.centroids);
  r.iterations = best.iterations;
  r.converged = best.converged;
  r.inertia_trace = std::move(best.trace);
  r.labels.resize(static_cast<size_t>(x.rows));
  r.sq_dist.resize(static_cast<size_t>(x.rows));
  const detail::assign_partials final_pass = be.assign(r.centroids.view());
  be.fetch_assignment(r.labels, r.sq_dist);
  r.inertia = final_pass.inertia;
  r.sizes = final_pass.counts;
  return r;
}

void assign(context& ctx, matrix_view x, matrix_view centroids, std::span<int32_t> labels, std::span<float> sq_dist) {
  if (centroids.cols != x.cols)
    throw input_error("centroids have " + std::to_string(centroids.cols) + " features, the data " + std::to_string(x.cols));
  ctx.load(x);
  detail::backend& be = ctx.backend();
  if (ctx.total_rows() == 0) return;
  be.assign(centroids);
  be.fetch_assignment(labels, sq_dist);
}

std::vector<int64_t> renumber_by_size(context& ctx, matrix_view x, result& r) {
  const int64_t k = r.centroids.rows();
  std::vector<int64_t> order(static_cast<size_t>(k));
  std::iota(order.begin(), order.end(), int64_t{0});
  std::stable_sort(order.begin(), order.end(), [&](int64_t a, int64_t b) {
    return r.sizes[static_cast<size_t>(a)] > r.sizes[static_cast<size_t>(b)];
  });
  matrix c(k, r.centroids.cols());
  for (int64_t ci = 0; ci < k; ++ci)
    for (int64_t j = 0; j < c.cols(); ++j) c(ci, j) = r.centroids(order[static_cast<size_t>(ci)], j);
  r.centroids = std::move(c);
  // Reassign with the reordered centroids: labels then come from exactly the stored model (only exact
  // distance ties can move, towards the lower new number).
  ctx.load(x);
  detail::backend& be = ctx.backend();
  be.reset_labels();
  const detail::assign_partials p = be.assign(r.centroids.view());
  be.fetch_assignment(r.labels, r.sq_dist);
  r.sizes = p.counts;
  r.inertia = p.inertia;
  return order;
}

}  // namespace segmint::kmeans
