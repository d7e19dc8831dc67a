#include "transactions_cli.hpp"

#include <omp.h>

#include <CLI/CLI.hpp>
#include <filesystem>
#include <ostream>

#include "../../host/pipeline/csv_writer.hpp"
#include "options.hpp"
#include "segmint/error.hpp"

namespace segmint::cli {
namespace {

std::optional<std::string> given(const std::string& s) { return s.empty() ? std::nullopt : std::optional<std::string>(s); }

/// customers.csv → customers.ledger.json, next to it.
std::string ledger_path_for(const std::string& csv) {
  std::filesystem::path p(csv);
  p.replace_extension(".ledger.json");
  return p.string();
}

}  // namespace

void add_transaction_options(CLI::App& cmd, transaction_args& a) {
  cmd.add_option("--transactions", a.files, "Transaction log files (CSV/TSV/whitespace; plain or .gz), one line per purchase");
  cmd.add_option("--customer", a.customer, "Customer id column (\"17850.0\" is read as 17850)");
  cmd.add_option("--date", a.date, "Purchase date column (a time after the date is ignored)");
  cmd.add_option("--amount", a.amount, "Line value column (negative = return); or give --quantity and --price");
  cmd.add_option("--quantity", a.quantity, "Quantity column (negative = return); amount = quantity × price");
  cmd.add_option("--price", a.price, "Unit price column");
  cmd.add_option("--invoice", a.invoice, "Invoice column: frequency counts invoices; 'C…' invoices are cancellations");
  cmd.add_option("--category", a.category, "Category column: distinct categories and share of spend per category");
  cmd.add_option("--product", a.product, "Product column: distinct products");
  cmd.add_option("--as-of", a.as_of, "First day not observed, YYYY-MM-DD (default: the day after the last transaction)");
  cmd.add_option("--date-format", a.date_format, "Date format, e.g. %d/%m/%Y or %m/%d/%Y (default: ISO YYYY-MM-DD or YYYYMMDD)");
  cmd.add_flag("--no-header", a.no_header, "The files have no header line: name columns by number (1 = first)");
  cmd.add_flag("--keep-duplicates", a.keep_duplicates, "Keep exact duplicate lines (default: drop and count them)");
  cmd.add_option("--category-shares", a.category_shares, "share_<category> columns for this many top categories, then share_other")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
}

transaction_options to_transaction_options(const transaction_args& a, const std::string& delimiter, const std::string& decimal,
                                           const std::string& on_bad_row) {
  transaction_options o;
  o.files = a.files;
  o.columns.customer = a.customer;
  o.columns.date = a.date;
  o.columns.amount = given(a.amount);
  o.columns.quantity = given(a.quantity);
  o.columns.price = given(a.price);
  o.columns.invoice = given(a.invoice);
  o.columns.category = given(a.category);
  o.columns.product = given(a.product);
  if (delimiter == "whitespace" || delimiter == "space" || delimiter == "spaces") o.whitespace_delimited = true;
  else if (!delimiter.empty()) o.delimiter = parse_delimiter(delimiter, "--delimiter");
  o.decimal = parse_delimiter(decimal, "--decimal");
  o.on_bad_row = on_bad_row == "skip" ? bad_row_policy::skip : bad_row_policy::fail;
  o.header = !a.no_header;
  o.date_format = a.date_format;
  o.as_of = given(a.as_of);
  o.keep_duplicates = a.keep_duplicates;
  o.max_category_shares = a.category_shares;
  return o;
}

CLI::App* add_features_command(CLI::App& app, features_args& a) {
  auto* cmd = app.add_subcommand("features", "Per-customer RFM and behaviour features from a transaction log");
  add_transaction_options(*cmd, a.tx);
  cmd->add_option("--out", a.out, "Output CSV, one row per customer (the ledger goes to <name>.ledger.json beside it)")->required();
  cmd->add_option("--delimiter", a.delimiter, "Field separator: , ; | tab or whitespace (default: detected from the header)");
  cmd->add_option("--decimal", a.decimal, "Decimal mark of numbers: . or ,")->capture_default_str();
  cmd->add_option("--on-bad-row", a.on_bad_row, "fail: stop at the first bad line (exit 2); skip: skip and count it")
      ->check(CLI::IsMember({"fail", "skip"}))
      ->capture_default_str();
  cmd->add_option("--threads", a.threads, "CPU threads (0 = all cores)")->check(CLI::NonNegativeNumber);
  cmd->add_flag("--spreadsheet-safe", a.spreadsheet_safe,
                "Customer ids starting with = + - @ get a leading ' (spreadsheets then show them as text)");
  return cmd;
}

std::string ledger_lines(const transaction_summary& s) {
  std::string out = "Lines: " + std::to_string(s.lines.read) + " read, " + std::to_string(s.lines.used) + " used (" +
                    std::to_string(s.purchase_lines) + " purchases, " + std::to_string(s.return_lines) +
                    " returns/cancellations netted), " + std::to_string(s.lines.rejected_total()) + " rejected";
  for (const auto& [reason, count] : s.lines.rejected) out += " (" + reason + ": " + std::to_string(count) + ")";
  out += "\nFacts:";
  for (const auto& [name, count] : s.facts) out += " " + name + " " + std::to_string(count) + ";";
  out += " as of " + s.as_of + (s.as_of_default ? " (the day after the last transaction)" : "") + "\n";
  return out;
}

int command_features(const features_args& a, std::ostream& out, std::ostream& err) {
  if (a.tx.files.empty()) throw input_error("features: --transactions FILE... is required");
  if (a.threads > 0) omp_set_num_threads(a.threads);
  const transaction_options o = to_transaction_options(a.tx, a.delimiter, a.decimal, a.on_bad_row);
  const customer_table t = compute_customer_features(o);
  const std::string ledger = ledger_path_for(a.out);
  write_customer_table(t, a.out, ledger, a.spreadsheet_safe);
  for (const auto& w : t.summary.warnings) err << "segmint: warning: " << w << "\n";
  if (const size_t n = detail::count_formula_like(t.ids); n > 0 && !a.spreadsheet_safe)
    err << "segmint: warning: " << detail::formula_warning(n) << "\n";
  out << "segmint: " << t.summary.lines.read << " lines from " << o.files.size() << " file" << (o.files.size() == 1 ? "" : "s")
      << " → " << t.rows() << " customers, " << t.feature_names.size() << " features\n";
  out << ledger_lines(t.summary);
  out << "Wrote " << a.out << " and " << ledger << "\n";
  return 0;
}

}  // namespace segmint::cli
