#pragma once
// `segmint tune`: search algorithms, k and preprocessing; recommend one configuration.
#include <iosfwd>
#include <string>
#include <vector>

#include "job_io_cli.hpp"
#include "segmint/tune_run.hpp"
#include "transactions_cli.hpp"

namespace CLI {
class App;
}

namespace segmint::cli {

struct tune_args {
  tune_options options;
  std::vector<std::string> inputs;
  std::vector<std::string> joins;
  transaction_args tx;
  std::string id, features, categorical;
  std::vector<std::string> ordinal;
  std::string algo = "kmeans,gmm,ward";
  std::string k = "1..12";
  std::string log = "none,auto";
  std::string pca = "0,0.9";
  std::string covariance = "full";
  std::string seed = "0";
  std::string restarts;
  bool no_report = false;
  bool quiet = false;
  job_io_args io;
};

CLI::App* add_tune_command(CLI::App& app, tune_args& a);

/// Runs it: the files in --out, the recommendation on `out`, progress and warnings on `err`.
int command_tune(tune_args& a, const std::vector<std::string>& command_line, std::ostream& out, std::ostream& err);

}  // namespace segmint::cli
