// `segmint churn` on the bundled Online Retail log against pandas labels and scikit-learn's logistic
// regression (tests/fixtures/make_churn_fixtures.py), and the score arithmetic on hand-computed cases.
#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>

#include "../../host/churn/scores.hpp"
#include "../support/test_support.hpp"

using namespace segmint;
using test::run_cli;

namespace {

std::vector<std::string> retail_args(const std::string& out) {
  std::vector<std::string> args = {"churn", "--transactions"};
  for (const auto& e : std::filesystem::directory_iterator(test::example("online_retail/by-day"))) args.push_back(e.path().string());
  std::sort(args.begin() + 2, args.end());
  for (const char* a : {"--customer", "CustomerID", "--date", "InvoiceDate", "--quantity", "Quantity", "--price", "UnitPrice", "--invoice",
                        "InvoiceNo", "--cutoff", "2011-09-10", "--window", "90", "--out"})
    args.emplace_back(a);
  args.push_back(out);
  return args;
}

TEST(ChurnCli, OnlineRetailEqualsPandasLabelsAndScikitLearnsModel) {
  test::temp_dir t;
  auto args = retail_args(t.file("c"));
  args.insert(args.end(), {"--export-features", t.file("features.csv")});
  const auto r = run_cli(args);
  ASSERT_EQ(r.code, 0) << r.err;
  const auto fx = test::load_json(test::fixture("churn_online_retail.json"));
  const auto json = test::load_json(t.file("c/churn.json"));
  EXPECT_EQ(json["customers"], fx["customers"]);
  EXPECT_EQ(json["churned"], fx["churned"]);
  const double auc = json["holdout"]["auc"].get<double>();
  EXPECT_GE(auc, 0.72);  // the bar; scikit-learn on the same customers reaches the same figure
  EXPECT_NEAR(auc, fx["holdout_auc"].get<double>(), 1e-9);
  EXPECT_NEAR(json["holdout"]["pr_auc"].get<double>(), fx["holdout_pr_auc"].get<double>(), 1e-9);
  EXPECT_NEAR(json["holdout"]["brier"].get<double>(), fx["holdout_brier"].get<double>(), 1e-9);
  for (size_t k = 0; k < 4; ++k)
    EXPECT_NEAR(json["model"]["coefficients"][k]["standardised"].get<double>(), fx["coefficients"][k].get<double>(), 1e-6) << k;
  EXPECT_NEAR(json["model"]["intercept"].get<double>(), fx["intercept"].get<double>(), 1e-6);
  // Every customer's label and features equal pandas' (features from before the cutoff only).
  std::istringstream in(test::read_file(t.file("features.csv")));
  std::string line;
  std::getline(in, line);
  EXPECT_EQ(line, "CustomerID,recency_days,frequency,monetary_total,tenure_days,log1p_recency_days,log1p_frequency,"
                  "log1p_monetary_total,log1p_tenure_days,churned,holdout");
  size_t rows = 0;
  const auto& want = fx["labels_and_features"];
  while (std::getline(in, line)) {
    std::vector<std::string> cells;
    for (std::istringstream row(line); std::getline(row, line, ',');) cells.push_back(line);
    ASSERT_EQ(cells.size(), 11u);
    ASSERT_TRUE(want.contains(cells[0])) << cells[0];
    const auto& w = want[cells[0]];
    EXPECT_EQ(std::stoi(cells[9]), w[0].get<int>()) << cells[0];
    for (size_t k = 0; k < 4; ++k)
      EXPECT_NEAR(std::stod(cells[1 + k]), w[1 + k].get<double>(), 1e-9 * std::max(1.0, std::abs(w[1 + k].get<double>()))) << cells[0];
    ++rows;
  }
  EXPECT_EQ(rows, want.size());
}

TEST(ChurnCli, SameBytesOnAnyThreadCount) {
  test::temp_dir t;
  for (const char* threads : {"1", "2"}) {
    auto args = retail_args(t.file(std::string("c") + threads));
    args.insert(args.end(), {"--threads", threads});
    ASSERT_EQ(run_cli(args).code, 0);
  }
  EXPECT_EQ(test::read_file(t.file("c1/churn.csv")), test::read_file(t.file("c2/churn.csv")));
  EXPECT_EQ(test::read_file(t.file("c1/churn.json")), test::read_file(t.file("c2/churn.json")));
}

TEST(ChurnCli, ACutoffOrWindowOutsideTheLogIsRefused) {
  test::temp_dir t;
  auto late = retail_args(t.file("c"));
  const auto at = static_cast<size_t>(std::find(late.begin(), late.end(), "--cutoff") - late.begin()) + 1;
  late[at] = "2011-10-01";  // + 90 days runs past 2011-12-09
  auto r = run_cli(late);
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("runs to 2011-12-29, past the log's last day 2011-12-09"), std::string::npos) << r.err;
  auto early = retail_args(t.file("c"));
  early[at] = "2009-01-01";
  r = run_cli(early);
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("must fall after the log's first day"), std::string::npos) << r.err;
  auto zero = retail_args(t.file("c"));
  zero[at + 2] = "0";
  r = run_cli(zero);
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("--window must be"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(t.file("c/churn.csv")));
}

TEST(ChurnScores, HandComputedCasesWithTies) {
  const std::vector<double> score = {0.9, 0.8, 0.8, 0.1};
  const std::vector<int> y = {1, 0, 1, 0};
  // Positive–negative pairs: (0.9, 0.8) 1, (0.9, 0.1) 1, (0.8, 0.8) ½, (0.8, 0.1) 1 → 3.5 / 4.
  EXPECT_DOUBLE_EQ(churn::roc_auc(score, y), 0.875);
  // Thresholds 0.9 (recall ½, precision 1) and 0.8 (recall 1, precision ⅔): ½ + ½ · ⅔.
  EXPECT_DOUBLE_EQ(churn::average_precision(score, y), 0.5 + 0.5 * 2.0 / 3.0);
  EXPECT_DOUBLE_EQ(churn::brier_score(score, y), (0.01 + 0.64 + 0.04 + 0.01) / 4);
  const auto deciles = churn::decile_table(score, y);
  int64_t customers = 0;
  for (const auto& d : deciles) customers += d.customers;
  EXPECT_EQ(customers, 4);
  EXPECT_DOUBLE_EQ(deciles.back().cumulative_gain, 1.0);
  EXPECT_TRUE(std::isnan(churn::roc_auc({0.5, 0.4}, {1, 1})));  // one class only: undefined, never 0.5 by accident
}

}  // namespace
