#include "job_io_cli.hpp"

#include <CLI/CLI.hpp>
#include <cstdio>

namespace segmint::cli {

void add_job_io_options(CLI::App& cmd, job_io_args& a, const char* backend_help) {
  cmd.add_option("--delimiter", a.delimiter, "Field separator: , ; | tab, or whitespace for a log (default: detected from the header)");
  cmd.add_option("--decimal", a.decimal, "Decimal mark of numbers: . or ,")->capture_default_str();
  cmd.add_option("--on-bad-row", a.on_bad_row, "fail: stop at the first bad row or line (exit 2); skip: skip and count it")
      ->check(CLI::IsMember({"fail", "skip"}))
      ->capture_default_str();
  cmd.add_option("--threads", a.threads, "CPU threads (0 = all cores)")->check(CLI::Range(0, 1024));
  cmd.add_option("--backend", a.backend, backend_help)->check(CLI::IsMember({"auto", "cpu", "cuda", "gpu"}))->capture_default_str();
}

std::string printf_number(double v, const char* format) {
  char buf[48];
  std::snprintf(buf, sizeof buf, format, v);
  return buf;
}

}  // namespace segmint::cli
