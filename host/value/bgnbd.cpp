// BG/NBD (Fader, Hardie & Lee 2005, "Counting your customers the easy way"): likelihood with its analytic
// gradient in log parameters, the fit, P(alive) and conditional expected purchases, as lifetimes computes them.
#include <boost/math/special_functions/digamma.hpp>
#include <boost/math/special_functions/gamma.hpp>
#include <boost/math/special_functions/hypergeometric_pFq.hpp>
#include <algorithm>
#include <cmath>

#include "../algo/backend.hpp"
#include "../dist/communicator.hpp"
#include "max_frequency.hpp"
#include "minimize.hpp"
#include "segmint/context.hpp"
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

bgnbd_params from_log(const std::vector<double>& x, bool modified) {
  return {std::exp(x[0]), std::exp(x[1]), std::exp(x[2]), std::exp(x[3]), modified};
}

/// The terms that depend only on the parameters and the frequency x (bgnbd_customer.hpp's layout), for
/// x = 0 .. max: twelve special functions per frequency instead of per customer.
std::vector<double> terms_table(const bgnbd_params& p, double max_frequency) {
  const auto rows = static_cast<size_t>(max_frequency) + 1;
  std::vector<double> t(rows * segmint::detail::bgnbd_terms_per_frequency, 0.0);
  for (size_t i = 0; i < rows; ++i) {
    const double x = static_cast<double>(i);
    const double y = p.modified ? x + 1 : x;  // MBG/NBD's Beta terms count the first purchase too
    double* f = t.data() + i * segmint::detail::bgnbd_terms_per_frequency;
    f[0] = lgamma(p.r + x) - lgamma(p.r) + lgamma(p.a + p.b) + lgamma(p.b + y) - lgamma(p.b) - lgamma(p.a + p.b + y);
    f[1] = digamma(p.r + x) - digamma(p.r);
    f[2] = digamma(p.a + p.b) - digamma(p.a + p.b + y);
    f[3] = f[2] + digamma(p.b + y) - digamma(p.b);
    if (p.modified || x > 0) {
      f[4] = std::log(p.a) - std::log(p.b + y - 1);
      f[5] = 1 / (p.b + y - 1);
    }
  }
  return t;
}

/// The log-likelihood and its gradient in the log parameters over the customers resident in `ctx`.
std::vector<double> likelihood_pass(context& ctx, const bgnbd_params& p, double max_frequency) {
  const segmint::detail::bgnbd_point point{p.r, p.alpha, p.a, p.b, std::log(p.alpha), p.modified};
  return ctx.backend().bgnbd_pass(point, terms_table(p, max_frequency));
}

/// The customers made resident in a context for the passes, and forgotten after.
class resident_customers {
 public:
  resident_customers(context& ctx, const rfm_summary& s) : ctx_(ctx) { ctx.backend().value_load(s.frequency, s.recency, s.age); }
  ~resident_customers() { ctx_.backend().value_unload(); }
  resident_customers(const resident_customers&) = delete;
  resident_customers& operator=(const resident_customers&) = delete;

 private:
  context& ctx_;
};

std::string model_name(const bgnbd_params& p) { return p.modified ? "MBG/NBD" : "BG/NBD"; }

context_options cpu_only() {
  context_options o;
  o.backend = backend_choice::cpu;
  return o;
}

}  // namespace

double bgnbd_log_likelihood(const rfm_summary& s, const bgnbd_params& p) {
  check_summary(s);
  context ctx(cpu_only());
  const resident_customers resident(ctx, s);
  return likelihood_pass(ctx, p, detail::max_frequency(s))[0];
}

bgnbd_fit fit_bgnbd(const rfm_summary& s, const bgnbd_params& start) {
  context ctx(cpu_only());
  return fit_bgnbd(ctx, s, start);
}

bgnbd_fit fit_bgnbd(context& ctx, const rfm_summary& s, const bgnbd_params& start) {
  const segmint::detail::communicator& comm = ctx.comm();  // data-parallel: each rank holds a shard of the customers
  const int64_t customers = comm.sum(static_cast<int64_t>(s.size()));
  if (customers == 0) throw input_error("value: no customers to fit the BG/NBD model to");
  check_summary(s);
  int64_t repeat_buyers = 0;
  for (double x : s.frequency) repeat_buyers += x > 0;
  if (comm.sum(repeat_buyers) == 0)
    throw input_error("value: no customer has a repeat purchase (frequency > 0), so the BG/NBD model has nothing to learn "
                      "repeat buying from");
  const double n = static_cast<double>(customers);
  const double top = comm.max(detail::max_frequency(s));  // every rank tabulates the same frequencies
  const resident_customers resident(ctx, s);
  const detail::objective mean_ll = [&](const std::vector<double>& x, std::vector<double>& g) {
    const auto sums = likelihood_pass(ctx, from_log(x, start.modified), top);
    for (size_t k = 0; k < 4; ++k) g[k] = sums[k + 1] / n;
    return sums[0] / n;
  };
  const auto m = detail::maximise(mean_ll, {std::log(start.r), std::log(start.alpha), std::log(start.a), std::log(start.b)}, 1e-9);
  bgnbd_fit fit;
  fit.params = from_log(m.x, start.modified);
  const std::string shown = "r = " + std::to_string(fit.params.r) + ", alpha = " + std::to_string(fit.params.alpha) +
                            ", a = " + std::to_string(fit.params.a) + ", b = " + std::to_string(fit.params.b);
  fit.report = detail::finish_fit(mean_ll, m, customers,
                                  {model_name(start), shown, "the data may not show repeat purchasing and dropout (too few repeat buyers?)",
                                   "the data do not identify the model"});
  return fit;
}

std::vector<double> p_alive(const rfm_summary& s, const bgnbd_params& p) {
  std::vector<double> out(s.size());
#pragma omp parallel for schedule(static)
  for (int64_t ii = 0; ii < static_cast<int64_t>(s.size()); ++ii) {
    const auto i = static_cast<size_t>(ii);
    const double x = s.frequency[i];
    if (x == 0 && !p.modified) {  // BG/NBD: nobody drops out before a repeat purchase
      out[i] = 1;
      continue;
    }
    const double y = p.modified ? x + 1 : x;
    const double log_div = (p.r + x) * std::log((p.alpha + s.age[i]) / (p.alpha + s.recency[i])) + std::log(p.a / (p.b + y - 1));
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
    const double y = p.modified ? x + 1 : x;  // MBG/NBD counts the first purchase as a dropout chance too
    const double ha = p.r + x, hb = p.b + y, hc = p.a + p.b + y - 1, z = t / (p.alpha + T + t);
    // 2F1(ha, hb; hc; z), or Euler's transform of it when the direct series overflows (as lifetimes does).
    double ln_hyp = std::log(hyp2f1(ha, hb, hc, z));
    if (!std::isfinite(ln_hyp)) ln_hyp = std::log(hyp2f1(hc - ha, hc - hb, hc, z)) + (hc - ha - hb) * std::log1p(-z);
    const double first = (p.a + p.b + y - 1) / (p.a - 1);
    const double second = 1 - std::exp(ln_hyp + (p.r + x) * std::log((p.alpha + T) / (p.alpha + t + T)));
    const double denominator =
        1 + (p.modified || x > 0 ? (p.a / (p.b + y - 1)) * std::pow((p.alpha + T) / (p.alpha + tx), p.r + x) : 0.0);
    out[i] = first * second / denominator;
  }
  return out;
}

}  // namespace segmint::value
