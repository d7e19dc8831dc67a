// The bundled real logs: Online Retail (known counts, a pandas oracle, thread-count determinism) and
// CDNOW (the lifetimes calibration summary, all 2,357 customers of the sample).
#include <gtest/gtest.h>
#include <omp.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "../support/test_support.hpp"
#include "segmint/transactions.hpp"

using namespace segmint;

namespace {

/// Bitwise equality of feature columns (NaN marks undefined values and must match NaN).
bool same_bits(const std::vector<std::vector<double>>& a, const std::vector<std::vector<double>>& b) {
  if (a.size() != b.size()) return false;
  for (size_t j = 0; j < a.size(); ++j)
    if (a[j].size() != b[j].size() || std::memcmp(a[j].data(), b[j].data(), a[j].size() * sizeof(double)) != 0) return false;
  return true;
}

std::vector<std::string> online_retail_files() {
  std::vector<std::string> files;
  for (const auto& e : std::filesystem::directory_iterator(test::example("online_retail/by-day")))
    if (e.path().extension() == ".gz") files.push_back(e.path().string());
  std::sort(files.begin(), files.end());
  return files;
}

transaction_options online_retail() {
  transaction_options o;
  o.files = online_retail_files();
  o.columns.customer = "CustomerID";
  o.columns.date = "InvoiceDate";
  o.columns.quantity = "Quantity";
  o.columns.price = "UnitPrice";
  o.columns.invoice = "InvoiceNo";
  return o;
}

int64_t rejected(const transaction_summary& s, const std::string& reason) {
  const auto it = s.lines.rejected.find(reason);
  return it == s.lines.rejected.end() ? 0 : it->second;
}

TEST(TransactionsData, OnlineRetailLedgerKnownCountsAndPandasOracle) {
  const auto fx = test::load_json(test::fixture("online_retail_customers.json"));
  ASSERT_EQ(online_retail_files().size(), 305u);
  const customer_table t = compute_customer_features(online_retail());
  const auto& s = t.summary;
  // SOURCE.md: 541,909 lines, 135,080 without a customer id, 9,288 cancellation lines, 10,624 negative quantities.
  EXPECT_EQ(s.lines.read, 541909);
  EXPECT_EQ(rejected(s, "missing_customer_id"), 135080);
  EXPECT_EQ(s.facts.at("cancellation_lines"), 9288);
  EXPECT_EQ(s.facts.at("negative_quantity_lines"), 10624);
  EXPECT_EQ(rejected(s, "duplicate_line"), fx["duplicate_lines_with_customer"].get<int64_t>());  // 5,268 in all, 43 lack an id
  EXPECT_TRUE(s.lines.balanced());
  EXPECT_EQ(s.lines.read, s.lines.used + rejected(s, "missing_customer_id") + rejected(s, "duplicate_line") +
                              rejected(s, "customer_without_purchase"));
  EXPECT_EQ(s.header_lines, 305);
  EXPECT_EQ(s.as_of, fx["as_of"].get<std::string>());
  EXPECT_EQ(s.customers_seen, fx["customers_seen"].get<int64_t>());
  EXPECT_EQ(t.rows(), fx["customers"].get<int64_t>());
  EXPECT_EQ(t.ids.front(), "12346");  // "12346.0" in the files

  double total = 0;
  for (double v : *t.find("monetary_total")) total += v;
  EXPECT_NEAR(total, fx["monetary_total_sum"].get<double>(), 1e-6);
  for (const auto& [id, expected] : fx["sample"].items()) {
    const auto row = static_cast<size_t>(std::find(t.ids.begin(), t.ids.end(), id) - t.ids.begin());
    ASSERT_LT(row, t.ids.size()) << id;
    for (const auto& [feature, want] : expected.items()) {
      if (feature == "first_purchase") {
        EXPECT_EQ(t.first_purchase[row], want.get<std::string>()) << id;
      } else if (feature == "last_purchase") {
        EXPECT_EQ(t.last_purchase[row], want.get<std::string>()) << id;
      } else if (want.is_null()) {
        EXPECT_TRUE(std::isnan((*t.find(feature))[row])) << id << " " << feature;
      } else {
        const double w = want.get<double>();
        // pandas sums the float products in float64; segmint sums exact micro-units: equal to ~1e-12.
        EXPECT_NEAR((*t.find(feature))[row], w, 1e-9 * (1 + std::fabs(w))) << id << " " << feature;
      }
    }
  }
}

TEST(TransactionsData, OnlineRetailIsIdenticalOnOneAndTwoThreads) {
  omp_set_num_threads(1);
  const customer_table one = compute_customer_features(online_retail());
  omp_set_num_threads(2);
  const customer_table two = compute_customer_features(online_retail());
  omp_set_num_threads(omp_get_num_procs());
  EXPECT_EQ(one.ids, two.ids);
  EXPECT_TRUE(same_bits(one.columns, two.columns));  // bitwise: exact integer sums, fixed partitions
  EXPECT_EQ(transaction_summary_json(one.summary), transaction_summary_json(two.summary));
}

std::map<int, std::vector<double>> cdnow_summary() {
  std::ifstream in(test::example("cdnow/cdnow_customers_summary.csv"));
  std::string line;
  std::getline(in, line);
  EXPECT_EQ(line, "ID,frequency,recency,T");
  std::map<int, std::vector<double>> rows;
  while (std::getline(in, line)) {
    int id = 0;
    double f = 0, r = 0, T = 0;
    if (std::sscanf(line.c_str(), "%d,%lf,%lf,%lf", &id, &f, &r, &T) == 4) rows[id] = {f, r, T};
  }
  return rows;
}

TEST(TransactionsData, CdnowMatchesTheLifetimesCalibrationSummary) {
  transaction_options o;
  o.files = {test::example("cdnow/CDNOW_sample.txt").string()};
  o.whitespace_delimited = true;
  o.header = false;
  o.columns.customer = "2";  // the sample's customer number, as in the summary
  o.columns.date = "3";
  o.columns.amount = "5";
  o.as_of = "1997-10-01";  // 39 weeks: 1997-01-01 .. 1997-09-30
  const customer_table t = compute_customer_features(o);
  const auto expected = cdnow_summary();
  ASSERT_EQ(expected.size(), 2357u);
  ASSERT_EQ(t.rows(), 2357);
  const auto& rep = *t.find("repeat_frequency");
  const auto& recency = *t.find("recency_days");
  const auto& tenure = *t.find("tenure_days");
  auto weeks = [](double days) { return std::round(days / 7.0 * 100.0) / 100.0; };  // the file's 2 decimals
  int mismatches = 0;
  for (size_t i = 0; i < t.ids.size(); ++i) {
    const auto& e = expected.at(std::stoi(t.ids[i]));
    // lifetimes: frequency = repeat purchase days; recency = first to last purchase; T = first purchase to
    // the last observed day (as-of - 1).
    const bool ok = rep[i] == e[0] && std::fabs(weeks(tenure[i] - recency[i]) - e[1]) < 1e-9 && std::fabs(weeks(tenure[i] - 1) - e[2]) < 1e-9;
    if (!ok && ++mismatches < 5) ADD_FAILURE() << "customer " << t.ids[i] << ": " << rep[i] << " " << tenure[i] << " " << recency[i];
  }
  EXPECT_EQ(mismatches, 0);
  EXPECT_EQ(rejected(t.summary, "on_or_after_as_of"), 1959);
  EXPECT_TRUE(t.summary.lines.balanced());
}

TEST(TransactionsData, CdnowMasterCounts) {
  transaction_options o;
  o.files = {test::example("cdnow/CDNOW_master.txt").string()};
  o.whitespace_delimited = true;
  o.columns.customer = "customer_id";
  o.columns.date = "date";
  o.columns.amount = "dollar_value";
  const customer_table t = compute_customer_features(o);
  EXPECT_EQ(t.summary.lines.read, 69659);  // SOURCE.md
  EXPECT_EQ(t.rows(), 23570);
  EXPECT_EQ(rejected(t.summary, "duplicate_line"), 255);
  EXPECT_EQ(t.summary.as_of, "1998-07-01");
  EXPECT_EQ(t.ids.front(), "00001");
}

}  // namespace
