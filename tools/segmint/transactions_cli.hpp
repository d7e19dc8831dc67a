#pragma once
// Command-line options shared by `segmint features` and `segmint run --transactions`, and the features
// command itself.
#include <iosfwd>
#include <string>
#include <vector>

#include "segmint/transactions.hpp"

namespace CLI {
class App;
}

namespace segmint::cli {

struct transaction_args {
  std::vector<std::string> files;
  std::string customer, date, amount, quantity, price, invoice, category, product;
  std::string as_of, date_format;
  bool no_header = false;
  bool keep_duplicates = false;
  int category_shares = 20;
};

/// --transactions FILE... and the column options (--customer, --date, --amount | --quantity --price, ...).
void add_transaction_options(CLI::App& cmd, transaction_args& a);

/// The library options. `delimiter` may be "whitespace" (runs of spaces and tabs, as in CDNOW).
transaction_options to_transaction_options(const transaction_args& a, const std::string& delimiter, const std::string& decimal,
                                           const std::string& on_bad_row);

struct features_args {
  transaction_args tx;
  std::string out;
  std::string delimiter;
  std::string decimal = ".";
  std::string on_bad_row = "fail";
  int threads = 0;
  bool spreadsheet_safe = false;
};

/// Adds the `features` subcommand to `app`.
CLI::App* add_features_command(CLI::App& app, features_args& a);

/// Runs it: customers.csv plus customers.ledger.json, a summary on `out`, warnings on `err`.
int command_features(const features_args& a, std::ostream& out, std::ostream& err);

/// "Lines: N read, U used, R rejected (reason: n) ..." and the facts, for the console.
std::string ledger_lines(const transaction_summary& s);

}  // namespace segmint::cli
