#pragma once
// The customer table after ingestion: ids, numeric and one-hot features in original units, and the ledger.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "segmint/io.hpp"
#include "segmint/matrix.hpp"

namespace segmint {
namespace detail {
class communicator;
}

enum class feature_kind { numeric, one_hot };

struct feature_info {
  std::string name;    ///< "Income", or "Education=PhD" for a one-hot level
  std::string source;  ///< the input column
  feature_kind kind = feature_kind::numeric;
  std::string level;          ///< one-hot: the category level
  int64_t imputed = 0;        ///< numeric: missing values replaced by the median
  double impute_value = 0.0;  ///< numeric: the median used (NaN when nothing was imputed at fit time)
  /// numeric read from text answers (README "Survey answers"): the rule ("yes/no", "number in the text",
  /// "frequency", "ordered scale", "--ordinal"); empty for a column of numbers.
  std::string text_rule;
  std::vector<std::pair<std::string, double>> text_values;  ///< each answer and its value, in increasing value
};

/// The level of a text column's empty values: a category "Education=(missing)", a profile-only share.
inline constexpr const char* missing_level = "(missing)";

/// A column described per segment but not clustered on: named in --profile-only, or an outcome column a
/// default run keeps out of the features (campaign responses, complaints, churn flags).
struct profiled_column {
  std::string name;
  std::string why;                ///< "--profile-only" or "outcome"
  bool numeric = false;           ///< every value present parses as a number
  std::vector<double> numbers;    ///< numeric: one per used row, NaN where missing
  std::vector<std::string> text;  ///< otherwise: one per used row, "" where missing
};

/// One --join source: how its rows met the base table's customers (left join on the id column).
struct join_summary {
  std::string file;
  int64_t rows_read = 0;
  int64_t matched = 0;             ///< rows whose id is a customer of the base table
  int64_t not_in_base = 0;         ///< rows whose id the base table does not have (not used)
  std::map<std::string, int64_t> rejected;  ///< bad rows of this file (reason → count)
  int64_t customers_without_row = 0;  ///< base customers this file has no row for (its columns missing there)
  std::vector<std::string> columns;   ///< the columns it brought (besides the id)
  std::string policy;                 ///< what a customer without a row here gets, in words
};

struct feature_table {
  std::string source;
  std::string id_column;     ///< as named in the input; "row" when ids are generated
  bool id_generated = false;  ///< ids are 1-based data row numbers
  std::vector<std::string> ids;
  std::vector<int64_t> lines;  ///< input line of each row
  std::vector<std::string> files;     ///< several input files: their names in order (source = the first)
  std::vector<uint32_t> file_of_row;  ///< several input files: each row's file (index into files)
  std::vector<feature_info> features;
  matrix values;  ///< n × d in original units (one-hot columns are 0/1)
  std::map<std::string, std::vector<std::string>> categorical_levels;  ///< source → levels (sorted)
  row_ledger ledger;
  int64_t blank_lines = 0;
  std::vector<std::string> skipped_columns;  ///< "name (reason)" for columns not used
  std::vector<int64_t> rank_rows;  ///< data-parallel runs: rows used by each process (the ledger is their total)
  std::vector<std::string> warnings;
  std::vector<profiled_column> profiled;  ///< aligned with the rows; single-process runs only
  std::vector<join_summary> joins;        ///< --join sources, in order

  [[nodiscard]] int64_t rows() const { return values.rows(); }
  [[nodiscard]] std::vector<std::string> feature_names() const;
  /// The file that row `row` comes from.
  [[nodiscard]] const std::string& file_of(size_t row) const {
    return file_of_row.empty() ? source : files[file_of_row[row]];
  }
};

/// How to read a training table.
struct table_params {
  std::optional<std::string> id;     ///< id column; otherwise an id-like column with unique values, else row numbers
  std::vector<std::string> features;  ///< numeric feature columns; empty = every numeric non-id column
  std::vector<std::string> categorical;  ///< text columns to one-hot encode
  /// Text columns whose answers are ordered as listed (the first → 0, the next → 1, ...).
  std::vector<std::pair<std::string, std::vector<std::string>>> ordinal;
  /// Columns profiled per segment but not clustered on (numbers: means and Welch's t-test; text: shares per
  /// level and a chi-square test). Default runs add the outcome columns they leave out of the features.
  std::vector<std::string> profile_only;
  csv_options csv;
};

/// The fixed schema of a trained model, for scoring new rows with `segmint predict`.
struct table_schema {
  std::string id_column;  ///< empty: ids are row numbers
  std::vector<feature_info> features;  ///< numeric: impute_value used for missing values; one-hot: level
};

/// True for column names that look like identifiers ("id", "CustomerID", "customer_id", "uuid", ...).
bool looks_like_id(const std::string& name);

/// Reads a CSV/TSV (or a float32 .npy) customer table for training.
feature_table load_feature_table(const std::string& path, const table_params& p);

/// The same, data-parallel: this process keeps the rows of its byte range of the file; medians, repeated
/// ids, category levels and the ledger are computed over all processes (a CSV input only).
feature_table load_feature_table(const std::string& path, const table_params& p, const detail::communicator& comm);

/// Several CSV/TSV files with the same header, read as one table in file order (rows remember their file);
/// data-parallel, the processes split the concatenation of the files into equal shares.
feature_table load_feature_table(const std::vector<std::string>& paths, const table_params& p, const detail::communicator& comm);

/// The base table `path` with the columns of each of `joins` added by customer id (`p.id`, required, in
/// every file; ids match as text, whole numbers by value: 0042 = 42 = 42.0): a left join — every base row is a customer; a customer a source has no row for gets missing
/// values in that source's columns (imputed as any missing value); source rows whose id is not in the base
/// are counted and left out; repeated ids in a source are bad rows. Then read as load_feature_table reads one
/// file (defaults, scales, categories, imputation). CSV/TSV files, one process.
feature_table load_joined_table(const std::string& path, const std::vector<std::string>& joins, const table_params& p);
/// The same join for scoring: read with a model's schema (load_with_schema), by the model's id column.
feature_table load_joined_table(const std::string& path, const std::vector<std::string>& joins, const table_schema& schema,
                                const csv_options& csv);

/// Reads rows for scoring with a model's schema: the same columns, medians and one-hot levels.
feature_table load_with_schema(const std::string& path, const table_schema& schema, const csv_options& csv);

/// A table already in memory (the Python package's DataFrames), read exactly as a file with the same
/// columns would be: the same id detection, roles, rejected rows, imputation and one-hot encoding.
feature_table table_from_columns(column_table columns, const table_params& p);
/// An in-memory table for scoring with a model's schema, as load_with_schema reads a file.
feature_table table_from_columns(column_table columns, const table_schema& schema, bad_row_policy on_bad_row);

}  // namespace segmint
