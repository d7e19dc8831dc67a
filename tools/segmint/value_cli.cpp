#include "value_cli.hpp"

#include <omp.h>

#include <CLI/CLI.hpp>
#include <ostream>

#include "options.hpp"
#include "segmint/error.hpp"

namespace segmint::cli {
namespace {

std::string number(double v, const char* format = "%.4g") { return printf_number(v, format); }

}  // namespace

CLI::App* add_value_command(CLI::App& app, value_args& a) {
  auto* cmd = app.add_subcommand("value", "Customer value: P(alive), expected purchases, spend and CLV (BG/NBD, Gamma-Gamma)");
  value_options& o = a.options;
  cmd->add_option("--summary", o.summary, "Per-customer summary CSV: frequency (repeat purchases), recency, age (T), [monetary]");
  add_transaction_options(*cmd, a.tx);
  cmd->add_option("--calibration-end", a.calibration_end,
                  "With --transactions: the last day fitted (YYYY-MM-DD, default: the log's last day); later days check the fit");
  cmd->add_option("--id", o.id_column, "Customer id column (default: rows are numbered)");
  cmd->add_option("--frequency", o.frequency_column, "Repeat-purchase count column")->capture_default_str();
  cmd->add_option("--recency", o.recency_column, "Column: time from the first to the last purchase")->capture_default_str();
  cmd->add_option("--age", o.age_column, "Column: time from the first purchase to the end of observation (T)")->capture_default_str();
  cmd->add_option("--monetary", a.monetary,
                  "Column: mean value of the repeat purchases (adds Gamma-Gamma spend and CLV); with --transactions: "
                  "--monetary repeat (the log's amounts)");
  cmd->add_option("--model", o.model,
                  "bgnbd; mbgnbd (one-time buyers may also have dropped out); pareto_nbd (dropout at any time; CPU only)")
      ->check(CLI::IsMember({"bgnbd", "mbgnbd", "pareto_nbd"}))
      ->capture_default_str();
  cmd->add_option("--unit", o.unit, "Unit of recency and age: days or weeks")->check(CLI::IsMember({"days", "weeks"}))->capture_default_str();
  cmd->add_option("--horizon", o.horizon, "Expected purchases over this many units (default: 90 days)");
  cmd->add_option("--clv-months", o.clv_months, "CLV over this many months")->capture_default_str();
  cmd->add_option("--discount-rate", o.monthly_discount_rate, "Monthly discount rate of CLV")->capture_default_str();
  cmd->add_option("--out", o.out_dir, "Output folder: value.csv, value.json")->required();
  cmd->add_option("--segments", o.segments_dir, "A segmint run --out folder: each customer's segment and value per segment");
  cmd->add_option("--bootstrap", o.bootstrap, "Resamples for the per-segment CLV intervals")->capture_default_str();
  cmd->add_option("--seed", a.seed, "Seed of the bootstrap (a non-negative integer)");
  add_job_io_options(*cmd, a.io, "Where the likelihood passes run: auto, cpu or cuda");
  cmd->add_flag("--spreadsheet-safe", o.spreadsheet_safe, "Ids starting with = + - @ get a leading ' (spreadsheets then show them as text)");
  return cmd;
}

int command_value(value_args& a, std::ostream& out, std::ostream& err) {
  value_options& o = a.options;
  if (!a.monetary.empty()) o.monetary_column = a.monetary;
  if (!a.tx.files.empty()) {
    o.transactions = to_transaction_options(a.tx, a.io.delimiter, a.io.decimal, a.io.on_bad_row);
    if (o.monetary_column && *o.monetary_column != "repeat")
      throw input_error("value --transactions: spend comes from the log's amounts; write --monetary repeat to model it");
  }
  if (!a.calibration_end.empty()) o.calibration_end = a.calibration_end;
  if (!a.seed.empty()) o.seed = parse_seed(a.seed);
  if (!a.io.delimiter.empty() && a.tx.files.empty()) o.csv.delimiter = parse_delimiter(a.io.delimiter, "--delimiter");
  o.csv.decimal = parse_delimiter(a.io.decimal, "--decimal");
  o.csv.on_bad_row = a.io.on_bad_row == "skip" ? bad_row_policy::skip : bad_row_policy::fail;
  if (a.io.threads > 0) omp_set_num_threads(a.io.threads);
  o.compute.backend = parse_backend_choice(a.io.backend);
  o.compute.threads = a.io.threads;
  const value_outcome r = run_value(o);
  if (a.rank != 0) return 0;
  for (const auto& w : r.warnings) err << "segmint: warning: " << w << "\n";
  out << "segmint: " << r.customers << " customers (" << r.ledger.read << (o.transactions ? " lines" : " rows") << " read, "
      << r.ledger.rejected_total() << " rejected";
  for (const auto& [reason, count] : r.ledger.rejected) out << "; " << reason << " " << count;
  if (o.transactions) out << "; calibration through " << r.calibration_end;
  out << ")\n";
  out << r.model.name() << " (" << r.backend << "):";
  const char* separator = " ";
  for (const auto& [name, v] : r.model.named_parameters()) {
    out << separator << name << " = " << number(v);
    separator = ", ";
  }
  out << " (log-likelihood " << number(r.model.report.log_likelihood, "%.2f") << ", " << r.model.report.iterations << " iterations)\n";
  if (r.gamma_gamma) {
    const auto& gg = r.gamma_gamma->params;
    out << "Gamma-Gamma: p = " << number(gg.p) << ", q = " << number(gg.q) << ", v = " << number(gg.v) << " ("
        << r.gamma_gamma->report.customers << " repeat buyers; frequency-monetary correlation "
        << number(r.gamma_gamma->frequency_monetary_correlation, "%.3f") << ")\n";
  }
  out << "Mean P(alive) " << number(r.mean_p_alive, "%.3f") << "; expected purchases in the next " << number(r.horizon) << " "
      << o.unit << ": " << number(r.total_expected_purchases, "%.1f");
  if (r.gamma_gamma) out << "; total " << o.clv_months << "-month CLV " << number(r.total_clv, "%.2f");
  out << "\n";
  if (r.holdout) {
    const auto& h = *r.holdout;
    out << "Holdout " << h.calibration_end << " → " << h.holdout_end << " (" << number(h.length) << " " << o.unit
        << "): expected " << number(h.expected_total, "%.1f") << " repeat purchases, actual " << number(h.actual_total, "%.0f")
        << "; mean absolute error per customer " << number(h.mean_absolute_error, "%.3f") << "\n";
  }
  for (const auto& v : r.segments) {
    out << "  segment " << v.segment << " " << v.name << ": " << v.customers << " customers, mean P(alive) " << number(v.mean_p_alive, "%.2f")
        << ", " << number(v.expected_purchases, "%.1f") << " expected purchases";
    if (r.gamma_gamma)
      out << ", mean CLV " << number(v.mean_clv, "%.2f") << " [" << number(v.mean_clv_low, "%.2f") << ", " << number(v.mean_clv_high, "%.2f")
          << "]";
    out << "\n";
  }
  out << "Wrote value.csv and value.json in " << o.out_dir << "\n";
  return 0;
}

void add_run_value_options(CLI::App& run, run_value_args& a) {
  value_options& o = a.options;
  run.add_flag("--value", a.value,
               "With --transactions: customer value per segment (P(alive), expected purchases, spend, CLV) in profile.csv, "
               "value.csv, value.json and the report");
  run.add_option("--value-model", o.model, "--value: bgnbd, mbgnbd or pareto_nbd")
      ->check(CLI::IsMember({"bgnbd", "mbgnbd", "pareto_nbd"}))
      ->capture_default_str();
  run.add_option("--calibration-end", a.calibration_end,
                 "--value: segments and models see the log through this day (YYYY-MM-DD); later days check the models");
  run.add_option("--horizon", o.horizon, "--value: expected purchases over this many days (default 90)");
  run.add_option("--clv-months", o.clv_months, "--value: CLV over this many months")->capture_default_str();
  run.add_option("--discount-rate", o.monthly_discount_rate, "--value: monthly discount rate of CLV")->capture_default_str();
  run.add_option("--bootstrap", o.bootstrap, "--value: resamples for the per-segment CLV intervals")->capture_default_str();
}

std::optional<value_options> run_value_options(const run_value_args& a) {
  const value_options defaults;
  const value_options& o = a.options;
  if (!a.value) {
    if (!a.calibration_end.empty() || o.horizon || o.model != defaults.model || o.clv_months != defaults.clv_months ||
        o.monthly_discount_rate != defaults.monthly_discount_rate || o.bootstrap != defaults.bootstrap)
      throw input_error("--value-model, --calibration-end, --horizon, --clv-months, --discount-rate and --bootstrap need --value");
    return std::nullopt;
  }
  value_options v = o;
  if (!a.calibration_end.empty()) v.calibration_end = a.calibration_end;
  return v;
}

}  // namespace segmint::cli
