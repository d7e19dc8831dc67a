#pragma once
// The end-to-end jobs behind `segmint run` and `segmint predict`.
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "segmint/context.hpp"
#include "segmint/gmm.hpp"
#include "segmint/kmeans.hpp"
#include "segmint/metrics.hpp"
#include "segmint/model.hpp"
#include "segmint/profiled.hpp"
#include "segmint/naming.hpp"
#include "segmint/preprocess.hpp"
#include "segmint/profile.hpp"
#include "segmint/segmentation.hpp"
#include "segmint/select_k.hpp"
#include "segmint/table.hpp"
#include "segmint/transactions.hpp"
#include "segmint/value_run.hpp"
#include "segmint/ward.hpp"

namespace segmint {

struct run_options {
  std::string input;
  std::vector<std::string> more_inputs;  ///< further CSV/TSV files with input's header, appended in order
  std::vector<std::string> joins;  ///< further sources about the same customers, joined by table.id (load_joined_table)
  std::string out_dir;
  table_params table;
  preprocess_params preprocess;
  std::string algo = "kmeans";
  int k_min = 2;
  int k_max = 10;
  kmeans::params kmeans;  ///< seed, n_init, max_iter, tol (k comes from k_min..k_max)
  gmm::params gmm;        ///< --algo gmm|auto: reg_covar, tol, max_iter, n_init, init, seed
  std::vector<gmm::covariance_type> covariance_types{gmm::covariance_type::full};  ///< several: chosen by BIC
  bool probabilities = false;  ///< GMM: one probability column per segment in segments.csv
  ward::params ward;      ///< --algo ward: mode, threshold, micro-clusters (k_max and seed come from above)
  metrics::silhouette_params silhouette;
  context_options compute;
  bool write_report = true;
  bool spreadsheet_safe = false;  ///< ids and names that start with = + - @ get a leading ' in the CSV outputs
  std::vector<role_override> roles;  ///< --role spend=avg_ticket,...: feature roles for segment names
  std::optional<std::string> export_matrix;  ///< also write the model-space matrix as float32 .npy
  std::vector<std::string> command_line;     ///< recorded in run.json
  std::function<void(const std::string&)> progress;  ///< one line per stage (stderr in the CLI)
  /// Cluster customers computed from a transaction log instead of reading `input` (table.features then
  /// names customer features; default recency_days, frequency, monetary_total).
  std::optional<transaction_options> transactions;
  /// With `transactions`: customer value per segment (value.csv, value.json, profile.csv columns, the report's
  /// value section). Its model, horizon (days), CLV and bootstrap options and calibration end are used; the rest
  /// comes from the run (the log, the backend, the seed, the output folder).
  std::optional<value_options> value;
};

struct run_outcome {
  std::string out_dir;
  std::string backend;
  std::string device;
  int threads = 0;
  feature_table table;  ///< ids and features of the used rows
  preprocess_model preprocess;
  segmentation seg;
  std::vector<segment_profile> profiles;
  std::vector<role_assignment> roles;  ///< feature roles the segment names were built from
  std::vector<profiled_summary> profiled;  ///< columns described per segment, not clustered on
  std::map<std::string, double> timings;  ///< stage → seconds
  std::vector<std::string> warnings;
  std::vector<std::string> files;  ///< written, in out_dir
  std::optional<transaction_summary> transactions;  ///< the line ledger and as-of date, with --transactions
  std::optional<value_outcome> value;                ///< with run_options::value
};

/// Reads, preprocesses, clusters, profiles and writes segments.csv, profile.csv, model.json, run.json,
/// report.html (unless write_report is false) and, for Ward, linkage.csv.
run_outcome run_segmentation(const run_options& options);
/// The same job on a table already read (table_from_columns: the Python package's DataFrames); `input`,
/// `more_inputs` and `transactions` are not used, `input` only names the table in messages.
run_outcome run_segmentation(const run_options& options, feature_table table);

struct predict_options {
  std::string model_path;
  std::string input;
  std::string out_path;
  csv_options csv;
  context_options compute;
  bool probabilities = false;  ///< GMM models: one probability column per segment
  bool spreadsheet_safe = false;  ///< ids that start with = + - @ get a leading ' in the output
  /// The sources the model was trained with, joined by the model's id column as `run` joined them.
  std::vector<std::string> joins;
  std::optional<transaction_options> transactions;  ///< a log whose customer features the model uses
};

struct predict_outcome {
  int64_t rows = 0;
  row_ledger ledger;
  std::vector<join_summary> joins;  ///< --join files, then the log
  std::vector<int64_t> sizes;
  std::vector<std::string> warnings;
};

/// A model's verdict on rows: segment, Euclidean distance to the segment centre in model space and, for GMM
/// models, the probability of that segment (and every segment's with `probabilities`, n × k column-major).
struct scored_rows {
  std::vector<int32_t> labels;
  std::vector<float> distance;
  std::vector<float> probability;
  std::vector<float> responsibilities;
};
/// Scores the rows of a table read with the model's schema (load_with_schema, table_from_columns).
scored_rows score_rows(context& ctx, const segment_model& model, const feature_table& table, bool probabilities);

/// Scores the rows of `input` with a saved model and writes id, segment, segment_name, distance.
predict_outcome run_predict(const predict_options& options);

}  // namespace segmint
