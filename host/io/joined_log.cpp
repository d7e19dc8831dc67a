// A customer table joined with the customer features built from a transaction log (README "Joining
// sources"): the log is one more source, keyed by its customer id.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

#include "join_source.hpp"
#include "segmint/error.hpp"
#include "segmint/transactions.hpp"
#include "transaction_dates.hpp"

namespace segmint {
namespace {

std::string feature_list(const customer_table& log) {
  std::string known;
  for (const auto& n : log.feature_names) known += (known.empty() ? "" : ", ") + n;
  return known;
}

/// The log's features to join: those --features names (none named is an error), or the RFM defaults.
std::vector<size_t> chosen_features(const customer_table& log, const std::vector<std::string>& requested) {
  std::vector<size_t> chosen;
  const std::vector<std::string> wanted = requested.empty() ? default_rfm_features() : requested;
  for (size_t j = 0; j < log.feature_names.size(); ++j)
    if (std::find(wanted.begin(), wanted.end(), log.feature_names[j]) != wanted.end()) chosen.push_back(j);
  if (chosen.empty()) {
    throw input_error("--features names none of the transaction log's customer features (" + feature_list(log) +
                      "): name the ones to join, or leave --features out for recency_days, frequency, monetary_total");
  }
  return chosen;
}

/// What a customer of the table with no purchase in the log has: no purchases, no money, no returns (0); a
/// recency and tenure of at least the log's span; no time between purchases (missing).
double value_without_purchases(const std::string& feature, double span_days) {
  if (feature == "recency_days" || feature == "tenure_days") return span_days;
  if (feature == "avg_days_between") return std::numeric_limits<double>::quiet_NaN();
  return 0.0;
}

/// The log's customer features `chosen` (indices into feature_names) as a join source.
detail::join_source log_source(const customer_table& log, const std::vector<size_t>& chosen) {
  const auto first = detail::parse_iso_day(log.summary.first_day);
  const auto as_of = detail::parse_iso_day(log.summary.as_of);
  const double span = first && as_of ? static_cast<double>(*as_of - *first) : std::numeric_limits<double>::quiet_NaN();
  detail::join_source s;
  const auto& files = log.summary.files;
  s.file = files.empty() ? std::string("transactions") : files.front() + (files.size() > 1 ? " and " + std::to_string(files.size() - 1) + " more" : "");
  s.rows_read = log.rows();
  s.id_name = log.id_column;
  s.ids = log.ids;
  s.lines.resize(log.ids.size());
  for (size_t i = 0; i < s.lines.size(); ++i) s.lines[i] = static_cast<int64_t>(i) + 2;  // as in customers.csv
  for (size_t j : chosen) {
    column_table::column c;
    c.name = log.feature_names[j];
    c.numeric = true;
    c.numbers = log.columns[j];
    s.columns.push_back(std::move(c));
    s.absent_value.push_back(value_without_purchases(log.feature_names[j], span));
  }
  char span_text[32];
  std::snprintf(span_text, sizeof span_text, "%.0f", span);
  s.policy = "left join on the input's customers by id; a customer without a purchase in the log has 0 purchases, money, "
             "returns and shares, a recency_days and tenure_days of the log's span (" + std::string(span_text) +
             " days, first day to as-of) and no avg_days_between (imputed)";
  s.on_clash = "it is one of the log's customer features: rename the table's column, or name the log's features to join "
               "with --features (the table's columns and any of " + feature_list(log) + ")";
  return s;
}

}  // namespace

feature_table load_table_with_log_features(const std::string& path, const std::vector<std::string>& joins,
                                           const customer_table& log, const table_params& p) {
  if (!p.id) throw input_error("a customer table with --transactions needs --id COL: the table's customer id (the log's is --customer)");
  std::vector<detail::join_source> sources;
  for (const auto& file : joins) sources.push_back(detail::join_source_from_file(file, *p.id, p.csv));
  sources.push_back(log_source(log, chosen_features(log, p.features)));
  feature_table t = detail::load_joined_sources(path, sources, p);
  t.warnings.insert(t.warnings.end(), log.summary.warnings.begin(), log.summary.warnings.end());
  return t;
}

feature_table load_table_with_log_features(const std::string& path, const std::vector<std::string>& joins,
                                           const customer_table& log, const table_schema& schema, const csv_options& csv) {
  detail::require_model_id(schema);
  std::vector<size_t> chosen;  // the log's features the model uses
  for (size_t j = 0; j < log.feature_names.size(); ++j)
    for (const auto& f : schema.features)
      if (f.source == log.feature_names[j]) {
        chosen.push_back(j);
        break;
      }
  if (chosen.empty())
    throw input_error("the model uses none of the transaction log's customer features (" + feature_list(log) +
                      "): score without --transactions");
  std::vector<detail::join_source> sources;
  for (const auto& file : joins) sources.push_back(detail::join_source_from_file(file, schema.id_column, csv));
  sources.push_back(log_source(log, chosen));
  feature_table t = detail::load_joined_sources(path, sources, schema, csv);
  t.warnings.insert(t.warnings.end(), log.summary.warnings.begin(), log.summary.warnings.end());
  return t;
}

}  // namespace segmint
