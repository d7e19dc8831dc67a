#pragma once
// `segmint value`: customer value from a per-customer summary (BG/NBD, Gamma-Gamma, CLV).
#include <iosfwd>
#include <optional>
#include <string>

#include "job_io_cli.hpp"
#include "segmint/value_run.hpp"
#include "transactions_cli.hpp"

namespace CLI {
class App;
}

namespace segmint::cli {

struct value_args {
  value_options options;
  transaction_args tx;
  std::string calibration_end;
  std::string monetary;
  std::string seed;
  job_io_args io;
  int rank = 0;  ///< under mpirun: this process's rank (rank 0 prints)
};

CLI::App* add_value_command(CLI::App& app, value_args& a);

/// Runs it: value.csv and value.json in --out, a summary of both fits on `out`, warnings on `err`.
int command_value(value_args& a, std::ostream& out, std::ostream& err);

/// `segmint run --transactions … --value`: the value options a run takes (the rest comes from the run).
struct run_value_args {
  bool value = false;
  value_options options;
  std::string calibration_end;
};
void add_run_value_options(CLI::App& run, run_value_args& a);
/// The value options for run_options::value, or nothing without --value (other value options then refused).
std::optional<value_options> run_value_options(const run_value_args& a);

}  // namespace segmint::cli
