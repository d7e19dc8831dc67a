// BG/NBD (Fader, Hardie & Lee 2005, "Counting your customers the easy way"): likelihood with its analytic
// gradient in log parameters, the fit, P(alive) and conditional expected purchases, as lifetimes computes them.
#include <boost/math/special_functions/digamma.hpp>
#include <boost/math/special_functions/gamma.hpp>
#include <boost/math/special_functions/hypergeometric_pFq.hpp>
#include <cmath>

#include "minimize.hpp"
#include "segmint/error.hpp"
#include "segmint/value.hpp"

namespace segmint::value {
namespace {

using boost::math::digamma;
using boost::math::lgamma;

bgnbd_params from_log(const std::vector<double>& x) { return {std::exp(x[0]), std::exp(x[1]), std::exp(x[2]), std::exp(x[3])}; }

/// Adds customer i's log-likelihood to acc[0] and its gradient in the log parameters to acc[1..4].
void add_customer(double x, double tx, double T, const bgnbd_params& p, double* acc) {
  const double r = p.r, al = p.alpha, a = p.a, b = p.b;
  const double a1 = lgamma(r + x) - lgamma(r) + r * std::log(al);
  const double a2 = lgamma(a + b) + lgamma(b + x) - lgamma(b) - lgamma(a + b + x);
  const double a3 = -(r + x) * std::log(al + T);
  double lse = a3;
  double w = 0;  // the weight of the "dropped out after the last purchase" term
  if (x > 0) {
    const double a4 = std::log(a) - std::log(b + x - 1) - (r + x) * std::log(al + tx);
    const double top = std::max(a3, a4);
    lse = top + std::log(std::exp(a3 - top) + std::exp(a4 - top));
    w = std::exp(a4 - lse);
  }
  acc[0] += a1 + a2 + lse;
  const double d_r = digamma(r + x) - digamma(r) + std::log(al) - (1 - w) * std::log(al + T) - w * std::log(al + tx);
  const double d_alpha = r / al - (1 - w) * (r + x) / (al + T) - (x > 0 ? w * (r + x) / (al + tx) : 0.0);
  const double common = digamma(a + b) - digamma(a + b + x);
  const double d_a = common + (x > 0 ? w / a : 0.0);
  const double d_b = common + digamma(b + x) - digamma(b) - (x > 0 ? w / (b + x - 1) : 0.0);
  acc[1] += r * d_r;  // d/d(log p) = p d/dp
  acc[2] += al * d_alpha;
  acc[3] += a * d_a;
  acc[4] += b * d_b;
}

std::vector<double> likelihood_pass(const rfm_summary& s, const bgnbd_params& p) {
  return detail::ordered_sum(s.size(), 5, [&](size_t i, double* acc) { add_customer(s.frequency[i], s.recency[i], s.age[i], p, acc); });
}

}  // namespace

double bgnbd_log_likelihood(const rfm_summary& s, const bgnbd_params& p) { return likelihood_pass(s, p)[0]; }

bgnbd_fit fit_bgnbd(const rfm_summary& s, const bgnbd_params& start) {
  if (s.size() == 0) throw input_error("value: no customers to fit the BG/NBD model to");
  check_summary(s);
  int64_t repeat_buyers = 0;
  for (double x : s.frequency) repeat_buyers += x > 0;
  if (repeat_buyers == 0)
    throw input_error("value: no customer has a repeat purchase (frequency > 0), so the BG/NBD model has nothing to learn "
                      "repeat buying from");
  const double n = static_cast<double>(s.size());
  const detail::objective mean_ll = [&](const std::vector<double>& x, std::vector<double>& g) {
    const auto sums = likelihood_pass(s, from_log(x));
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
    double ln_hyp = std::log(boost::math::hypergeometric_pFq({ha, hb}, {hc}, z));
    if (!std::isfinite(ln_hyp))
      ln_hyp = std::log(boost::math::hypergeometric_pFq({hc - ha, hc - hb}, {hc}, z)) + (hc - ha - hb) * std::log1p(-z);
    const double first = (p.a + p.b + x - 1) / (p.a - 1);
    const double second = 1 - std::exp(ln_hyp + (p.r + x) * std::log((p.alpha + T) / (p.alpha + t + T)));
    const double denominator = 1 + (x > 0 ? (p.a / (p.b + x - 1)) * std::pow((p.alpha + T) / (p.alpha + tx), p.r + x) : 0.0);
    out[i] = first * second / denominator;
  }
  return out;
}

}  // namespace segmint::value
