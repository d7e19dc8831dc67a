// The EM driver for Gaussian mixtures: written once, the passes over the data done by the backend.
#include "segmint/gmm.hpp"

#include <vector>
#include <algorithm>
#include <cmath>
#include <limits>

#include "backend.hpp"
#include "gmm_math.hpp"
#include "segmint/error.hpp"
#include "segmint/kmeans.hpp"

namespace segmint::gmm {
namespace {

/// A component whose responsibilities sum to less than one row has collapsed.
constexpr double collapse_threshold = 1.0;

struct run_state {
  mixture model;
  std::vector<double> lower_bounds;
  double lower_bound = -std::numeric_limits<double>::infinity();
  int iterations = 0;
  bool converged = false;
  int64_t collapsed = 0;
  int64_t raises = 0;
};

void validate(const params& p, matrix_view x, int64_t n) {
  if (p.k < 1) throw input_error("k must be at least 1, got " + std::to_string(p.k));
  if (n == 0 || x.cols == 0) throw input_error("a Gaussian mixture needs at least one row and one feature");
  if (p.k > n) throw input_error("k = " + std::to_string(p.k) + " is more than the number of rows (" + std::to_string(n) + ")");
  if (!(p.reg_covar >= 0)) throw input_error("--reg-covar must be ≥ 0");
  if (!(p.tol >= 0)) throw input_error("--tol must be ≥ 0");
  if (p.max_iter < 1) throw input_error("--max-iter must be at least 1");
  if (p.n_init < 1) throw input_error("--n-init must be at least 1 for a Gaussian mixture");
  if (p.init_restarts < 0 || p.init_restarts > 1000) throw input_error("GMM init_restarts must be between 0 (auto) and 1000");
  if (p.initial) {
    const auto& m = *p.initial;
    if (m.k != p.k || m.d != x.cols || m.type != p.covariance || m.weights.size() != static_cast<size_t>(p.k) ||
        m.means.size() != static_cast<size_t>(p.k * x.cols))
      throw input_error("initial mixture does not match k, the features or the covariance type");
  }
}

mixture initialise(context& ctx, detail::backend& be, matrix_view x, const params& p, uint64_t run) {
  const uint64_t seed = p.seed + run * 0x9E3779B97F4A7C15ull;
  detail::gmm_partials stats;
  if (p.init == init_method::kmeans) {
    const int restarts = p.init_restarts > 0 ? p.init_restarts : std::min(10, kmeans::auto_n_init(ctx.total_rows(), x.cols, p.k));
    const kmeans::result km = kmeans::fit(ctx, x, {.k = p.k, .n_init = restarts, .seed = seed});
    detail::gmm_responsibilities r{detail::gmm_responsibilities::kind::labels, nullptr, km.labels, 0};
    stats = be.gmm_pass(r, p.covariance, p.k);
  } else {
    detail::gmm_responsibilities r{detail::gmm_responsibilities::kind::random, nullptr, {}, seed};
    stats = be.gmm_pass(r, p.covariance, p.k);
  }
  return detail::mixture_from_stats(stats, p.covariance, p.k, x.cols, ctx.total_rows(), p.reg_covar);
}

/// Policy for a collapsed component (weight → 0): recentre it on the least likely row under the previous
/// parameters, give it the covariance of the heaviest component and weight 1/k, renormalise. One per step.
void reseed_collapsed(mixture& m, const detail::gmm_partials& s, detail::backend& be, int64_t& collapsed) {
  int victim = -1;
  for (int c = 0; c < m.k && victim < 0; ++c)
    if (s.nk[static_cast<size_t>(c)] < collapse_threshold) victim = c;
  if (victim < 0 || s.least_likely_row < 0) return;
  const int heaviest = static_cast<int>(std::max_element(m.weights.begin(), m.weights.end()) - m.weights.begin());
  const int64_t row = s.least_likely_row;
  const matrix point = be.gather_rows(std::span<const int64_t>(&row, 1));
  for (int64_t j = 0; j < m.d; ++j) m.means[static_cast<size_t>(j * m.k + victim)] = point(0, j);
  const int64_t d = m.d;
  switch (m.type) {
    case covariance_type::full:
      std::copy_n(m.covariances.begin() + heaviest * d * d, d * d, m.covariances.begin() + victim * d * d);
      break;
    case covariance_type::diag:
      for (int64_t j = 0; j < d; ++j)
        m.covariances[static_cast<size_t>(j * m.k + victim)] = m.covariances[static_cast<size_t>(j * m.k + heaviest)];
      break;
    case covariance_type::spherical:
      m.covariances[static_cast<size_t>(victim)] = m.covariances[static_cast<size_t>(heaviest)];
      break;
    case covariance_type::tied:
      break;
  }
  m.weights[static_cast<size_t>(victim)] = 1.0 / m.k;
  double total = 0;
  for (double w : m.weights) total += w;
  for (double& w : m.weights) w /= total;
  ++collapsed;
}

run_state run_em(detail::backend& be, mixture m, const params& p, int64_t n) {
  run_state st;
  detail::gmm_estep_params e = detail::estep_params(m, p.reg_covar, st.raises);
  for (int it = 1; it <= p.max_iter; ++it) {
    const double previous = st.lower_bound;
    const detail::gmm_responsibilities r{detail::gmm_responsibilities::kind::model, &e, {}, 0};
    const detail::gmm_partials s = be.gmm_pass(r, p.covariance, p.k);  // E-step + statistics
    st.lower_bound = s.log_likelihood / static_cast<double>(n);
    st.lower_bounds.push_back(st.lower_bound);
    st.iterations = it;
    m = detail::mixture_from_stats(s, p.covariance, p.k, m.d, n, p.reg_covar);  // M-step
    reseed_collapsed(m, s, be, st.collapsed);
    e = detail::estep_params(m, p.reg_covar, st.raises);
    if (std::fabs(st.lower_bound - previous) < p.tol) {
      st.converged = true;
      break;
    }
  }
  st.model = std::move(m);
  return st;
}

void check_finite(const mixture& m) {
  auto finite = [](const std::vector<double>& v) { return std::all_of(v.begin(), v.end(), [](double x) { return std::isfinite(x); }); };
  if (!finite(m.weights) || !finite(m.means) || !finite(m.covariances))
    throw numerical_error("Gaussian mixture: EM produced non-finite parameters; try --reg-covar 1e-3 or --covariance diag");
}

}  // namespace

covariance_type parse_covariance_type(std::string_view text) {
  if (text == "full") return covariance_type::full;
  if (text == "diag") return covariance_type::diag;
  if (text == "spherical") return covariance_type::spherical;
  if (text == "tied") return covariance_type::tied;
  throw input_error("--covariance: unknown type " + quote_value(text) + " (use full, diag, spherical or tied)");
}

std::string_view to_string(covariance_type t) {
  switch (t) {
    case covariance_type::full: return "full";
    case covariance_type::diag: return "diag";
    case covariance_type::spherical: return "spherical";
    case covariance_type::tied: return "tied";
  }
  return "full";
}

int64_t parameter_count(covariance_type t, int k, int64_t d) {
  int64_t cov = 0;
  switch (t) {
    case covariance_type::full: cov = k * d * (d + 1) / 2; break;
    case covariance_type::diag: cov = k * d; break;
    case covariance_type::spherical: cov = k; break;
    case covariance_type::tied: cov = d * (d + 1) / 2; break;
  }
  return cov + k * d + (k - 1);
}

double bic(const mixture& m, double mean_log_likelihood, int64_t n) {
  return -2.0 * mean_log_likelihood * static_cast<double>(n) +
         static_cast<double>(parameter_count(m.type, m.k, m.d)) * std::log(static_cast<double>(n));
}

double aic(const mixture& m, double mean_log_likelihood, int64_t n) {
  return -2.0 * mean_log_likelihood * static_cast<double>(n) + 2.0 * static_cast<double>(parameter_count(m.type, m.k, m.d));
}

result fit(context& ctx, matrix_view x, const params& p) {
  ctx.load(x);
  const int64_t n = ctx.total_rows();
  validate(p, x, n);
  detail::backend& be = ctx.backend();
  result r;
  r.n_init = p.initial ? 1 : p.n_init;
  run_state best;
  for (int run = 0; run < r.n_init; ++run) {
    mixture start = p.initial ? *p.initial : initialise(ctx, be, x, p, static_cast<uint64_t>(run));
    ctx.load(x);  // k-means initialisation used the same data: nothing is re-uploaded
    run_state st = run_em(be, std::move(start), p, n);
    r.collapsed_components += st.collapsed;
    r.regularisation_raises += st.raises;
    if (run == 0 || st.lower_bound > best.lower_bound) best = std::move(st);  // ties: the earlier run
  }
  check_finite(best.model);
  r.model = std::move(best.model);
  r.lower_bounds = std::move(best.lower_bounds);
  r.iterations = best.iterations;
  r.converged = best.converged;
  // Final E-step at the kept parameters: labels consistent with the model (as scikit-learn's fit_predict).
  r.labels.resize(static_cast<size_t>(x.rows));
  r.probability.resize(static_cast<size_t>(x.rows));
  int64_t raises = 0;
  mixture scored = r.model;
  const detail::gmm_estep_params e = detail::estep_params(scored, p.reg_covar, raises);
  r.mean_log_likelihood = be.gmm_score(e, r.labels, r.probability, {}) / static_cast<double>(n);
  r.bic = bic(r.model, r.mean_log_likelihood, n);
  r.aic = aic(r.model, r.mean_log_likelihood, n);
  return r;
}

void predict(context& ctx, matrix_view x, const mixture& m, std::span<int32_t> labels, std::span<float> probability,
             std::span<float> responsibilities) {
  if (m.d != x.cols)
    throw input_error("the mixture has " + std::to_string(m.d) + " features, the data " + std::to_string(x.cols));
  ctx.load(x);
  if (ctx.total_rows() == 0) return;
  mixture copy = m;
  int64_t raises = 0;
  const detail::gmm_estep_params e = detail::estep_params(copy, 0.0, raises);
  ctx.backend().gmm_score(e, labels, probability, responsibilities);
}

double score(context& ctx, matrix_view x, const mixture& m) {
  if (m.d != x.cols)
    throw input_error("the mixture has " + std::to_string(m.d) + " features, the data " + std::to_string(x.cols));
  ctx.load(x);
  const int64_t n = ctx.total_rows();
  if (n == 0) throw input_error("no rows to score");
  std::vector<int32_t> labels(static_cast<size_t>(x.rows));
  std::vector<float> probability(static_cast<size_t>(x.rows));
  mixture copy = m;
  int64_t raises = 0;
  const detail::gmm_estep_params e = detail::estep_params(copy, 0.0, raises);
  return ctx.backend().gmm_score(e, labels, probability, {}) / static_cast<double>(n);
}

}  // namespace segmint::gmm
