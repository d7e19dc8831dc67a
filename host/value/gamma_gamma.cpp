// Gamma-Gamma spend model (Fader, Hardie & Lee 2005, "RFM and CLV: using iso-value curves"; Fader & Hardie's
// note "The Gamma-Gamma model of monetary value"), its fit on the repeat buyers, and lifetimes' CLV.
#include <boost/math/special_functions/digamma.hpp>
#include <boost/math/special_functions/gamma.hpp>
#include <cmath>
#include <omp.h>

#include "../dist/communicator.hpp"
#include "minimize.hpp"
#include "segmint/error.hpp"
#include "segmint/value.hpp"

namespace segmint::value {
namespace {

using boost::math::digamma;
using boost::math::lgamma;

gamma_gamma_params from_log(const std::vector<double>& x) { return {std::exp(x[0]), std::exp(x[1]), std::exp(x[2])}; }

/// Adds a repeat buyer's log-likelihood to acc[0] and its gradient in the log parameters to acc[1..3].
void add_customer(double x, double m, const gamma_gamma_params& g, double* acc) {
  const double px = g.p * x, tail = x * m + g.v;
  acc[0] += lgamma(px + g.q) - lgamma(px) - lgamma(g.q) + g.q * std::log(g.v) + (px - 1) * std::log(m) + px * std::log(x) -
            (px + g.q) * std::log(tail);
  const double d_p = x * (digamma(px + g.q) - digamma(px) + std::log(m) + std::log(x) - std::log(tail));
  const double d_q = digamma(px + g.q) - digamma(g.q) + std::log(g.v) - std::log(tail);
  const double d_v = g.q / g.v - (px + g.q) / tail;
  acc[1] += g.p * d_p;
  acc[2] += g.q * d_q;
  acc[3] += g.v * d_v;
}

/// Pearson's correlation of a and b over every rank's values (two passes: the means, then the centred sums).
double correlation(const segmint::detail::communicator& comm, const std::vector<double>& a, const std::vector<double>& b) {
  double sums[3] = {0, 0, static_cast<double>(a.size())};
  for (size_t i = 0; i < a.size(); ++i) sums[0] += a[i], sums[1] += b[i];
  comm.sum(sums);
  const double ma = sums[0] / sums[2], mb = sums[1] / sums[2];
  double centred[3] = {0, 0, 0};  // Σab, Σaa, Σbb
  for (size_t i = 0; i < a.size(); ++i) {
    centred[0] += (a[i] - ma) * (b[i] - mb);
    centred[1] += (a[i] - ma) * (a[i] - ma);
    centred[2] += (b[i] - mb) * (b[i] - mb);
  }
  comm.sum(centred);
  return centred[1] > 0 && centred[2] > 0 ? centred[0] / std::sqrt(centred[1] * centred[2]) : 0.0;
}

}  // namespace

gamma_gamma_fit fit_gamma_gamma(const rfm_summary& s, int64_t min_customers, const gamma_gamma_params& start) {
  context ctx(context_options{.backend = backend_choice::cpu, .threads = omp_get_max_threads()});  // the caller's threads
  return fit_gamma_gamma(ctx, s, min_customers, start);
}

gamma_gamma_fit fit_gamma_gamma(context& ctx, const rfm_summary& s, int64_t min_customers, const gamma_gamma_params& start) {
  const segmint::detail::communicator& comm = ctx.comm();
  if (s.monetary.size() != s.size()) throw input_error("value: the Gamma-Gamma spend model needs a monetary value per customer");
  std::vector<double> x, m;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s.frequency[i] > 0 && s.monetary[i] > 0) {
      x.push_back(s.frequency[i]);
      m.push_back(s.monetary[i]);
    }
  }
  const int64_t spenders = comm.sum(static_cast<int64_t>(x.size()));
  if (spenders < min_customers)
    throw input_error("value: " + std::to_string(spenders) + " customers with a repeat purchase and a positive monetary value; " +
                      "the Gamma-Gamma spend model needs at least " + std::to_string(min_customers) +
                      " (leave out --monetary to model purchases only)");
  const double n = static_cast<double>(spenders);
  const detail::objective mean_ll = [&](const std::vector<double>& lx, std::vector<double>& grad) {
    const gamma_gamma_params g = from_log(lx);
    auto sums = detail::ordered_sum(x.size(), 4, [&](size_t i, double* acc) { add_customer(x[i], m[i], g, acc); });
    comm.sum(sums);  // in rank order
    for (size_t k = 0; k < 3; ++k) grad[k] = sums[k + 1] / n;
    return sums[0] / n;
  };
  const auto best = detail::maximise(mean_ll, {std::log(start.p), std::log(start.q), std::log(start.v)}, 1e-9);
  gamma_gamma_fit fit;
  fit.params = from_log(best.x);
  fit.report = detail::finish_fit(mean_ll, best, spenders,
                                  {"Gamma-Gamma",
                                   "p = " + std::to_string(fit.params.p) + ", q = " + std::to_string(fit.params.q) + ", v = " +
                                       std::to_string(fit.params.v),
                                   "spend per purchase may not follow the model", "the spend data do not identify the model (all repeat buyers spend alike?)"});
  if (fit.params.q <= 1)
    throw numerical_error("value: the Gamma-Gamma fit gives q = " + std::to_string(fit.params.q) +
                          " ≤ 1, for which the mean spend per purchase is infinite: spend is too heavy-tailed for this model");
  fit.frequency_monetary_correlation = correlation(comm, x, m);
  return fit;
}

std::vector<double> expected_spend_per_purchase(const rfm_summary& s, const gamma_gamma_params& g) {
  std::vector<double> out(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    const double x = s.frequency[i];
    const double m = s.monetary.empty() ? 0.0 : s.monetary[i];
    out[i] = g.p * (g.v + x * m) / (g.p * x + g.q - 1);
  }
  return out;
}

std::vector<double> clv(const std::function<std::vector<double>(double t)>& expected_purchases_by,
                        const std::vector<double>& spend_per_purchase, int months, double monthly_discount_rate, bool unit_days) {
  const double month = unit_days ? 30.0 : 4.345;  // lifetimes' factors for freq "D" and "W"
  const size_t n = spend_per_purchase.size();
  std::vector<double> value(n, 0.0);
  std::vector<double> before(n, 0.0);  // expected purchases up to the previous month's end
  for (int k = 1; k <= months; ++k) {
    const std::vector<double> upto = expected_purchases_by(k * month);
    const double discount = std::pow(1 + monthly_discount_rate, static_cast<double>(k));
    for (size_t i = 0; i < n; ++i) {
      value[i] += spend_per_purchase[i] * (upto[i] - before[i]) / discount;
      before[i] = upto[i];
    }
  }
  return value;
}

std::vector<double> clv(const rfm_summary& s, const bgnbd_params& bg, const std::vector<double>& spend_per_purchase, int months,
                        double monthly_discount_rate, bool unit_days) {
  return clv([&](double t) { return expected_purchases(s, bg, t); }, spend_per_purchase, months, monthly_discount_rate, unit_days);
}

}  // namespace segmint::value
