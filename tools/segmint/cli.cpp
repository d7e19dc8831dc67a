// Command-line definition and dispatch. Exceptions map to exit codes here and nowhere else.
#include "cli.hpp"

#include <omp.h>

#include <CLI/CLI.hpp>
#include <iostream>
#include <new>
#include <optional>

#include "bench_cli.hpp"
#include "commands.hpp"
#include "options.hpp"
#include "transactions_cli.hpp"
#include "churn_cli.hpp"
#include "value_cli.hpp"
#include "tune_cli.hpp"
#include "../../host/dist/communicator.hpp"
#include "segmint/error.hpp"
#include "segmint/tune_run.hpp"
#include "segmint/version.hpp"

namespace segmint::cli {
namespace {

struct io_options {
  std::string delimiter;
  std::string decimal = ".";
  std::string on_bad_row = "fail";
  std::string backend = "auto";
  int threads = 0;
  std::string max_device_memory;
};

void add_io_options(CLI::App& cmd, io_options& io) {
  cmd.add_option("--delimiter", io.delimiter, "Field separator (default: detected from the header: , TAB ; |)");
  cmd.add_option("--decimal", io.decimal, "Decimal mark of numbers: . or ,")->capture_default_str();
  cmd.add_option("--on-bad-row", io.on_bad_row, "fail: stop at the first bad row (exit 2); skip: skip and count it")
      ->check(CLI::IsMember({"fail", "skip"}))
      ->capture_default_str();
  cmd.add_option("--backend", io.backend, "auto, cpu or cuda")->check(CLI::IsMember({"auto", "cpu", "cuda", "gpu"}))->capture_default_str();
  cmd.add_option("--threads", io.threads, "CPU threads (0 = all cores)")->check(CLI::NonNegativeNumber);
  cmd.add_option("--max-device-memory", io.max_device_memory,
                 "CUDA: device-memory budget in bytes (e.g. 8G; default 80% of the free memory); a larger table is "
                 "streamed from host memory in row chunks, with the same results");
}

csv_options to_csv(const io_options& io) {
  csv_options c;
  if (!io.delimiter.empty()) c.delimiter = parse_delimiter(io.delimiter, "--delimiter");
  c.decimal = parse_delimiter(io.decimal, "--decimal");
  c.on_bad_row = io.on_bad_row == "skip" ? bad_row_policy::skip : bad_row_policy::fail;
  return c;
}

/// Bounds of flags that size resources: each thread has its own stack and buffers, each restart a full fit.
constexpr int max_threads = 1024;
constexpr int max_restarts = 1000;

context_options to_compute(const io_options& io) {
  if (io.threads > max_threads)
    throw input_error("--threads " + std::to_string(io.threads) + " is more threads than segmint starts (at most " +
                      std::to_string(max_threads) + "; 0 = one per core)");
  if (io.threads > 0) omp_set_num_threads(io.threads);
  context_options c{parse_backend_choice(io.backend), io.threads, 0};
  if (!io.max_device_memory.empty()) c.max_device_memory = parse_bytes(io.max_device_memory, "--max-device-memory");
  return c;
}

}  // namespace

int run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err,
        std::shared_ptr<const detail::communicator> world, bool execute, in_memory_run* in_memory) {
  const bool parallel = world && world->size() > 1;
  const int rank = world ? world->rank() : 0;
  CLI::App app{"segmint: customer segmentation (K-Means with k selection, profiles, scoring)", "segmint"};
  app.require_subcommand(1);
  app.set_version_flag("--version", version_string());

  run_args ra;
  io_options run_io;
  std::string k_text = "2..10";
  std::string pca_text;
  std::string log_text;
  std::string features_text;
  std::string categorical_text;
  std::vector<std::string> ordinal_items;
  std::string profile_only_text;
  std::vector<std::string> join_files;
  std::string role_text;
  auto* run_cmd = app.add_subcommand("run", "Segment a customer table and write segments, profiles, model and run report");
  std::vector<std::string> run_inputs;
  run_cmd->add_option("input", run_inputs,
                      "Customer table: CSV/TSV (header row required) or float32 .npy (or --transactions); several "
                      "CSV/TSV files with the same header are read as one table, in order");
  run_cmd->add_option("--out", ra.options.out_dir, "Output folder")->required();
  run_cmd->add_option("--id", ra.id, "Id column (default: an id-like column with unique values, else row numbers)");
  run_cmd->add_option("--features", features_text, "Comma-separated numeric feature columns (default: every numeric non-id column)");
  run_cmd->add_option("--categorical", categorical_text, "Comma-separated text columns to one-hot encode");
  run_cmd->add_option("--join", join_files,
                      "FILE: another source about the same customers (survey answers, web behaviour) joined by --id; "
                      "repeatable");
  run_cmd->add_option("--profile-only", profile_only_text,
                      "Comma-separated columns described per segment (means with a t-test, or shares of each level with "
                      "a chi-square test) but not clustered on; outcome columns are described by default");
  run_cmd->add_option("--ordinal", ordinal_items,
                      "COLUMN=lowest,...,highest: a text column whose answers are ordered as listed (read as 0, 1, ...); "
                      "repeatable");
  run_cmd->add_option("--log", log_text, "log1p these comma-separated columns, or 'auto' (non-negative columns with skewness > 1)");
  run_cmd->add_option("--algo", ra.options.algo,
                      "kmeans, gmm (Gaussian mixture), ward (hierarchical), or auto (K-Means' k, then the better of "
                      "K-Means and GMM)")
      ->check(CLI::IsMember({"kmeans", "gmm", "ward", "auto"}))
      ->capture_default_str();
  run_cmd->add_option("--k", k_text, "Number of segments, or a range MIN..MAX to choose from")->capture_default_str();
  std::string ward_mode_text = "auto";
  run_cmd->add_option("--ward-mode", ward_mode_text, "Ward: exact, two-stage (K-Means micro-clusters first) or auto (exact up to 50,000 rows)")
      ->check(CLI::IsMember({"exact", "two-stage", "auto"}))->capture_default_str();
  run_cmd->add_option("--ward-micro-clusters", ra.options.ward.micro_clusters, "Ward two-stage: micro-clusters (0 = max(1000, 20 x largest k))")
      ->check(CLI::NonNegativeNumber)->capture_default_str();
  run_cmd->add_option("--pca", pca_text, "Cluster on N principal components, or on those explaining a fraction (e.g. 0.95)");
  std::string seed_text = std::to_string(ra.options.kmeans.seed);
  run_cmd->add_option("--seed", seed_text, "Random seed, 0 to 2^64 − 1 (same seed + data ⇒ same segments)")->capture_default_str();
  std::optional<int> n_init;
  std::optional<int> max_iter;
  std::optional<double> tol;
  run_cmd->add_option("--n-init", n_init, "Restarts, the best kept (K-Means default: auto; GMM default: 1)")->check(CLI::NonNegativeNumber);
  run_cmd->add_option("--max-iter", max_iter, "Iterations per run (K-Means default 300; GMM default 100)")->check(CLI::PositiveNumber);
  run_cmd->add_option("--tol", tol, "Convergence: K-Means, relative inertia decrease (default 1e-6); GMM, change of the "
                                    "mean log-likelihood (default 1e-3)")->check(CLI::NonNegativeNumber);
  std::string covariance_text = "full";
  run_cmd->add_option("--covariance", covariance_text, "GMM covariance: full, diag, spherical, tied, or a list chosen by BIC")
      ->capture_default_str();
  run_cmd->add_option("--reg-covar", ra.options.gmm.reg_covar, "GMM: added to every covariance diagonal")->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  std::string gmm_init = "kmeans";
  run_cmd->add_option("--gmm-init", gmm_init, "GMM initialisation: kmeans or random")->check(CLI::IsMember({"kmeans", "random"}))
      ->capture_default_str();
  run_cmd->add_flag("--probabilities", ra.options.probabilities, "GMM: one probability column per segment in segments.csv");
  run_cmd->add_flag("--spreadsheet-safe", ra.options.spreadsheet_safe,
                    "Ids and names starting with = + - @ get a leading ' in the CSV outputs (spreadsheets show them as text)");
  run_cmd->add_option("--silhouette-sample", ra.options.silhouette.sample_rows,
                      "Rows sampled for the silhouette above --silhouette-exact rows")->check(CLI::PositiveNumber)->capture_default_str();
  run_cmd->add_option("--silhouette-exact", ra.options.silhouette.max_exact_rows, "Exact silhouette up to this many rows")
      ->check(CLI::NonNegativeNumber)->capture_default_str();
  run_cmd->add_flag("--no-standardize", ra.no_standardize, "Cluster on the raw feature scales");
  run_cmd->add_option("--role", role_text,
                      "Feature roles for segment names, e.g. spend=avg_ticket,frequency=orders_12m (roles: spend, "
                      "frequency, recency, income, age, tenure, returns, discount; none=COL ignores a column)");
  run_cmd->add_flag("--no-report", ra.no_report, "Do not write report.html");
  run_cmd->add_option("--export-matrix", ra.export_matrix, "Also write the clustered (model-space) matrix as float32 .npy");
  run_cmd->add_flag("--quiet", ra.quiet, "No progress lines on stderr");
  std::string config_path;
  run_cmd->add_option("--config", config_path,
                      "Run what segmint tune recommended: its tune.json sets --algo, --k, --log, --pca, --covariance, --seed "
                      "and --n-init (and the table options tune read with)");
  add_io_options(*run_cmd, run_io);
  transaction_args run_tx;
  add_transaction_options(*run_cmd, run_tx);
  run_value_args run_value;
  add_run_value_options(*run_cmd, run_value);

  predict_args pa;
  io_options predict_io;
  auto* predict_cmd = app.add_subcommand("predict", "Score new customers with a saved model");
  predict_cmd->add_option("--model", pa.options.model_path, "model.json written by segmint run")->required();
  predict_cmd->add_option("input", pa.options.input, "Customer table with the model's feature columns")->required();
  predict_cmd->add_option("--out", pa.options.out_path, "Output CSV: id, segment, segment_name, [probability,] distance")->required();
  predict_cmd->add_flag("--probabilities", pa.options.probabilities, "GMM models: one probability column per segment");
  predict_cmd->add_flag("--spreadsheet-safe", pa.options.spreadsheet_safe,
                        "Ids starting with = + - @ get a leading ' (spreadsheets then show them as text)");
  add_io_options(*predict_cmd, predict_io);
  predict_cmd->add_option("--join", pa.options.joins,
                          "FILE: a source the model was trained with (run --join), joined by the model's id column; repeatable");
  transaction_args predict_tx;
  add_transaction_options(*predict_cmd, predict_tx);

  features_args fa;
  auto* features_cmd = add_features_command(app, fa);

  value_args va;
  auto* value_cmd = add_value_command(app, va);

  churn_args ca;
  auto* churn_cmd = add_churn_command(app, ca);

  tune_args ta;
  auto* tune_cmd = add_tune_command(app, ta);

  auto* info_cmd = app.add_subcommand("info", "Print the build configuration, backends and devices");

  bench_args ba;
  auto* bench_cmd = add_bench_command(app, ba);

  std::vector<const char*> argv;
  for (const auto& a : args) argv.push_back(a.c_str());
  try {
    try {
      app.parse(static_cast<int>(argv.size()), argv.data());
    } catch (const CLI::CallForHelp&) {
      out << app.help();
      return 0;
    } catch (const CLI::CallForAllHelp&) {
      out << app.help("", CLI::AppFormatMode::All);
      return 0;
    } catch (const CLI::CallForVersion&) {
      out << version_string() << "\n";
      return 0;
    } catch (const CLI::ParseError& e) {
      // A subcommand's --help surfaces here with exit code 0.
      if (e.get_exit_code() == 0) {
        for (auto* sub : app.get_subcommands()) out << sub->help();
        if (app.get_subcommands().empty()) out << app.help();
        return 0;
      }
      err << "segmint: error: " << e.what() << " (see segmint --help)\n";
      return static_cast<int>(exit_code::bad_input);
    }
    if (parallel && !run_cmd->parsed() && !value_cmd->parsed() && rank != 0) return 0;  // only `run` and `value` are data-parallel
    if (run_cmd->parsed()) {
      ra.rank = rank;
      auto& o = ra.options;
      if (!run_inputs.empty()) {
        o.input = run_inputs.front();
        o.more_inputs.assign(run_inputs.begin() + 1, run_inputs.end());
      }
      if (!run_tx.files.empty()) {
        // With INPUT (a customer table, its id --id), the log's customer features are joined to the table.
        if (o.input.empty() && (!ra.id.empty() || !categorical_text.empty() || !ordinal_items.empty() ||
                                !profile_only_text.empty() || !join_files.empty()))
          throw input_error("run --transactions without INPUT: the id is --customer, and customer features are numeric "
                            "(--id, --categorical, --ordinal, --profile-only and --join need a customer table as INPUT)");
        o.transactions = to_transaction_options(run_tx, run_io.delimiter, run_io.decimal, run_io.on_bad_row);
        if (log_text.empty()) log_text = "auto";  // RFM features are heavy-tailed: log1p unless --log none
      } else if (o.input.empty()) {
        throw input_error("run: give INPUT (a customer table) or --transactions FILE... (a transaction log)");
      }
      if (log_text == "none") log_text.clear();
      const k_range k = parse_k(k_text);
      o.k_min = k.min;
      o.k_max = k.max;
      if (!pca_text.empty()) o.preprocess.pca = parse_pca(pca_text);
      o.ward.how = ward::parse_mode(ward_mode_text);
      if (log_text == "auto") o.preprocess.log_auto = true;
      else o.preprocess.log_columns = split_list(log_text);
      o.table.features = split_list(features_text);
      o.table.categorical = split_list(categorical_text);
      o.table.ordinal = parse_ordinals(ordinal_items);
      o.table.profile_only = split_list(profile_only_text);
      o.joins = join_files;
      o.roles = parse_roles(role_text);
      if (!ra.id.empty()) o.table.id = ra.id;
      if (o.transactions) {  // the log's delimiter (which may be whitespace) was taken by to_transaction_options
        io_options table_io = run_io;
        table_io.delimiter.clear();
        o.table.csv = to_csv(table_io);
      } else {
        o.table.csv = to_csv(run_io);
      }
      o.compute = to_compute(run_io);
      o.compute.comm = world;
      o.preprocess.standardize = !ra.no_standardize;
      o.write_report = !ra.no_report;
      if (!ra.export_matrix.empty()) o.export_matrix = ra.export_matrix;
      o.command_line = args;
      o.value = run_value_options(run_value);
      o.kmeans.seed = parse_seed(seed_text);
      if (n_init && *n_init > max_restarts)
        throw input_error("--n-init " + std::to_string(*n_init) + " is more restarts than segmint runs (at most " +
                          std::to_string(max_restarts) + ")");
      if (n_init) o.kmeans.n_init = o.gmm.n_init = *n_init;
      if (o.algo != "kmeans" && n_init && *n_init < 1) throw input_error("--n-init must be at least 1 for a Gaussian mixture");
      if (max_iter) o.kmeans.max_iter = o.gmm.max_iter = *max_iter;
      if (tol) o.kmeans.tol = o.gmm.tol = *tol;
      o.gmm.seed = o.kmeans.seed;
      o.gmm.init = gmm_init == "random" ? gmm::init_method::random : gmm::init_method::kmeans;
      o.covariance_types.clear();
      for (const auto& t : split_list(covariance_text)) o.covariance_types.push_back(gmm::parse_covariance_type(t));
      if (o.covariance_types.empty()) throw input_error("--covariance: give at least one type");
      if (!config_path.empty()) {
        for (const char* flag : {"--algo", "--k", "--log", "--pca", "--covariance", "--seed", "--n-init"})
          if (run_cmd->count(flag) > 0)
            throw input_error(std::string("run --config sets ") + flag + " from " + config_path + "; give one or the other");
        apply_tune_config(config_path, o);
      }
      if (o.probabilities && o.algo == "kmeans") throw input_error("--probabilities needs --algo gmm (or auto)");
      if (!execute) return 0;
      if (in_memory != nullptr) {
        if (o.transactions || !o.more_inputs.empty() || parallel)
          throw input_error("run: an in-memory table is segmented alone, in one process (no --transactions, no more inputs)");
        in_memory->columns.source = o.input;
        ra.in_memory = std::move(in_memory->columns);
        ra.done = in_memory->done;
      }
      return command_run(ra, out, err);
    }
    if (predict_cmd->parsed()) {
      if (!predict_tx.files.empty()) {  // the log's delimiter (which may be whitespace) is the log's alone
        pa.options.transactions = to_transaction_options(predict_tx, predict_io.delimiter, predict_io.decimal, predict_io.on_bad_row);
        predict_io.delimiter.clear();
      }
      pa.options.csv = to_csv(predict_io);
      pa.options.compute = to_compute(predict_io);
      if (!execute) return 0;
      return command_predict(pa, out, err);
    }
    if (!execute) return 0;
    if (features_cmd->parsed()) return command_features(fa, out, err);
    if (value_cmd->parsed()) {
      va.rank = rank;
      va.options.compute.comm = world;
      return command_value(va, out, err);
    }
    if (churn_cmd->parsed()) return command_churn(ca, out, err);
    if (tune_cmd->parsed()) return command_tune(ta, args, out, err);
    if (info_cmd->parsed()) return command_info(out);
    if (bench_cmd->parsed()) return command_bench(ba, out, err);
  } catch (const segmint::error& e) {
    if (parallel && e.collective()) {  // every rank raised it: one report, a clean exit everywhere
      if (rank == 0) err << "segmint: error: " << e.what() << "\n";
      return static_cast<int>(e.code());
    }
    if (parallel) {  // this rank alone may have failed: report it and end the whole job (no hang)
      err << "segmint: error (rank " << rank << " of " << world->size() << "): " << e.what() << "\n";
      err.flush();
      world->abort(static_cast<int>(e.code()));
    }
    err << "segmint: error: " << e.what() << "\n";
    return static_cast<int>(e.code());
  } catch (const std::bad_alloc&) {
    err << "segmint: error: out of memory\n";
    return static_cast<int>(exit_code::internal);
  } catch (const std::exception& e) {
    err << "segmint: internal error" << (parallel ? " (rank " + std::to_string(rank) + ")" : std::string()) << ": " << e.what()
        << " (please report this)\n";
    if (parallel) world->abort(static_cast<int>(exit_code::internal));
    return static_cast<int>(exit_code::internal);
  }
  return static_cast<int>(exit_code::bad_input);
}

}  // namespace segmint::cli
