// The `value` job: summary table in, value.csv and value.json out (include/segmint/value_run.hpp).
#include <cmath>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "../io/atomic_file.hpp"
#include "../io/header_lookup.hpp"
#include "../io/input_files.hpp"
#include "csv_writer.hpp"
#include "value_from_log.hpp"
#include "value_holdout.hpp"
#include "value_segments.hpp"
#include "segmint/error.hpp"
#include "segmint/value_run.hpp"
#include "segmint/version.hpp"

namespace segmint {
namespace {

struct summary_table {
  std::vector<std::string> ids;
  std::string id_column = "row";
  value::rfm_summary s;
  row_ledger ledger;  ///< rows of the summary, or lines of the log
  std::string calibration_end;
  std::vector<double> holdout_purchases;  ///< with a holdout
  double holdout_length = 0;
  std::string holdout_end;
};

summary_table from_log(const value_options& o) {
  detail::log_summary log = detail::summarise_log(*o.transactions, o.calibration_end, o.unit == "days" ? 1.0 : 7.0);
  summary_table t;
  t.ids = std::move(log.ids);
  t.id_column = log.id_column;
  t.s = std::move(log.s);
  if (!o.monetary_column) t.s.monetary.clear();
  t.ledger = log.lines.lines;
  t.calibration_end = log.calibration_end;
  t.holdout_purchases = std::move(log.holdout_purchases);
  t.holdout_length = log.holdout_length;
  t.holdout_end = log.holdout_end;
  return t;
}

/// Reads the summary columns (float32 like every table segmint reads: 7 significant digits) and applies
/// find_summary_problem to each row: an error naming file, line, column and value, or a rejection under skip.
summary_table read_summary(const value_options& o) {
  std::vector<std::string> names = {o.frequency_column, o.recency_column, o.age_column};
  const std::vector<std::string> options = {"--frequency", "--recency", "--age", "--monetary"};
  if (o.monetary_column) names.push_back(*o.monetary_column);
  std::optional<int> id_index;
  std::vector<int> indices;
  const raw_table raw = read_csv(o.summary, o.csv, [&](const std::vector<csv_column_info>& header) {
    const detail::header_lookup find(o.summary, header);
    csv_plan plan;
    for (size_t k = 0; k < names.size(); ++k) plan.numeric.push_back(find(names[k], options[k].c_str()).index);
    if (!o.id_column.empty()) {
      id_index = find(o.id_column, "--id").index;
      plan.text.push_back(*id_index);
      plan.id = id_index;
    }
    indices = plan.numeric;
    return plan;
  });
  summary_table t;
  t.ledger = raw.ledger;
  if (id_index) t.id_column = o.id_column;
  const auto column = [&](size_t k) -> const std::vector<float>& { return raw.columns[k].numbers; };
  const size_t n = static_cast<size_t>(raw.rows());
  for (size_t i = 0; i < n; ++i) {
    const double x = column(0)[i], tx = column(1)[i], T = column(2)[i];
    const double m = o.monetary_column ? static_cast<double>(column(3)[i]) : 0.0;
    const auto problem = std::isnan(x) || std::isnan(tx) || std::isnan(T) || std::isnan(m)
                             ? std::optional<value::summary_problem>(value::summary_problem{"", "missing value"})
                             : value::find_summary_problem(x, tx, T, m);
    if (problem) {
      const std::string field = problem->field;
      const size_t k = field == "frequency" ? 0 : field == "recency" ? 1 : field == "age" ? 2 : field == "monetary" ? 3 : 0;
      if (o.csv.on_bad_row == bad_row_policy::skip) {
        t.ledger.reject(field.empty() ? "missing_value" : "bad_" + field);
        --t.ledger.used;
        continue;
      }
      const float shown = column(k)[i];
      throw input_error(describe({raw.file_of(i), raw.lines[i], indices[k] + 1, names[k]},
                                 problem->reason + ": " + quote_value(detail::csv_number(shown, 8)) +
                                     " (--on-bad-row skip skips such rows)"));
    }
    t.s.frequency.push_back(x);
    t.s.recency.push_back(tx);
    t.s.age.push_back(T);
    if (o.monetary_column) t.s.monetary.push_back(m);
    t.ids.push_back(id_index ? raw.columns.back().text[i] : std::to_string(raw.lines[i] - 1));
  }
  if (t.s.size() == 0) throw input_error(o.summary + ": no customers to model");
  return t;
}

nlohmann::ordered_json report_json(const value::fit_report& r, const std::vector<std::string>& names) {
  nlohmann::ordered_json j;
  j["log_likelihood"] = r.log_likelihood;
  for (size_t k = 0; k < names.size(); ++k) {
    const double se = r.standard_errors.size() > k ? r.standard_errors[k] : NAN;
    j["standard_errors"][names[k]] = std::isfinite(se) ? nlohmann::ordered_json(se) : nlohmann::ordered_json(nullptr);
  }
  j["iterations"] = r.iterations;
  j["converged"] = r.converged;
  j["customers"] = r.customers;
  return j;
}

std::string value_json(const value_options& o, const value_outcome& out) {
  nlohmann::ordered_json j;
  j["segmint_version"] = version_string();
  if (o.transactions) {
    for (const auto& f : o.transactions->files) j["input"]["transactions"].push_back(std::filesystem::path(f).filename().string());
    j["input"]["calibration_end"] = out.calibration_end;
  } else {
    j["input"]["summary"] = std::filesystem::path(o.summary).filename().string();
  }
  j["unit"] = o.unit;
  j["horizon"] = out.horizon;
  j["customers"] = out.customers;
  j["ledger"] = {{"read", out.ledger.read}, {"used", out.ledger.used}, {"rejected", out.ledger.rejected}};
  j["model"] = o.model;
  j["backend"] = out.backend;
  std::vector<std::string> names;
  for (const auto& [name, v] : out.model.named_parameters()) {
    j[o.model][name] = v;
    names.push_back(name);
  }
  j[o.model + "_fit"] = report_json(out.model.report, names);
  if (out.gamma_gamma) {
    const auto& gg = out.gamma_gamma->params;
    j["gamma_gamma"] = {{"p", gg.p}, {"q", gg.q}, {"v", gg.v}};
    j["gamma_gamma_fit"] = report_json(out.gamma_gamma->report, {"p", "q", "v"});
    j["gamma_gamma_fit"]["frequency_monetary_correlation"] = out.gamma_gamma->frequency_monetary_correlation;
    j["clv"] = {{"months", o.clv_months}, {"monthly_discount_rate", o.monthly_discount_rate}, {"total", out.total_clv}};
  }
  j["totals"] = {{"mean_p_alive", out.mean_p_alive}, {"expected_purchases", out.total_expected_purchases}};
  if (!o.segments_dir.empty()) {
    auto& js = j["segments"];
    js["run"] = std::filesystem::path(o.segments_dir).filename().string();
    js["customers_without_segment"] = out.customers_without_segment;
    js["segmented_without_value"] = out.segmented_without_value;
    js["bootstrap"] = {{"resamples", o.bootstrap}, {"seed", o.seed}, {"interval", "95% of the mean CLV"}};
    for (const auto& v : out.segments) {
      nlohmann::ordered_json e = {{"segment", v.segment},
                                  {"name", v.name},
                                  {"customers", v.customers},
                                  {"mean_p_alive", v.mean_p_alive},
                                  {"median_p_alive", v.median_p_alive},
                                  {"expected_purchases", v.expected_purchases}};
      if (out.gamma_gamma) {
        e["expected_spend"] = v.expected_spend;
        e["total_clv"] = v.total_clv;
        e["mean_clv"] = v.mean_clv;
        e["mean_clv_interval"] = {v.mean_clv_low, v.mean_clv_high};
      }
      js["by_segment"].push_back(e);
    }
  }
  if (out.holdout) {
    const auto& h = *out.holdout;
    auto& jh = j["holdout"];
    jh = {{"calibration_end", h.calibration_end}, {"holdout_end", h.holdout_end}, {"length", h.length},
          {"actual_purchases", h.actual_total}, {"expected_purchases", h.expected_total}, {"mean_absolute_error", h.mean_absolute_error}};
    const auto table = [](const std::vector<holdout_check::bucket>& buckets, const char* label) {
      auto rows = nlohmann::ordered_json::array();
      for (const auto& b : buckets)
        rows.push_back({{label, b.label}, {"customers", b.customers}, {"actual_mean", b.actual_mean}, {"expected_mean", b.expected_mean}});
      return rows;
    };
    jh["by_calibration_frequency"] = table(h.by_calibration_frequency, "frequency");
    jh["by_decile"] = table(h.by_decile, "decile");
    if (!h.by_segment.empty()) jh["by_segment"] = table(h.by_segment, "segment_name");
  }
  j["warnings"] = out.warnings;
  return j.dump(1) + "\n";
}

/// The per-customer columns of value.csv beside the summary (spend columns empty without spend).
struct customer_figures {
  const std::vector<double>& alive;
  const std::vector<double>& purchases;
  const std::vector<double>& spend;
  const std::vector<double>& lifetime;
  const std::vector<double>& holdout_expected;
};

void write_value_csv(detail::atomic_file& csv, const value_options& o, const summary_table& t, const customer_figures& c, bool holdout,
                     const detail::segment_assignment* segments) {
  std::string head = detail::csv_field(t.id_column) + ",frequency,recency,age";
  if (o.monetary_column) head += ",monetary";
  head += ",p_alive,expected_purchases";
  if (o.monetary_column) head += ",expected_spend_per_purchase,expected_spend,clv";
  if (holdout) head += ",holdout_purchases,holdout_expected";
  if (segments) head += ",segment,segment_name";
  csv << head << "\n";
  // A summary's values as read (float32): their shortest text, e.g. 30.43 rather than 30.43000031.
  const bool from_log = o.transactions.has_value();
  const auto echo = [from_log](double v) { return from_log ? detail::csv_number(v) : detail::csv_float(static_cast<float>(v)); };
  for (size_t i = 0; i < t.s.size(); ++i) {
    std::string line = detail::csv_text(t.ids[i], o.spreadsheet_safe) + "," + echo(t.s.frequency[i]) + "," + echo(t.s.recency[i]) +
                       "," + echo(t.s.age[i]);
    if (o.monetary_column) line += "," + echo(t.s.monetary[i]);
    line += "," + detail::csv_number(c.alive[i]) + "," + detail::csv_number(c.purchases[i]);
    if (o.monetary_column)
      line += "," + detail::csv_number(c.spend[i]) + "," + detail::csv_number(c.spend[i] * c.purchases[i]) + "," +
              detail::csv_number(c.lifetime[i]);
    if (holdout) line += "," + detail::csv_number(t.holdout_purchases[i]) + "," + detail::csv_number(c.holdout_expected[i]);
    if (segments) {
      const int32_t s = segments->segment_of[i];
      line += s < 0 ? std::string(",,")
                    : "," + std::to_string(s) + "," + detail::csv_text(segments->names[static_cast<size_t>(s)], o.spreadsheet_safe);
    }
    csv << line << "\n";
  }
}

}  // namespace

value_outcome run_value(const value_options& o) {
  if (o.unit != "days" && o.unit != "weeks") throw input_error("--unit must be days or weeks, not " + quote_value(o.unit));
  if (!value::is_purchase_model(o.model)) throw input_error("--model must be bgnbd, mbgnbd or pareto_nbd, not " + quote_value(o.model));
  if (o.model == "pareto_nbd" && o.compute.backend == backend_choice::cuda)
    throw input_error("--model pareto_nbd runs on the CPU only (the BG/NBD models have a GPU pass): leave out --backend cuda");
  const double horizon = o.horizon.value_or(o.unit == "days" ? 90.0 : 90.0 / 7.0);
  if (!(horizon > 0) || !std::isfinite(horizon)) throw input_error("--horizon must be a positive number of " + o.unit);
  if (o.clv_months < 1 || o.clv_months > 1200) throw input_error("--clv-months must be between 1 and 1200");
  if (o.bootstrap < 10 || o.bootstrap > 100000) throw input_error("--bootstrap must be between 10 and 100000 resamples");
  if (!(o.monthly_discount_rate >= 0 && o.monthly_discount_rate < 1)) throw input_error("--discount-rate must be in [0, 1) per month");
  if (o.transactions && !o.summary.empty()) throw input_error("value: give --summary FILE or --transactions FILE..., not both");
  if (!o.transactions && o.summary.empty()) throw input_error("value: give --summary FILE (one row per customer) or --transactions FILE...");
  if (o.calibration_end && !o.transactions) throw input_error("--calibration-end needs --transactions (a summary is already calibrated)");
  const detail::input_file_scope inputs_of_this_run;
  const summary_table t = o.transactions ? from_log(o) : read_summary(o);
  std::optional<detail::segment_assignment> segments;
  if (!o.segments_dir.empty()) segments = detail::assign_segments(o.segments_dir, t.ids);

  value_outcome out;
  out.ledger = t.ledger;
  out.customers = static_cast<int64_t>(t.s.size());
  out.input_kind = o.transactions ? "transactions" : "summary";
  out.calibration_end = t.calibration_end;
  out.horizon = horizon;
  if (o.monetary_column) out.gamma_gamma = value::fit_gamma_gamma(t.s);  // first: its data check is the cheaper
  {
    context_options compute = o.compute;
    if (o.model == "pareto_nbd") compute.backend = backend_choice::cpu;
    context ctx(compute);
    out.model = value::fit_purchase_model(ctx, t.s, o.model);
    out.backend = ctx.backend_name();
  }
  const std::vector<double> alive = out.model.p_alive(t.s);
  const std::vector<double> purchases = out.model.expected_purchases(t.s, horizon);
  std::vector<double> spend, lifetime;
  if (o.monetary_column) {
    if (std::abs(out.gamma_gamma->frequency_monetary_correlation) > 0.3)
      out.warnings.push_back("frequency and monetary value correlate (ρ = " + detail::csv_number(out.gamma_gamma->frequency_monetary_correlation, 3) +
                             ") among repeat buyers: the Gamma-Gamma model assumes they do not, so expected spend and CLV lean");
    spend = value::expected_spend_per_purchase(t.s, out.gamma_gamma->params);
    lifetime = value::clv([&](double until) { return out.model.expected_purchases(t.s, until); }, spend, o.clv_months,
                          o.monthly_discount_rate, o.unit == "days");
  }
  for (size_t i = 0; i < t.s.size(); ++i) {  // in row order: the same sums on any thread count
    out.mean_p_alive += alive[i];
    out.total_expected_purchases += purchases[i];
    if (!lifetime.empty()) out.total_clv += lifetime[i];
  }
  out.mean_p_alive /= static_cast<double>(t.s.size());
  std::vector<double> holdout_expected;
  if (!t.holdout_purchases.empty()) {
    holdout_expected = out.model.expected_purchases(t.s, t.holdout_length);
    out.holdout = detail::compare_holdout(t.s, holdout_expected, t.holdout_purchases, segments ? &*segments : nullptr);
    out.holdout->calibration_end = t.calibration_end;
    out.holdout->holdout_end = t.holdout_end;
    out.holdout->length = t.holdout_length;
  }
  if (segments) {
    std::vector<double> expected_spend(spend.size());
    for (size_t i = 0; i < spend.size(); ++i) expected_spend[i] = spend[i] * purchases[i];
    out.segments = detail::value_by_segment(*segments, alive, purchases, expected_spend, lifetime, o.bootstrap, o.seed);
    out.customers_without_segment = std::count(segments->segment_of.begin(), segments->segment_of.end(), -1);
    out.segmented_without_value = segments->without_value;
    if (out.customers_without_segment > 0)
      out.warnings.push_back(std::to_string(out.customers_without_segment) + " of " + std::to_string(out.customers) +
                             " customers are not in " + o.segments_dir + "/segments.csv (their segment is left empty)");
  }

  detail::output_set outputs(o.out_dir);
  write_value_csv(outputs.open("value.csv"), o, t, {alive, purchases, spend, lifetime, holdout_expected}, out.holdout.has_value(),
                  segments ? &*segments : nullptr);
  out.files = {"value.csv", "value.json"};
  outputs.open("value.json") << value_json(o, out);
  outputs.commit_all();
  return out;
}

}  // namespace segmint
