#include "tune_cli.hpp"

#include <omp.h>

#include <CLI/CLI.hpp>
#include <ostream>

#include "options.hpp"
#include "segmint/error.hpp"

namespace segmint::cli {
namespace {

std::vector<double> parse_pca_list(const std::string& text) {
  std::vector<double> out;
  for (const auto& item : split_list(text)) {
    if (item == "0" || item == "none") {
      out.push_back(0);
      continue;
    }
    const pca::params p = parse_pca(item);
    if (p.variance_fraction && *p.variance_fraction >= 1) throw input_error("--pca: 1.0 keeps every dimension; give 0 for no PCA");
    out.push_back(p.components ? static_cast<double>(*p.components) : *p.variance_fraction);
  }
  return out;
}

std::vector<bool> parse_log_list(const std::string& text) {
  std::vector<bool> out;
  for (const auto& item : split_list(text)) {
    if (item != "none" && item != "auto") throw input_error("--log " + quote_value(item) + ": tune tries none and/or auto");
    out.push_back(item == "auto");
  }
  return out;
}

}  // namespace

CLI::App* add_tune_command(CLI::App& app, tune_args& a) {
  auto* cmd = app.add_subcommand("tune", "Search algorithms, k and preprocessing with evidence (indices, gap statistic, stability) and "
                                         "recommend one configuration");
  tune::params& p = a.options.search;
  cmd->add_option("input", a.inputs, "Customer table(s) as for segmint run (or --transactions)");
  cmd->add_option("--join", a.joins, "FILE: another source about the same customers joined by --id, as for segmint run; repeatable");
  cmd->add_option("--out", a.options.out_dir, "Output folder: tune.csv, tune.json, timings.json, report.html")->required();
  cmd->add_option("--id", a.id, "Id column (as for segmint run)");
  cmd->add_option("--features", a.features, "Comma-separated numeric feature columns (default: every numeric non-id column)");
  cmd->add_option("--categorical", a.categorical, "Comma-separated text columns to one-hot encode");
  cmd->add_option("--ordinal", a.ordinal, "COLUMN=lowest,...,highest: a text column with ordered answers; repeatable");
  cmd->add_option("--algo", a.algo, "Algorithms to try: a list of kmeans, gmm, ward")->capture_default_str();
  cmd->add_option("--k", a.k, "Range of k (k = 1 stands for \"no structure\")")->capture_default_str();
  cmd->add_option("--log", a.log, "Log choices to try: none, auto (log1p of skewed non-negative columns)")->capture_default_str();
  cmd->add_option("--pca", a.pca, "PCA choices: 0 (none), a variance fraction such as 0.9, or a component count")->capture_default_str();
  cmd->add_option("--covariance", a.covariance, "GMM covariance types to try: full, diag, spherical, tied")->capture_default_str();
  cmd->add_option("--restarts", a.restarts, "Restarts per fit (K-Means n_init, default auto; GMM EM restarts, default 1)");
  cmd->add_option("--bootstrap", p.resamples, "Resamples for stability (refits on 80% subsets)")->capture_default_str();
  cmd->add_option("--stability-rows", p.stability_rows, "Stability and seed agreement on a seeded sample of this many rows")
      ->capture_default_str();
  cmd->add_option("--gap-references", p.gap_references, "Gap statistic: uniform reference sets")->capture_default_str();
  cmd->add_option("--time-budget", p.time_budget, "Seconds; configurations that would not fit are skipped (0 = no limit)")
      ->capture_default_str();
  cmd->add_option("--seed", a.seed, "Random seed, 0 to 2^64 − 1")->capture_default_str();
  cmd->add_flag("--no-report", a.no_report, "Do not write report.html");
  cmd->add_flag("--quiet", a.quiet, "No progress lines on stderr");
  add_transaction_options(*cmd, a.tx);
  add_job_io_options(*cmd, a.io, "Where the fits run: auto, cpu or cuda");
  return cmd;
}

int command_tune(tune_args& a, const std::vector<std::string>& command_line, std::ostream& out, std::ostream& err) {
  tune_options& o = a.options;
  tune::params& p = o.search;
  o.command_line = command_line;
  o.inputs = a.inputs;
  o.joins = a.joins;
  if (!a.tx.files.empty()) {  // the delimiter is the log's (it may be whitespace); with INPUT, the log is joined to it
    o.transactions = to_transaction_options(a.tx, a.io.delimiter, a.io.decimal, a.io.on_bad_row);
  } else {
    if (a.inputs.empty()) throw input_error("tune: give INPUT (a customer table) or --transactions FILE... (a transaction log)");
    if (!a.io.delimiter.empty()) o.table.csv.delimiter = parse_delimiter(a.io.delimiter, "--delimiter");
  }
  o.table.csv.decimal = parse_delimiter(a.io.decimal, "--decimal");
  o.table.csv.on_bad_row = a.io.on_bad_row == "skip" ? bad_row_policy::skip : bad_row_policy::fail;
  if (!a.id.empty()) o.table.id = a.id;
  o.table.features = split_list(a.features);
  o.table.categorical = split_list(a.categorical);
  o.table.ordinal = parse_ordinals(a.ordinal);
  p.algorithms.clear();
  for (const auto& name : split_list(a.algo)) p.algorithms.push_back(parse_algorithm(name));
  const k_range k = parse_k(a.k);
  p.k_min = k.min;
  p.k_max = k.max;
  p.logs = parse_log_list(a.log);
  p.pcas = parse_pca_list(a.pca);
  p.covariances.clear();
  for (const auto& t : split_list(a.covariance)) p.covariances.push_back(gmm::parse_covariance_type(t));
  p.seed = parse_seed(a.seed);
  if (!a.restarts.empty()) {
    const int n = parse_int(a.restarts, "--restarts");
    if (n < 1 || n > 1000) throw input_error("--restarts must be between 1 and 1000");
    p.kmeans_restarts = p.gmm_restarts = n;
  }
  if (a.io.threads > 0) omp_set_num_threads(a.io.threads);
  o.compute.threads = a.io.threads;
  o.compute.backend = parse_backend_choice(a.io.backend);
  o.write_report = !a.no_report;
  if (!a.quiet) p.progress = [&err](const std::string& line) { err << "segmint: tune " << line << "\n"; };
  const tune_run_outcome r = run_tune(o);
  for (const auto& j : r.joins)
    err << "segmint: joined " << j.file << ": " << j.rows_read << " rows, " << j.matched << " matched, " << j.not_in_base
        << " not in " << o.inputs.front() << "; " << j.customers_without_row << " customers without a row there\n";
  for (const auto& w : r.warnings) err << "segmint: warning: " << w << "\n";
  const auto& rec = r.search.recommended;
  out << "segmint: tuned " << r.search.rows << " customers × " << r.search.features << " features: " << r.search.configurations.size()
      << " configurations × k = " << p.k_min << ".." << p.k_max << "\n";
  if (rec.structure)
    out << "Recommended: " << tune::describe(rec.config) << ", k = " << rec.k << "\n";
  else
    out << "Recommended: no cluster structure found (k = 1)\n";
  for (const auto& reason : rec.reasons) out << "  - " << reason << "\n";
  if (!rec.runners_up.empty()) {
    out << "Runners-up:\n";
    for (const auto& u : rec.runners_up) out << "  - " << u << "\n";
  }
  out << "Rows: " << r.ledger.read << " read, " << r.ledger.used << " used, " << r.ledger.rejected_total() << " rejected";
  for (const auto& [reason, count] : r.ledger.rejected) out << " (" << reason << ": " << count << ")";
  out << "\nWrote " << o.out_dir << "/{";
  for (size_t i = 0; i < r.files.size(); ++i) out << (i ? "," : "") << r.files[i];
  out << "}" << (rec.structure ? "; run it with: segmint run INPUT --config " + o.out_dir + "/tune.json --out DIR" : std::string()) << "\n";
  return 0;
}

}  // namespace segmint::cli
