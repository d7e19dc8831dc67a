#pragma once
// Options the customer-value jobs share (`value`, `churn`): how the input is read and where the work runs,
// and the console's number formatting.
#include <string>

namespace CLI {
class App;
}

namespace segmint::cli {

struct job_io_args {
  std::string delimiter;
  std::string decimal = ".";
  std::string on_bad_row = "fail";
  int threads = 0;
  std::string backend = "auto";
};

/// --delimiter, --decimal, --on-bad-row, --threads and --backend (`backend_help` says what runs there).
void add_job_io_options(CLI::App& cmd, job_io_args& a, const char* backend_help);

/// `v` printed with a printf format such as "%.3f".
std::string printf_number(double v, const char* format);

}  // namespace segmint::cli
