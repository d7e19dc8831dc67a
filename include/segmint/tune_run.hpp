#pragma once
// `segmint tune`: reads a customer table (or a transaction log's customer features) once, runs the search
// of segmint/tune.hpp and writes DIR/tune.csv, DIR/tune.json, DIR/timings.json and DIR/report.html, together
// or not at all. tune.json holds no timing, so the same input and seed give the same bytes on any thread count.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "segmint/run.hpp"
#include "segmint/table.hpp"
#include "segmint/transactions.hpp"
#include "segmint/tune.hpp"

namespace segmint {

struct tune_options {
  std::vector<std::string> inputs;  ///< CSV/TSV files with one header, read as one table (or empty with transactions)
  std::optional<transaction_options> transactions;  ///< a log alone, or joined to the table (one input)
  std::vector<std::string> joins;  ///< further sources joined to the table by table.id (as segmint run --join)
  std::string out_dir;
  table_params table;
  tune::params search;
  context_options compute;
  bool write_report = true;
  std::vector<std::string> command_line;  ///< recorded in tune.json
};

struct tune_run_outcome {
  tune::outcome search;
  row_ledger ledger;
  std::vector<join_summary> joins;
  std::vector<std::string> feature_names;
  std::vector<std::string> warnings;
  std::vector<std::string> files;  ///< written, in out_dir
  std::string backend;
};

/// Reads, searches and writes; throws input_error (exit 2, nothing written) for a bad grid or input.
tune_run_outcome run_tune(const tune_options& options);

/// `segmint run --config DIR/tune.json`: the recommendation as run options — algorithm, k, log, PCA, covariance,
/// seed and restarts — and the table options tune read with (id, features, categorical) where `o` has none.
/// Throws input_error naming the file when it is not a tune.json or when tune found no cluster structure.
void apply_tune_config(const std::string& path, run_options& o);

}  // namespace segmint
