#pragma once
// `segmint churn`: labelled churn from a transaction log, a logistic regression and its holdout evaluation.
#include <iosfwd>
#include <string>

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
  std::string backend = "auto";
  std::string delimiter;
  std::string decimal = ".";
  std::string on_bad_row = "fail";
  int threads = 0;
};

CLI::App* add_churn_command(CLI::App& app, churn_args& a);

/// Runs it: churn.csv and churn.json in --out, the holdout figures on `out`, warnings on `err`.
int command_churn(churn_args& a, std::ostream& out, std::ostream& err);

}  // namespace segmint::cli
