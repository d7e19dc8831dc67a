// Pareto/NBD (Schmittlein, Morrison & Colombo 1987): likelihood with its analytic gradient in log parameters,
// the fit, P(alive) and conditional expected purchases. lifetimes writes the likelihood with Gauss's 2F1, whose
// derivatives in its parameters have no closed form; here the same quantity is the integral it came from
// (Fader & Hardie, "A note on deriving the Pareto/NBD model", eq. 17):
//   L = Γ(r+x) α^r β^s / Γ(r) · [ (α+T)^-(r+x) (β+T)^-s  +  s ∫_tx^T (α+u)^-(r+x) (β+u)^-(s+1) du ],
// differentiated under the integral sign, and integrated by Gauss-Legendre panels on w = ln(min(α,β) + u),
// where the integrand is smooth and its log changes by a bounded amount per panel (close to double precision).
// It costs a few tens of exp/log per customer and evaluation, against one 2F1 for the value alone.
#include <boost/math/quadrature/gauss.hpp>
#include <boost/math/special_functions/digamma.hpp>
#include <boost/math/special_functions/gamma.hpp>
#include <algorithm>
#include <cmath>
#include <omp.h>

#include "../dist/communicator.hpp"
#include "max_frequency.hpp"
#include "minimize.hpp"
#include "segmint/error.hpp"
#include "segmint/value.hpp"

namespace segmint::value {
namespace {

using boost::math::digamma;
using boost::math::lgamma;
using legendre = boost::math::quadrature::gauss<double, 10>;

/// ∫_tx^T of the integrand g(u) = (α+u)^-(r+x) (β+u)^-(s+1) and of g times each of its log-derivatives in
/// r, α, s, β, all scaled by e^-scale (the largest log g·du met), so none overflows.
struct integral {
  double scale = 0;
  double value = 0;          ///< ∫ g, scaled
  double d[4] = {0, 0, 0, 0};  ///< ∫ g ∂ln g/∂(r, α, s, β), scaled
  [[nodiscard]] bool empty() const { return value == 0; }
};

integral integrate(double x, double tx, double T, const pareto_nbd_params& p, bool with_derivatives) {
  integral out;
  if (!(T > tx)) return out;
  const double shift = std::min(p.alpha, p.beta);  // u = e^w - shift: one of α+u, β+u is e^w exactly
  const double k_alpha = p.r + x, k_beta = p.s + 1;
  const double w0 = std::log(shift + tx), w1 = std::log(shift + T);
  // d ln(g e^w)/dw lies within ±(1 + k_alpha + k_beta): on panels over which it changes by at most 8 in log, and
  // at most 2 wide (the integrand's poles sit π off the real axis), 10 Legendre nodes leave an error near 1e-13
  // relative (Gauss's error term for e^(8t), and the Bernstein ellipse through the poles).
  const double length = w1 - w0;
  const int panels = static_cast<int>(std::ceil(std::max(length * (1 + k_alpha + k_beta) / 8, length / 2)));
  const double width = length / panels;
  out.scale = -INFINITY;
  const auto add = [&](double w, double weight) {
    const double e = std::exp(w);
    const double alpha_u = p.alpha - shift + e, beta_u = p.beta - shift + e;  // α + u, β + u
    const double ln_a = p.alpha == shift ? w : std::log(alpha_u);
    const double ln_b = p.beta == shift ? w : std::log(beta_u);
    const double ln_h = w - k_alpha * ln_a - k_beta * ln_b;  // ln(g(u) du/dw)
    if (ln_h > out.scale) {  // rescale what is summed so far
      const double f = std::exp(out.scale - ln_h);
      out.value *= f;
      for (double& v : out.d) v *= f;
      out.scale = ln_h;
    }
    const double h = weight * std::exp(ln_h - out.scale);
    out.value += h;
    if (with_derivatives) {
      out.d[0] -= h * ln_a;
      out.d[1] -= h * k_alpha / alpha_u;
      out.d[2] -= h * ln_b;
      out.d[3] -= h * k_beta / beta_u;
    }
  };
  const auto& nodes = legendre::abscissa();
  const auto& weights = legendre::weights();
  for (int panel = 0; panel < panels; ++panel) {
    const double middle = w0 + (panel + 0.5) * width, half = 0.5 * width;
    for (size_t k = 0; k < nodes.size(); ++k) {
      add(middle - half * nodes[k], half * weights[k]);
      add(middle + half * nodes[k], half * weights[k]);
    }
  }
  return out;
}

/// One customer's log-likelihood (without its frequency's lnΓ terms when `by_x` is null), its gradient in
/// (ln r, ln α, ln s, ln β) when `gradient` (needs `by_x`), and P(alive).
struct customer_terms {
  double log_likelihood = 0;
  double p_alive = 1;
};

/// lnΓ(r+x) − lnΓ(r) and ψ(r+x) − ψ(r) for each whole frequency x = 0 .. max: the special functions once per
/// frequency and evaluation, not per customer (as for BG/NBD).
struct frequency_terms {
  std::vector<double> log_gamma_ratio, digamma_difference;
  frequency_terms(const rfm_summary& s, const pareto_nbd_params& p) {
    const auto rows = static_cast<size_t>(detail::max_frequency(s)) + 1;
    log_gamma_ratio.resize(rows);
    digamma_difference.resize(rows);
    const double lg_r = lgamma(p.r), dg_r = digamma(p.r);
    for (size_t x = 0; x < rows; ++x) {
      log_gamma_ratio[x] = lgamma(p.r + static_cast<double>(x)) - lg_r;
      digamma_difference[x] = digamma(p.r + static_cast<double>(x)) - dg_r;
    }
  }
};

customer_terms customer(double x, double tx, double T, const pareto_nbd_params& p, const frequency_terms* by_x, double* gradient) {
  const double k_alpha = p.r + x;
  const double ln_alpha = std::log(p.alpha), ln_beta = std::log(p.beta);
  const double ln_aT = std::log(p.alpha + T), ln_bT = std::log(p.beta + T);
  const auto row = static_cast<size_t>(x);
  const double a1 = (by_x ? by_x->log_gamma_ratio[row] : 0.0) + p.r * ln_alpha + p.s * ln_beta;
  const double alive = -k_alpha * ln_aT - p.s * ln_bT;  // ln of the "still alive at T" term
  const integral I = integrate(x, tx, T, p, gradient != nullptr);
  const double dropped = I.empty() ? -INFINITY : std::log(p.s) + I.scale + std::log(I.value);  // ln of s ∫ g
  const double top = std::max(alive, dropped);
  const double w_alive = std::exp(alive - top), w_dropped = std::exp(dropped - top);
  const double total = w_alive + w_dropped;
  customer_terms c;
  c.log_likelihood = a1 + top + std::log(total);
  c.p_alive = w_alive / total;
  if (gradient) {
    const double pa = w_alive / total, pd = w_dropped / total;
    const double ratio = I.empty() ? 0.0 : 1.0 / I.value;
    const double d_r = by_x->digamma_difference[row] + ln_alpha - pa * ln_aT + pd * I.d[0] * ratio;
    const double d_alpha = p.r / p.alpha - pa * k_alpha / (p.alpha + T) + pd * I.d[1] * ratio;
    const double d_s = ln_beta - pa * ln_bT + pd * (1 / p.s + I.d[2] * ratio);
    const double d_beta = p.s / p.beta - pa * p.s / (p.beta + T) + pd * I.d[3] * ratio;
    gradient[0] += p.r * d_r;  // d/d(ln θ) = θ d/dθ
    gradient[1] += p.alpha * d_alpha;
    gradient[2] += p.s * d_s;
    gradient[3] += p.beta * d_beta;
  }
  return c;
}

pareto_nbd_params from_log(const std::vector<double>& x) { return {std::exp(x[0]), std::exp(x[1]), std::exp(x[2]), std::exp(x[3])}; }

std::string shown(const pareto_nbd_params& p) {
  return "r = " + std::to_string(p.r) + ", alpha = " + std::to_string(p.alpha) + ", s = " + std::to_string(p.s) +
         ", beta = " + std::to_string(p.beta);
}

}  // namespace

double pareto_nbd_log_likelihood(const rfm_summary& s, const pareto_nbd_params& p) {
  check_summary(s);
  const frequency_terms by_x(s, p);
  return detail::ordered_sum(s.size(), 1, [&](size_t i, double* acc) {
    acc[0] += customer(s.frequency[i], s.recency[i], s.age[i], p, &by_x, nullptr).log_likelihood;
  })[0];
}

pareto_nbd_fit fit_pareto_nbd(const rfm_summary& s, const pareto_nbd_params& start) {
  context ctx(context_options{.backend = backend_choice::cpu, .threads = omp_get_max_threads()});  // the caller's threads
  return fit_pareto_nbd(ctx, s, start);
}

pareto_nbd_fit fit_pareto_nbd(context& ctx, const rfm_summary& s, const pareto_nbd_params& start) {
  const segmint::detail::communicator& comm = ctx.comm();  // data-parallel: each rank holds a shard of the customers
  const int64_t customers = comm.sum(static_cast<int64_t>(s.size()));
  if (customers == 0) throw input_error("value: no customers to fit the Pareto/NBD model to");
  check_summary(s);
  const auto repeat_buyers = static_cast<int64_t>(std::count_if(s.frequency.begin(), s.frequency.end(), [](double x) { return x > 0; }));
  if (comm.sum(repeat_buyers) == 0)
    throw input_error("value: no customer has a repeat purchase (frequency > 0), so the Pareto/NBD model has nothing to learn "
                      "repeat buying from");
  const double n = static_cast<double>(customers);
  const detail::objective mean_ll = [&](const std::vector<double>& lx, std::vector<double>& g) {
    const pareto_nbd_params p = from_log(lx);
    const frequency_terms by_x(s, p);
    auto sums = detail::ordered_sum(s.size(), 5, [&](size_t i, double* acc) {
      acc[0] += customer(s.frequency[i], s.recency[i], s.age[i], p, &by_x, acc + 1).log_likelihood;
    });
    comm.sum(sums);  // in rank order
    for (size_t k = 0; k < 4; ++k) g[k] = sums[k + 1] / n;
    return sums[0] / n;
  };
  const auto m = detail::maximise(mean_ll, {std::log(start.r), std::log(start.alpha), std::log(start.s), std::log(start.beta)}, 1e-9);
  pareto_nbd_fit fit;
  fit.params = from_log(m.x);
  fit.report = detail::finish_fit(mean_ll, m, customers,
                                  {"Pareto/NBD", shown(fit.params), "the data may not show repeat purchasing and dropout (too few repeat buyers?)",
                                   "the data do not identify the model"});
  return fit;
}

std::vector<double> p_alive(const rfm_summary& s, const pareto_nbd_params& p) {
  std::vector<double> out(s.size());
#pragma omp parallel for schedule(static)
  for (int64_t ii = 0; ii < static_cast<int64_t>(s.size()); ++ii) {
    const auto i = static_cast<size_t>(ii);
    out[i] = customer(s.frequency[i], s.recency[i], s.age[i], p, nullptr, nullptr).p_alive;
  }
  return out;
}

std::vector<double> expected_purchases(const rfm_summary& s, const pareto_nbd_params& p, double t) {
  std::vector<double> out = p_alive(s, p);
  // E[purchases in (T, T+t] | alive] = (r+x)(β+T) / ((α+T)(s-1)) · (1 - ((β+T)/(β+T+t))^(s-1)); for s = 1 its
  // limit (r+x)(β+T)/(α+T) · ln((β+T+t)/(β+T)). expm1/log1p keep it accurate for small t.
  for (size_t i = 0; i < s.size(); ++i) {
    const double x = s.frequency[i], T = s.age[i];
    const double ln_ratio = std::log1p(t / (p.beta + T));  // ln((β+T+t)/(β+T))
    const double tail = std::abs(p.s - 1) < 1e-12 ? ln_ratio : -std::expm1(-(p.s - 1) * ln_ratio) / (p.s - 1);
    out[i] *= (p.r + x) * (p.beta + T) / (p.alpha + T) * tail;
  }
  return out;
}

}  // namespace segmint::value
