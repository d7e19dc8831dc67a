// The customer table leaving the transaction module: as a CSV file with its JSON ledger, or as the
// feature table the segmentation pipeline clusters.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <limits>
#include <nlohmann/json.hpp>

#include "../io/atomic_file.hpp"
#include "../io/median.hpp"
#include "../io/text_encoding.hpp"
#include "csv_writer.hpp"
#include "segmint/error.hpp"
#include "segmint/transactions.hpp"

namespace segmint {
namespace {

/// The shortest text that reads back as exactly `v` ("" for NaN): 4310, 449.31, 615.7142857142857. Reading
/// customers.csv back therefore gives the very values `run --transactions` clusters.
std::string number_text(double v) {
  if (std::isnan(v)) return "";
  char buf[40];
  if (v == std::floor(v) && std::fabs(v) < 1e15) {  // counts and days: integers, printed as such (fast)
    const auto r = std::to_chars(buf, buf + sizeof buf, static_cast<int64_t>(v));
    return std::string(buf, r.ptr);
  }
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, r.ptr);
}

}  // namespace

const std::vector<double>* customer_table::find(const std::string& feature) const {
  for (size_t j = 0; j < feature_names.size(); ++j)
    if (feature_names[j] == feature) return &columns[j];
  return nullptr;
}

std::vector<std::string> default_rfm_features() { return {"recency_days", "frequency", "monetary_total"}; }

feature_table customer_feature_table(const customer_table& t, const std::vector<std::string>& features) {
  const std::vector<std::string> names = features.empty() ? default_rfm_features() : features;
  feature_table f;
  f.source = t.summary.files.empty() ? std::string("transactions") : t.summary.files.front();
  f.id_column = t.id_column;
  f.ids = t.ids;
  f.lines.resize(t.ids.size());
  for (size_t i = 0; i < f.lines.size(); ++i) f.lines[i] = static_cast<int64_t>(i) + 2;  // as in customers.csv
  f.values = matrix(t.rows(), static_cast<int64_t>(names.size()));
  for (size_t j = 0; j < names.size(); ++j) {
    const std::vector<double>* col = t.find(names[j]);
    if (col == nullptr) {
      std::string known;
      for (const auto& n : t.feature_names) known += (known.empty() ? "" : ", ") + n;
      throw input_error("--features: " + quote_value(names[j]) + " is not a customer feature (features: " + known + ")");
    }
    feature_info info;
    info.name = info.source = names[j];
    std::vector<double> present;
    for (double v : *col)
      if (!std::isnan(v)) present.push_back(v);
    info.imputed = static_cast<int64_t>(col->size() - present.size());
    info.impute_value = detail::median_in_place(present);
    if (info.imputed > 0 && std::isnan(info.impute_value))
      throw input_error("--features: " + quote_value(names[j]) + " is undefined for every customer (e.g. no customer bought twice)");
    float* dst = f.values.col(static_cast<int64_t>(j));
    for (size_t i = 0; i < col->size(); ++i)
      dst[i] = static_cast<float>(std::isnan((*col)[i]) ? info.impute_value : (*col)[i]);
    if (info.imputed > 0)
      f.warnings.push_back("imputed " + std::to_string(info.imputed) + " undefined values of " + quote_value(names[j]) +
                           " (customers with a single purchase day) with the median " + number_text(info.impute_value));
    f.features.push_back(info);
  }
  f.ledger.read = f.ledger.used = t.rows();
  f.warnings.insert(f.warnings.end(), t.summary.warnings.begin(), t.summary.warnings.end());
  return f;
}

std::string transaction_summary_json(const transaction_summary& s) {
  using json = nlohmann::ordered_json;
  json reasons = json::object();
  for (const auto& [reason, count] : s.lines.rejected) reasons[reason] = count;
  json facts = json::object();
  for (const auto& [name, count] : s.facts) facts[name] = count;
  json files = json::array();
  for (const auto& f : s.files) files.push_back(detail::to_utf8(f));
  json j;
  j["files"] = files;
  j["as_of"] = s.as_of;
  j["as_of_source"] = s.as_of_default ? "default: the day after the last transaction" : "--as-of";
  j["first_day"] = s.first_day;
  j["last_day"] = s.last_day;
  j["lines"] = {{"read", s.lines.read},
                {"used", s.lines.used},
                {"rejected", s.lines.rejected_total()},
                {"rejected_by_reason", reasons},
                {"balanced", s.lines.balanced()},
                {"blank_lines_skipped", s.blank_lines},
                {"header_lines", s.header_lines}};
  j["used_lines"] = {{"purchase", s.purchase_lines}, {"return_or_cancellation", s.return_lines}};
  j["facts"] = facts;
  j["cross_chunk_duplicates"] = s.cross_chunk_duplicates;
  j["customers"] = {{"seen", s.customers_seen}, {"without_purchase", s.customers_without_purchase}, {"output", s.customers}};
  j["warnings"] = s.warnings;
  return j.dump(2);
}

void write_customer_table(const customer_table& t, const std::string& csv_path, const std::string& ledger_path,
                          bool spreadsheet_safe) {
  detail::atomic_file csv(csv_path);
  detail::atomic_file ledger(ledger_path);
  std::string line = detail::csv_field(t.id_column);
  for (const auto& n : t.feature_names) line += "," + detail::csv_field(n);
  csv << line << ",first_purchase,last_purchase\n";
  for (size_t i = 0; i < t.ids.size(); ++i) {
    line = detail::csv_text(t.ids[i], spreadsheet_safe);
    for (const auto& col : t.columns) line += "," + number_text(col[i]);
    line += "," + t.first_purchase[i] + "," + t.last_purchase[i] + "\n";
    csv << line;
  }
  ledger << transaction_summary_json(t.summary) << "\n";
  csv.finish();
  ledger.finish();
  ledger.commit();
  csv.commit();
}

}  // namespace segmint
