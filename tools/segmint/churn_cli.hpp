#pragma once
// `segmint churn`: labelled churn from a transaction log, a logistic regression and its holdout evaluation.
#include <iosfwd>
#include <string>

#include "job_io_cli.hpp"
#include "segmint/churn_run.hpp"
#include "transactions_cli.hpp"

namespace CLI {
class App;
}

namespace segmint::cli {

struct churn_args {
  churn_options options;
  transaction_args tx;
  std::string export_features;
  std::string seed;
  std::string model;  ///< --model churn.json: score instead of train
  job_io_args io;
};

CLI::App* add_churn_command(CLI::App& app, churn_args& a);

/// Runs it: churn.csv and churn.json in --out, the holdout figures on `out`, warnings on `err`.
int command_churn(churn_args& a, std::ostream& out, std::ostream& err);

}  // namespace segmint::cli
