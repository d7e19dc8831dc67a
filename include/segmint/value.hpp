#pragma once
// Customer value ("buy till you die"): the BG/NBD model of repeat purchasing and dropout (Fader, Hardie &
// Lee 2005), its variants MBG/NBD and Pareto/NBD, and the Gamma-Gamma model of spend per transaction (Fader, Hardie & Lee 2005b), fitted by
// maximum likelihood in double precision, and what they predict per customer: P(alive), expected
// purchases over a horizon, expected spend per transaction and CLV. The formulas are lifetimes' (0.11):
// tests/fixtures/make_lifetimes_fixtures.py checks them against it.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "segmint/context.hpp"

namespace segmint::value {

/// One row per customer, in one time unit (days or weeks): lifetimes' summary. `frequency` = repeat purchase
/// periods (purchases after the first), `recency` = time from the first to the last purchase, `age` (T) =
/// time from the first purchase to the end of the observation period, `monetary` = mean value of the repeat
/// purchases (0 for one-time buyers; empty when spend is not modelled).
struct rfm_summary {
  std::vector<double> frequency;
  std::vector<double> recency;
  std::vector<double> age;
  std::vector<double> monetary;
  [[nodiscard]] size_t size() const { return frequency.size(); }
};

/// Which value of a customer's summary no model accepts, and why; the field is one of "frequency",
/// "recency", "age", "monetary". Rules: frequency a whole number ≥ 0; 0 ≤ recency ≤ age; age > 0 (or 0 for a
/// customer whose only purchase is on the last day observed); recency 0
/// when there is no repeat purchase; monetary ≥ 0 (and finite values throughout).
struct summary_problem {
  const char* field = "";
  std::string reason;
};
std::optional<summary_problem> find_summary_problem(double frequency, double recency, double age, double monetary = 0);

/// Throws input_error naming the first customer (0-based row) with a summary_problem.
void check_summary(const rfm_summary& s);

/// BG/NBD, or with `modified` MBG/NBD (Batislam, Denizel & Filiztekin 2007; lifetimes' ModifiedBetaGeoFitter):
/// the same parameters, but a customer may also drop out right after the first purchase, so one-time buyers
/// are not all "alive" (BG/NBD gives each of them P(alive) = 1).
struct bgnbd_params {
  double r = 0, alpha = 0, a = 0, b = 0;
  bool modified = false;
};

/// Pareto/NBD (Schmittlein, Morrison & Colombo 1987): purchases at a Gamma(r, α)-distributed rate while alive,
/// lifetimes exponential at a Gamma(s, β)-distributed dropout rate (dropout may happen at any time, not only
/// right after a purchase as in BG/NBD).
struct pareto_nbd_params {
  double r = 0, alpha = 0, s = 0, beta = 0;
};

struct gamma_gamma_params {
  double p = 0, q = 0, v = 0;
};

/// How a maximum-likelihood fit ended.
struct fit_report {
  double log_likelihood = 0;          ///< the total over the customers used
  std::vector<double> standard_errors;  ///< per parameter, from the inverse observed information; NaN if singular
  int iterations = 0;
  bool converged = false;
  int64_t customers = 0;  ///< used by the fit
};

struct bgnbd_fit {
  bgnbd_params params;
  fit_report report;
};

struct pareto_nbd_fit {
  pareto_nbd_params params;
  fit_report report;
};

struct gamma_gamma_fit {
  gamma_gamma_params params;
  fit_report report;
  /// Pearson correlation of frequency and monetary among the repeat buyers: the model assumes spend does not
  /// depend on frequency, which |ρ| near 0 supports (lifetimes' documentation checks the same).
  double frequency_monetary_correlation = 0;
};

/// Fits BG/NBD (MBG/NBD when start.modified) by maximum likelihood (BFGS on the log parameters from `start`; each evaluation is one pass of
/// the context's backend over the customers, with sums in a fixed order: the same bytes on any thread count).
/// Throws numerical_error when it does not converge.
bgnbd_fit fit_bgnbd(context& ctx, const rfm_summary& s, const bgnbd_params& start = {1, 1, 1, 1});
/// The same on the CPU.
bgnbd_fit fit_bgnbd(const rfm_summary& s, const bgnbd_params& start = {1, 1, 1, 1});

/// The total BG/NBD log-likelihood (lifetimes' negative_log_likelihood without penalty, negated and summed).
double bgnbd_log_likelihood(const rfm_summary& s, const bgnbd_params& p);

/// P(alive | frequency, recency, age) per customer.
std::vector<double> p_alive(const rfm_summary& s, const bgnbd_params& p);

/// Expected number of purchases in the next `t` units per customer (conditional on their history).
std::vector<double> expected_purchases(const rfm_summary& s, const bgnbd_params& p, double t);

/// Fits Pareto/NBD by maximum likelihood (BFGS on the log parameters, analytic gradient; the likelihood's
/// integral by Gauss-Legendre panels, host/value/pareto_nbd.cpp) on the CPU, sums in fixed blocks.
/// Throws numerical_error when it does not converge.
pareto_nbd_fit fit_pareto_nbd(const rfm_summary& s, const pareto_nbd_params& start = {1, 1, 1, 1});
/// The same over the customers of every rank of the context's communicator (sums in rank order).
pareto_nbd_fit fit_pareto_nbd(context& ctx, const rfm_summary& s, const pareto_nbd_params& start = {1, 1, 1, 1});
double pareto_nbd_log_likelihood(const rfm_summary& s, const pareto_nbd_params& p);
std::vector<double> p_alive(const rfm_summary& s, const pareto_nbd_params& p);
std::vector<double> expected_purchases(const rfm_summary& s, const pareto_nbd_params& p, double t);

/// One of the purchase models (BG/NBD, MBG/NBD, Pareto/NBD), fitted, behind one interface: what the jobs use.
struct purchase_model {
  std::variant<bgnbd_params, pareto_nbd_params> params;
  fit_report report;
  [[nodiscard]] std::string key() const;   ///< "bgnbd", "mbgnbd" or "pareto_nbd" (the --model value and value.json key)
  [[nodiscard]] std::string name() const;  ///< "BG/NBD", "MBG/NBD" or "Pareto/NBD"
  /// The parameters in the model's order, e.g. {"r", 0.24}, {"alpha", 4.41}, {"a", 0.79}, {"b", 2.43}.
  [[nodiscard]] std::vector<std::pair<std::string, double>> named_parameters() const;
  [[nodiscard]] std::vector<double> p_alive(const rfm_summary& s) const;
  [[nodiscard]] std::vector<double> expected_purchases(const rfm_summary& s, double t) const;
};

/// The model keys fit_purchase_model accepts.
bool is_purchase_model(const std::string& key);
/// Fits the model named by `key` (is_purchase_model); the BG/NBD family's passes run on the context's
/// backend, Pareto/NBD's on the CPU.
purchase_model fit_purchase_model(context& ctx, const rfm_summary& s, const std::string& key);

/// Fits Gamma-Gamma to the repeat buyers (frequency > 0 and monetary > 0). Throws input_error when fewer than
/// `min_customers` qualify and numerical_error when the fit does not converge.
gamma_gamma_fit fit_gamma_gamma(const rfm_summary& s, int64_t min_customers = 20,
                                const gamma_gamma_params& start = {1, 1, 1});
/// The same over the customers of every rank of the context's communicator (sums in rank order).
gamma_gamma_fit fit_gamma_gamma(context& ctx, const rfm_summary& s, int64_t min_customers = 20,
                                const gamma_gamma_params& start = {1, 1, 1});

/// Expected mean spend per future transaction per customer (the population mean for one-time buyers).
std::vector<double> expected_spend_per_purchase(const rfm_summary& s, const gamma_gamma_params& p);

/// Customer lifetime value over `months` (30 days or 4.345 weeks each, by `unit_days`), each month's
/// expected purchases × expected spend discounted at `monthly_discount_rate`: lifetimes'
/// customer_lifetime_value.
/// `expected_purchases_by(t)`: each customer's expected purchases in the next t units, from any purchase model.
std::vector<double> clv(const std::function<std::vector<double>(double t)>& expected_purchases_by,
                        const std::vector<double>& spend_per_purchase, int months, double monthly_discount_rate, bool unit_days);
std::vector<double> clv(const rfm_summary& s, const bgnbd_params& bg, const std::vector<double>& spend_per_purchase,
                        int months, double monthly_discount_rate, bool unit_days);

}  // namespace segmint::value
