#pragma once
// Error types. Every error segmint reports is one of these; the CLI maps each to an exit code.
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

namespace segmint {

/// Process exit codes (the CLI contract, docs/architecture.md §5).
enum class exit_code : int {
  ok = 0,
  internal = 1,             ///< a bug: please report it
  bad_input = 2,            ///< the user must fix the command or the data
  backend_unavailable = 3,  ///< e.g. --backend cuda without a usable GPU
  numerical = 4,            ///< the data defeats the algorithm (e.g. a singular covariance)
};

/// Base of all segmint errors. `what()` is one line, ready for stderr.
class error : public std::runtime_error {
 public:
  explicit error(const std::string& message) : std::runtime_error(message) {}
  [[nodiscard]] virtual exit_code code() const noexcept { return exit_code::internal; }
  /// Data-parallel runs: every process raised this same error after agreeing on it, so one process reports
  /// it and all end cleanly (other errors end the whole job with MPI_Abort after reporting).
  [[nodiscard]] bool collective() const noexcept { return collective_; }
  void mark_collective() noexcept { collective_ = true; }

 private:
  bool collective_ = false;
};

/// Bad command-line arguments or bad data (exit 2).
class input_error : public error {
 public:
  using error::error;
  [[nodiscard]] exit_code code() const noexcept override { return exit_code::bad_input; }
};

/// The requested backend cannot run here (exit 3).
class backend_unavailable_error : public error {
 public:
  using error::error;
  [[nodiscard]] exit_code code() const noexcept override { return exit_code::backend_unavailable; }
};

/// A numerical failure that no input change within the documented policy can avoid (exit 4).
class numerical_error : public error {
 public:
  using error::error;
  [[nodiscard]] exit_code code() const noexcept override { return exit_code::numerical; }
};

/// Where in an input file something is: 1-based line (the header is line 1, as an editor shows it)
/// and 1-based column; `column_name` may be empty when the column is unknown.
struct file_position {
  std::string file;
  int64_t line = 0;
  int64_t column = 0;
  std::string column_name;
};

/// Formats "FILE:LINE: column N 'NAME': MESSAGE" (the parts that are known), the form every data error uses.
std::string describe(const file_position& where, std::string_view message);

/// Quotes a value for an error message: at most 60 characters, control and non-ASCII bytes escaped.
std::string quote_value(std::string_view value);

}  // namespace segmint
