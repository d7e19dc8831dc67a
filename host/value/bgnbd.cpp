// BG/NBD (Fader, Hardie & Lee 2005, "Counting your customers the easy way"): likelihood with its analytic
// gradient in log parameters, the fit, P(alive) and conditional expected purchases, as lifetimes computes them.
#include <boost/math/special_functions/digamma.hpp>
#include <boost/math/special_functions/gamma.hpp>
#include <boost/math/special_functions/hypergeometric_pFq.hpp>
#include <algorithm>
#include <cmath>

#include "minimize.hpp"
#include "segmint/error.hpp"
#include "segmint/value.hpp"

namespace segmint::value {
namespace {

using boost::math::digamma;
using boost::math::lgamma;
// Double precision throughout (Boost promotes to long double by default: 3× slower, and the inputs are doubles).
using double_policy = boost::math::policies::policy<boost::math::policies::promote_double<false>>;

double hyp2f1(double a, double b, double c, double z) {
  return boost::math::hypergeometric_pFq({a, b}, {c}, z, static_cast<double*>(nullptr), double_policy());
}

bgnbd_params from_log(const std::vector<double>& x) { return {std::exp(x[0]), std::exp(x[1]), std::exp(x[2]), std::exp(x[3])}; }

/// The parts of a customer's likelihood and gradient that depend on the parameters and the frequency x only.
struct frequency_terms {
  double ll = 0;         ///< lnΓ(r+x) − lnΓ(r) + lnΓ(a+b) + lnΓ(b+x) − lnΓ(b) − lnΓ(a+b+x)
  double d_r = 0;        ///< ψ(r+x) − ψ(r)
  double d_a = 0;        ///< ψ(a+b) − ψ(a+b+x)
  double d_b = 0;        ///< d_a + ψ(b+x) − ψ(b)
  double log_ratio = 0;  ///< ln a − ln(b+x−1), for x > 0
  double inverse = 0;    ///< 1 / (b+x−1), for x > 0
};

frequency_terms terms_of(double x, const bgnbd_params& p) {
  frequency_terms t;
  t.ll = lgamma(p.r + x) - lgamma(p.r) + lgamma(p.a + p.b) + lgamma(p.b + x) - lgamma(p.b) - lgamma(p.a + p.b + x);
  t.d_r = digamma(p.r + x) - digamma(p.r);
  t.d_a = digamma(p.a + p.b) - digamma(p.a + p.b + x);
  t.d_b = t.d_a + digamma(p.b + x) - digamma(p.b);
  if (x > 0) {
    t.log_ratio = std::log(p.a) - std::log(p.b + x - 1);
    t.inverse = 1 / (p.b + x - 1);
  }
  return t;
}

/// Adds a customer's log-likelihood to acc[0] and its gradient in the log parameters to acc[1..4].
void add_customer(double x, double tx, double T, const frequency_terms& f, const bgnbd_params& p, double log_alpha, double* acc) {
  const double r = p.r, al = p.alpha;
  const double log_at = std::log(al + T);
  const double a3 = -(r + x) * log_at;
  double lse = a3;
  double w = 0;  // the weight of the "dropped out after the last purchase" term
  double log_ax = 0;
  if (x > 0) {
    log_ax = std::log(al + tx);
    const double a4 = f.log_ratio - (r + x) * log_ax;
    const double e = std::exp(-std::abs(a3 - a4));  // log-sum-exp with one exponential
    lse = std::max(a3, a4) + std::log1p(e);
    w = a4 > a3 ? 1 / (1 + e) : e / (1 + e);
  }
  acc[0] += f.ll + r * log_alpha + lse;
  const double d_r = f.d_r + log_alpha - (1 - w) * log_at - w * log_ax;
  const double d_alpha = r / al - (1 - w) * (r + x) / (al + T) - (x > 0 ? w * (r + x) / (al + tx) : 0.0);
  const double d_a = f.d_a + (x > 0 ? w / p.a : 0.0);
  const double d_b = f.d_b - w * f.inverse;
  acc[1] += r * d_r;  // d/d(log p) = p d/dp
  acc[2] += al * d_alpha;
  acc[3] += p.a * d_a;
  acc[4] += p.b * d_b;
}

/// Frequencies are whole numbers (check_summary): up to this many, the frequency terms are tabulated once per
/// evaluation, so the per-customer work is a few logarithms instead of twelve special functions.
constexpr double max_tabulated_frequency = 1 << 20;

std::vector<double> likelihood_pass(const rfm_summary& s, const bgnbd_params& p, double max_frequency) {
  const double log_alpha = std::log(p.alpha);
  if (max_frequency > max_tabulated_frequency)
    return detail::ordered_sum(s.size(), 5, [&](size_t i, double* acc) {
      add_customer(s.frequency[i], s.recency[i], s.age[i], terms_of(s.frequency[i], p), p, log_alpha, acc);
    });
  std::vector<frequency_terms> table(static_cast<size_t>(max_frequency) + 1);
  for (size_t x = 0; x < table.size(); ++x) table[x] = terms_of(static_cast<double>(x), p);
  return detail::ordered_sum(s.size(), 5, [&](size_t i, double* acc) {
    add_customer(s.frequency[i], s.recency[i], s.age[i], table[static_cast<size_t>(s.frequency[i])], p, log_alpha, acc);
  });
}

double max_frequency(const rfm_summary& s) {
  double m = 0;
  for (double x : s.frequency) m = std::max(m, x);
  return m;
}

}  // namespace

double bgnbd_log_likelihood(const rfm_summary& s, const bgnbd_params& p) {
  check_summary(s);
  return likelihood_pass(s, p, max_frequency(s))[0];
}

bgnbd_fit fit_bgnbd(const rfm_summary& s, const bgnbd_params& start) {
  if (s.size() == 0) throw input_error("value: no customers to fit the BG/NBD model to");
  check_summary(s);
  int64_t repeat_buyers = 0;
  for (double x : s.frequency) repeat_buyers += x > 0;
  if (repeat_buyers == 0)
    throw input_error("value: no customer has a repeat purchase (frequency > 0), so the BG/NBD model has nothing to learn "
                      "repeat buying from");
  const double n = static_cast<double>(s.size());
  const double top = max_frequency(s);
  const detail::objective mean_ll = [&](const std::vector<double>& x, std::vector<double>& g) {
    const auto sums = likelihood_pass(s, from_log(x), top);
    for (size_t k = 0; k < 4; ++k) g[k] = sums[k + 1] / n;
    return sums[0] / n;
  };
  const auto m = detail::maximise(mean_ll, {std::log(start.r), std::log(start.alpha), std::log(start.a), std::log(start.b)}, 1e-9);
  bgnbd_fit fit;
  fit.params = from_log(m.x);
  if (!m.converged)
    throw numerical_error("value: the BG/NBD fit did not converge in " + std::to_string(m.iterations) +
                          " iterations (r = " + std::to_string(fit.params.r) + ", alpha = " + std::to_string(fit.params.alpha) +
                          ", a = " + std::to_string(fit.params.a) + ", b = " + std::to_string(fit.params.b) +
                          "): the data may not show repeat purchasing and dropout (too few repeat buyers?)");
  for (const double p : {fit.params.r, fit.params.alpha, fit.params.a, fit.params.b})
    if (!(p > 1e-8 && p < 1e8))
      throw numerical_error("value: the BG/NBD fit ran to the edge of its parameters (r = " + std::to_string(fit.params.r) +
                            ", alpha = " + std::to_string(fit.params.alpha) + ", a = " + std::to_string(fit.params.a) +
                            ", b = " + std::to_string(fit.params.b) + "): the data do not identify the model");
  fit.report.log_likelihood = m.value * n;
  fit.report.iterations = m.iterations;
  fit.report.converged = true;
  fit.report.customers = static_cast<int64_t>(s.size());
  fit.report.standard_errors = detail::standard_errors(mean_ll, m.x);
  for (double& se : fit.report.standard_errors) se /= std::sqrt(n);  // the information of the total, not the mean
  return fit;
}

std::vector<double> p_alive(const rfm_summary& s, const bgnbd_params& p) {
  std::vector<double> out(s.size());
#pragma omp parallel for schedule(static)
  for (int64_t ii = 0; ii < static_cast<int64_t>(s.size()); ++ii) {
    const auto i = static_cast<size_t>(ii);
    const double x = s.frequency[i];
    if (x == 0) {
      out[i] = 1;
      continue;
    }
    const double log_div = (p.r + x) * std::log((p.alpha + s.age[i]) / (p.alpha + s.recency[i])) + std::log(p.a / (p.b + x - 1));
    out[i] = 1 / (1 + std::exp(log_div));
  }
  return out;
}

std::vector<double> expected_purchases(const rfm_summary& s, const bgnbd_params& p, double t) {
  std::vector<double> out(s.size());
#pragma omp parallel for schedule(static)
  for (int64_t ii = 0; ii < static_cast<int64_t>(s.size()); ++ii) {
    const auto i = static_cast<size_t>(ii);
    const double x = s.frequency[i], tx = s.recency[i], T = s.age[i];
    const double ha = p.r + x, hb = p.b + x, hc = p.a + p.b + x - 1, z = t / (p.alpha + T + t);
    // 2F1(ha, hb; hc; z), or Euler's transform of it when the direct series overflows (as lifetimes does).
    double ln_hyp = std::log(hyp2f1(ha, hb, hc, z));
    if (!std::isfinite(ln_hyp)) ln_hyp = std::log(hyp2f1(hc - ha, hc - hb, hc, z)) + (hc - ha - hb) * std::log1p(-z);
    const double first = (p.a + p.b + x - 1) / (p.a - 1);
    const double second = 1 - std::exp(ln_hyp + (p.r + x) * std::log((p.alpha + T) / (p.alpha + t + T)));
    const double denominator = 1 + (x > 0 ? (p.a / (p.b + x - 1)) * std::pow((p.alpha + T) / (p.alpha + tx), p.r + x) : 0.0);
    out[i] = first * second / denominator;
  }
  return out;
}

}  // namespace segmint::value
