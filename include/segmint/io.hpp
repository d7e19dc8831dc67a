#pragma once
// Reading customer tables: CSV/TSV into columns, and float32 .npy matrices.
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "segmint/matrix.hpp"

namespace segmint {

/// What happens to a row that cannot be used (wrong field count, unparseable number, missing id...).
enum class bad_row_policy { fail, skip };

/// Every data row read is either used or rejected with a reason: read == used + sum(rejected).
struct row_ledger {
  int64_t read = 0;
  int64_t used = 0;
  std::map<std::string, int64_t> rejected;  ///< reason → count

  [[nodiscard]] int64_t rejected_total() const;
  [[nodiscard]] bool balanced() const { return read == used + rejected_total(); }
  void reject(const std::string& reason, int64_t count = 1) { rejected[reason] += count; }
};

struct csv_options {
  std::optional<char> delimiter;  ///< detected from the header when empty (',', '\t', ';' or '|')
  char decimal = '.';             ///< '.' or ','; with ',' the delimiter must not be ','
  bad_row_policy on_bad_row = bad_row_policy::fail;
  int sample_rows = 1000;  ///< rows used to infer which columns are numeric
};

enum class column_kind { numeric, text, empty };

/// One header column as seen before the full parse: its name and the kind inferred from a sample.
struct csv_column_info {
  std::string name;
  int index = 0;  ///< 0-based position in the header
  column_kind kind = column_kind::text;
  bool unnamed = false;  ///< the header cell was empty; the name is then "unnamed_<N>"
  int64_t sample_numbers = 0;  ///< sampled values that parse as numbers
  int64_t sample_texts = 0;    ///< sampled values that do not
  std::string first_text;      ///< the first such value
  int64_t first_text_line = 0;  ///< and its line
};

/// Which columns to materialise, decided by the caller from the header (see read_csv).
struct csv_plan {
  std::vector<int> numeric;  ///< parsed as float32; a value that is not a number is a bad row
  std::vector<int> text;     ///< kept as text (ids, categorical levels)
  std::optional<int> id;     ///< a row whose value here is missing is rejected as "missing_id"
};

/// A parsed column (only the columns named in the plan).
struct raw_column {
  std::string name;
  int index = 0;
  column_kind kind = column_kind::text;
  std::vector<float> numbers;     ///< numeric columns: one per used row, NaN where missing
  std::vector<std::string> text;  ///< text columns: one per used row (missing = empty string)
  int64_t missing = 0;
};

/// The used rows of a CSV file, column by column, with the line of each row and the ledger.
struct raw_table {
  std::string source;
  char delimiter = ',';
  bool had_bom = false;
  int64_t blank_lines = 0;       ///< blank lines are skipped; they are not rows
  std::vector<csv_column_info> header;
  std::vector<raw_column> columns;  ///< in plan order: numeric then text
  std::vector<int64_t> lines;       ///< 1-based file line of each used row
  std::vector<int64_t> records;     ///< 1-based data row number of each used row, rejected rows counted (row ids)
  std::vector<std::string> files;    ///< several input files: their names in order (source = the first)
  std::vector<uint32_t> file_of_row;  ///< several input files: each used row's file (index into files)
  row_ledger ledger;

  /// The file that row `row` (0-based, used rows) comes from.
  [[nodiscard]] const std::string& file_of(size_t row) const {
    return file_of_row.empty() ? source : files[file_of_row[row]];
  }

  [[nodiscard]] int64_t rows() const { return static_cast<int64_t>(lines.size()); }
  [[nodiscard]] const raw_column* find(const std::string& name) const;
};

/// Reads a delimited text file. The header is read and column kinds are inferred from the first
/// `sample_rows` rows; `plan_columns` then picks the columns to parse; the body is parsed in parallel.
/// Throws input_error (file, line, column, value) for bad input under bad_row_policy::fail.
///   auto t = read_csv("customers.csv", {}, [](auto& cols) { return csv_plan{{2, 3}, {0}, {0}}; });
raw_table read_csv(const std::string& path, const csv_options& options,
                   const std::function<csv_plan(const std::vector<csv_column_info>&)>& plan_columns);

/// read_csv on bytes already in memory; `name` stands for the file in messages.
raw_table read_csv_buffer(std::string_view bytes, const std::string& name, const csv_options& options,
                          const std::function<csv_plan(const std::vector<csv_column_info>&)>& plan_columns);

/// A table already in memory (a pandas DataFrame or Arrow table handed over by the Python package): every
/// column complete, in order. Numeric columns hold float32 with NaN for missing; text columns hold strings
/// with "" for missing. `source` stands for the file in messages, and "line" N there means the Nth row.
struct column_table {
  /// One column: numbers in double precision (read as float32 where a file's would be; an id or category kept
  /// exactly, as its shortest text) or text.
  struct column {
    std::string name;
    bool numeric = false;
    std::vector<double> numbers;
    std::vector<std::string> text;
    [[nodiscard]] size_t size() const { return numeric ? numbers.size() : text.size(); }
  };
  std::string source = "table";
  std::vector<column> columns;  ///< all of one length
  std::vector<int64_t> lines;    ///< optional: each row's line in `source` (a file's rows joined with others)
  std::vector<int64_t> records;  ///< optional: each row's data row number there (ids when none is given)
};

/// The planned columns of an in-memory table, as read_csv gives them from a file: the same header facts
/// for the plan, text trimmed as in a file, and rows with a missing id rejected as "missing_id" (or an
/// input_error under bad_row_policy::fail).
raw_table read_columns(column_table table, bad_row_policy on_bad_row,
                       const std::function<csv_plan(const std::vector<csv_column_info>&)>& plan_columns);

/// Reads a 2-D float32 .npy file (C or Fortran order) into a column-major matrix.
matrix read_npy(const std::string& path);

/// read_npy on bytes already in memory; `name` stands for the file in messages.
matrix read_npy_buffer(std::string_view bytes, const std::string& name);

/// Writes a column-major matrix as a 2-D float32 .npy file (Fortran order, no copy), atomically.
void write_npy(const std::string& path, matrix_view m);

}  // namespace segmint
