#pragma once
// The subcommands, each a thin layer over a library job plus its console output.
#include <iosfwd>
#include <functional>
#include <optional>
#include <string>

#include "segmint/run.hpp"

namespace segmint::cli {

struct run_args {
  run_options options;
  std::string id;
  std::string export_matrix;
  bool no_standardize = false;
  bool no_report = false;
  bool quiet = false;
  int rank = 0;  ///< data-parallel runs: only rank 0 prints
  std::optional<column_table> in_memory;  ///< read instead of options.input (consumed)
  std::function<void(run_outcome&&)> done;  ///< receives the outcome (in-memory runs)
};

struct predict_args {
  predict_options options;
};

int command_run(run_args& a, std::ostream& out, std::ostream& err);
int command_predict(const predict_args& a, std::ostream& out, std::ostream& err);
int command_info(std::ostream& out);

}  // namespace segmint::cli
