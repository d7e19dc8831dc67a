#pragma once
// From a raw transaction log (one line per purchase or invoice line) to one row per customer with RFM and
// behaviour features, and a ledger that accounts for every line read.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "segmint/io.hpp"
#include "segmint/table.hpp"

namespace segmint {

/// Which input columns hold what. Names as in the header, or 1-based column numbers ("3") when the
/// files have no header. Either `amount`, or `quantity` and `price` (amount = quantity × price).
struct transaction_columns {
  std::string customer;
  std::string date;
  std::optional<std::string> amount;
  std::optional<std::string> quantity;
  std::optional<std::string> price;
  std::optional<std::string> invoice;   ///< frequency = distinct invoices; 'C…' invoices are cancellations
  std::optional<std::string> category;  ///< distinct categories and share of spend per category
  std::optional<std::string> product;   ///< distinct products
};

struct transaction_options {
  std::vector<std::string> files;  ///< CSV/TSV or whitespace-separated text, plain or gzip (by content)
  transaction_columns columns;
  std::optional<char> delimiter;     ///< detected per file from its header when empty (, TAB ; |)
  bool whitespace_delimited = false;  ///< fields separated by runs of spaces/tabs (fixed-width logs, CDNOW)
  bool header = true;                 ///< false: columns are named by number
  char decimal = '.';
  /// strftime-like: %Y %m %d %b %H %M %S and literal characters; a time after the date (" …" or "T…")
  /// is ignored. Empty: ISO dates YYYY-MM-DD, YYYY/MM/DD or YYYYMMDD.
  std::string date_format;
  /// First day NOT observed (YYYY-MM-DD): lines dated on or after it are not used. Default: the day
  /// after the last transaction.
  std::optional<std::string> as_of;
  bad_row_policy on_bad_row = bad_row_policy::fail;
  bool keep_duplicates = false;  ///< exact duplicate lines are dropped (and counted) unless set
  int max_category_shares = 20;  ///< share_<category> columns for the top categories by spend, then share_other
};

/// Counts over the lines read: the ledger (read = used + rejected by reason) and facts that are not
/// rejections (a cancellation line is used: it is netted against the customer's purchases).
struct transaction_summary {
  std::vector<std::string> files;
  row_ledger lines;
  int64_t blank_lines = 0;
  int64_t header_lines = 0;
  std::map<std::string, int64_t> facts;  ///< e.g. cancellation_lines, negative_quantity_lines (all lines read)
  int64_t purchase_lines = 0;            ///< used lines that are purchases
  int64_t return_lines = 0;              ///< used lines that are returns or cancellations
  int64_t cross_chunk_duplicates = 0;    ///< duplicate lines found across parse chunks (diagnostic)
  int64_t customers_seen = 0;
  int64_t customers_without_purchase = 0;  ///< only returns/cancellations: not in the table
  int64_t customers = 0;
  std::string as_of;  ///< YYYY-MM-DD
  bool as_of_default = true;
  std::string first_day;  ///< first and last day of the used lines
  std::string last_day;
  std::vector<std::string> warnings;
};

/// One row per customer (sorted by id: numeric ids by value), features in `feature_names` order.
struct customer_table {
  std::string id_column;
  std::vector<std::string> ids;
  std::vector<std::string> feature_names;
  std::vector<std::vector<double>> columns;  ///< per feature; NaN where undefined (avg_days_between of one-time buyers)
  /// Mean purchase value of the purchase days after the first (0 for one-time buyers; returns not netted):
  /// lifetimes' monetary_value with daily periods, the spend input of `segmint value`. Not a feature column.
  std::vector<double> repeat_purchase_value;
  std::vector<std::string> first_purchase;   ///< YYYY-MM-DD
  std::vector<std::string> last_purchase;
  transaction_summary summary;

  [[nodiscard]] int64_t rows() const { return static_cast<int64_t>(ids.size()); }
  [[nodiscard]] const std::vector<double>* find(const std::string& feature) const;
};

/// Reads the transaction files (in parallel, memory-mapped or inflated in memory) and aggregates them
/// per customer. Throws input_error naming file, line, column and value for bad data (unless skipped).
///   transaction_options o;
///   o.files = {"log.csv.gz"};
///   o.columns = {"CustomerID", "InvoiceDate", std::nullopt, "Quantity", "UnitPrice", "InvoiceNo"};
///   customer_table t = compute_customer_features(o);
customer_table compute_customer_features(const transaction_options& options);

/// The default features clustered by `segmint run --transactions`: recency_days, frequency, monetary_total.
std::vector<std::string> default_rfm_features();

/// The customer table as a feature table for the pipeline, with the named features (empty = RFM
/// defaults). Undefined values are replaced by the feature's median (recorded, as for CSV input).
feature_table customer_feature_table(const customer_table& t, const std::vector<std::string>& features);

/// The customer table `path` with the `joins` files and the customer features of `log` joined by id (`p.id`
/// in the table and the files, the log's --customer id; whole-number ids match by value): a left join on the
/// table's rows (load_joined_table). The features joined are those `p.features` names (empty: recency_days,
/// frequency, monetary_total); a customer without a purchase in the log has 0 purchases, money, returns and
/// shares, recency_days and tenure_days of the log's span, and a missing avg_days_between.
feature_table load_table_with_log_features(const std::string& path, const std::vector<std::string>& joins,
                                           const customer_table& log, const table_params& p);
/// The same join for scoring with a model: the log's features the model uses, read with its schema.
feature_table load_table_with_log_features(const std::string& path, const std::vector<std::string>& joins,
                                           const customer_table& log, const table_schema& schema, const csv_options& csv);

/// Writes the table as CSV (id, features, first_purchase, last_purchase) and the summary as JSON at
/// `ledger_path`, each atomically.
void write_customer_table(const customer_table& t, const std::string& csv_path, const std::string& ledger_path,
                          bool spreadsheet_safe = false);

/// The summary as a JSON object (the "transactions" block of run.json and the ledger file).
std::string transaction_summary_json(const transaction_summary& s);

}  // namespace segmint
