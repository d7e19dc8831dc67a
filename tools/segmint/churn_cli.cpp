#include "churn_cli.hpp"

#include <omp.h>

#include <CLI/CLI.hpp>
#include <ostream>

#include "options.hpp"
#include "segmint/error.hpp"

namespace segmint::cli {
namespace {

std::string number(double v, const char* format = "%.3f") { return printf_number(v, format); }

}  // namespace

CLI::App* add_churn_command(CLI::App& app, churn_args& a) {
  auto* cmd = app.add_subcommand("churn", "Labelled churn from a transaction log: logistic regression and BG/NBD scores, judged on a holdout");
  churn_options& o = a.options;
  add_transaction_options(*cmd, a.tx);
  cmd->add_option("--cutoff", o.cutoff, "First day not used for features (YYYY-MM-DD); required to train");
  cmd->add_option("--model", a.model,
                  "Score with a trained model (its churn.json) instead of training: features as of --as-of (default: the day "
                  "after the log's last day); --out is then the scores CSV");
  cmd->add_option("--window", o.window_days, "Churned: no purchase in this many days from the cutoff on")->capture_default_str();
  cmd->add_option("--holdout", o.holdout_share, "Share of customers held out for evaluation (seeded)")->capture_default_str();
  cmd->add_option("--seed", a.seed, "Seed of the split (a non-negative integer)");
  cmd->add_option("--c", o.c, "Inverse L2 regularisation strength (scikit-learn's C)")->capture_default_str();
  cmd->add_option("--out", o.out_dir, "Output folder: churn.csv, churn.json (with --model: the scores CSV file)")->required();
  cmd->add_option("--export-features", a.export_features, "Also write the feature table (raw, log1p, label, holdout) to this CSV");
  add_job_io_options(*cmd, a.io, "Where BG/NBD's likelihood passes run: auto, cpu or cuda");
  cmd->add_flag("--spreadsheet-safe", o.spreadsheet_safe, "Ids starting with = + - @ get a leading ' (spreadsheets then show them as text)");
  return cmd;
}

namespace {

int score_with_model(churn_args& a, std::ostream& out, std::ostream& err) {
  const churn_options& o = a.options;
  const churn_options defaults;
  if (!o.cutoff.empty() || o.window_days != defaults.window_days || o.holdout_share != defaults.holdout_share || o.c != defaults.c ||
      !a.seed.empty() || !a.export_features.empty())
    throw input_error("churn --model scores with a trained model: --cutoff, --window, --holdout, --c, --seed and --export-features "
                      "belong to training (give --as-of for the day to score as of)");
  churn_score_options s;
  s.model_path = a.model;
  s.transactions = o.transactions;
  s.out_path = o.out_dir;
  s.spreadsheet_safe = o.spreadsheet_safe;
  const churn_score_outcome r = score_churn(s);
  for (const auto& w : r.warnings) err << "segmint: warning: " << w << "\n";
  out << "segmint: scored " << r.customers << " customers as of " << r.as_of << ": mean probability of no purchase in the next "
      << r.window_days << " days " << number(r.mean_probability) << " → " << s.out_path << "\n";
  return 0;
}

}  // namespace

int command_churn(churn_args& a, std::ostream& out, std::ostream& err) {
  churn_options& o = a.options;
  if (a.tx.files.empty()) throw input_error("churn: --transactions FILE... is required");
  o.transactions = to_transaction_options(a.tx, a.io.delimiter, a.io.decimal, a.io.on_bad_row);
  if (a.io.threads > 0) omp_set_num_threads(a.io.threads);
  if (!a.model.empty()) return score_with_model(a, out, err);
  if (o.cutoff.empty()) throw input_error("churn: give --cutoff DATE to train (or --model churn.json to score)");
  if (!a.export_features.empty()) o.export_features = a.export_features;
  if (!a.seed.empty()) o.seed = parse_seed(a.seed);
  if (a.io.threads > 0) omp_set_num_threads(a.io.threads);
  o.compute.threads = a.io.threads;
  o.compute.backend = parse_backend_choice(a.io.backend);
  const churn_outcome r = run_churn(o);
  for (const auto& w : r.warnings) err << "segmint: warning: " << w << "\n";
  out << "segmint: " << r.customers << " customers bought before " << o.cutoff << "; " << r.churned << " ("
      << number(100.0 * static_cast<double>(r.churned) / static_cast<double>(r.customers), "%.1f") << "%) made no purchase in the next "
      << o.window_days << " days\n";
  out << "Trained on " << r.train << ", judged on " << r.holdout << " held-out customers: logistic regression AUC " << number(r.model.auc)
      << ", PR-AUC " << number(r.model.pr_auc) << ", Brier " << number(r.model.brier);
  if (r.bgnbd)
    out << "; BG/NBD: 1 − P(alive) AUC " << number(r.bgnbd->auc) << ", fewer expected purchases AUC " << number(r.bgnbd_expected->auc);
  out << "\nWrote churn.csv and churn.json in " << o.out_dir << (o.export_features ? " and " + *o.export_features : std::string()) << "\n";
  return 0;
}

}  // namespace segmint::cli
