#include "value_model.hpp"

#include <algorithm>
#include <cmath>

#include "../dist/collectives.hpp"
#include "csv_writer.hpp"
#include "segmint/error.hpp"
#include "value_holdout.hpp"

namespace segmint::detail {

value_input value_input_of(log_summary log, bool with_spend) {
  value_input t;
  t.ids = std::move(log.ids);
  t.id_column = log.id_column;
  t.s = std::move(log.s);
  if (!with_spend) t.s.monetary.clear();
  t.ledger = log.lines.lines;
  t.calibration_end = log.calibration_end;
  t.holdout_purchases = std::move(log.holdout_purchases);
  t.holdout_length = log.holdout_length;
  t.holdout_end = log.holdout_end;
  return t;
}

double value_horizon(const value_options& o) { return o.horizon.value_or(o.unit == "days" ? 90.0 : 90.0 / 7.0); }

void check_value_options(const value_options& o) {
  if (o.unit != "days" && o.unit != "weeks") throw input_error("--unit must be days or weeks, not " + quote_value(o.unit));
  if (!value::is_purchase_model(o.model)) throw input_error("--model must be bgnbd, mbgnbd or pareto_nbd, not " + quote_value(o.model));
  if (o.model == "pareto_nbd" && o.compute.backend == backend_choice::cuda)
    throw input_error("--model pareto_nbd runs on the CPU only (the BG/NBD models have a GPU pass): leave out --backend cuda");
  if (const double horizon = value_horizon(o); !(horizon > 0) || !std::isfinite(horizon))
    throw input_error("--horizon must be a positive number of " + o.unit);
  if (o.clv_months < 1 || o.clv_months > 1200) throw input_error("--clv-months must be between 1 and 1200");
  if (o.bootstrap < 10 || o.bootstrap > 100000) throw input_error("--bootstrap must be between 10 and 100000 resamples");
  if (!(o.monthly_discount_rate >= 0 && o.monthly_discount_rate < 1)) throw input_error("--discount-rate must be in [0, 1) per month");
  if (o.transactions && !o.summary.empty()) throw input_error("value: give --summary FILE or --transactions FILE..., not both");
  if (!o.transactions && o.summary.empty()) throw input_error("value: give --summary FILE (one row per customer) or --transactions FILE...");
  if (o.calibration_end && !o.transactions) throw input_error("--calibration-end needs --transactions (a summary is already calibrated)");
}

value_outcome model_value(const value_options& o, const value_input& t, const segment_assignment* segments, customer_value& c) {
  // Data-parallel (o.compute.comm): each rank holds a shard of the customers; the fits sum over all of them in
  // rank order, and the totals below are summed the same way.
  context_options compute = o.compute;
  if (o.model == "pareto_nbd") compute.backend = backend_choice::cpu;
  context ctx(compute);
  const communicator& comm = ctx.comm();
  value_outcome out;
  out.ledger = comm.size() > 1 ? global_ledger(t.ledger, comm) : t.ledger;
  out.customers = comm.sum(static_cast<int64_t>(t.s.size()));
  out.input_kind = o.transactions ? "transactions" : "summary";
  out.calibration_end = t.calibration_end;
  out.horizon = value_horizon(o);
  const double horizon = out.horizon;
  if (o.monetary_column) out.gamma_gamma = value::fit_gamma_gamma(ctx, t.s);  // first: its data check is the cheaper
  out.model = value::fit_purchase_model(ctx, t.s, o.model);
  out.backend = ctx.backend_name();
  ctx.unload();
  if (const auto* bg = std::get_if<value::bgnbd_params>(&out.model.params); bg && bg->a / (bg->a + bg->b) < 1e-4)
    out.warnings.push_back(out.model.name() + " finds almost no dropout (a = " + csv_number(bg->a, 3) + ", b = " + csv_number(bg->b, 3) +
                           ": a customer drops out after a purchase with probability " + csv_number(bg->a / (bg->a + bg->b), 2) +
                           " on average), so P(alive) is about 1 for everyone: the log shows too little dropout to measure it; "
                           "expected purchases still rank the customers");
  c.alive = out.model.p_alive(t.s);
  c.purchases = out.model.expected_purchases(t.s, horizon);
  if (o.monetary_column) {
    if (std::abs(out.gamma_gamma->frequency_monetary_correlation) > 0.3)
      out.warnings.push_back("frequency and monetary value correlate (ρ = " + csv_number(out.gamma_gamma->frequency_monetary_correlation, 3) +
                             ") among repeat buyers: the Gamma-Gamma model assumes they do not, so expected spend and CLV lean");
    c.spend = value::expected_spend_per_purchase(t.s, out.gamma_gamma->params);
    c.lifetime = value::clv([&](double until) { return out.model.expected_purchases(t.s, until); }, c.spend, o.clv_months,
                            o.monthly_discount_rate, o.unit == "days");
  }
  double totals[3] = {0, 0, 0};  // P(alive), expected purchases, CLV
  for (size_t i = 0; i < t.s.size(); ++i) {  // in row order: the same sums on any thread count
    totals[0] += c.alive[i];
    totals[1] += c.purchases[i];
    if (!c.lifetime.empty()) totals[2] += c.lifetime[i];
  }
  comm.sum(totals);
  out.mean_p_alive = totals[0] / static_cast<double>(out.customers);
  out.total_expected_purchases = totals[1];
  out.total_clv = totals[2];
  if (!t.holdout_purchases.empty()) {
    c.holdout_expected = out.model.expected_purchases(t.s, t.holdout_length);
    out.holdout = compare_holdout(t.s, c.holdout_expected, t.holdout_purchases, segments);
    out.holdout->calibration_end = t.calibration_end;
    out.holdout->holdout_end = t.holdout_end;
    out.holdout->length = t.holdout_length;
  }
  if (segments) {
    std::vector<double> expected_spend(c.spend.size());
    for (size_t i = 0; i < c.spend.size(); ++i) expected_spend[i] = c.spend[i] * c.purchases[i];
    out.segments = value_by_segment(*segments, c.alive, c.purchases, expected_spend, c.lifetime, o.bootstrap, o.seed);
    out.customers_without_segment = std::count(segments->segment_of.begin(), segments->segment_of.end(), -1);
    out.segmented_without_value = segments->without_value;
    if (out.customers_without_segment > 0)
      out.warnings.push_back(std::to_string(out.customers_without_segment) + " of " + std::to_string(out.customers) +
                             " customers are not in " + (o.segments_dir.empty() ? std::string("the segmentation") : o.segments_dir + "/segments.csv") +
                             " (their segment is left empty)");
  }
  return out;
}

}  // namespace segmint::detail
