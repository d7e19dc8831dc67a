// `segmint churn` on the bundled Online Retail log against pandas labels and scikit-learn's logistic
// regression (tests/fixtures/make_churn_fixtures.py), and the score arithmetic on hand-computed cases.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
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

namespace {

/// The log options of retail_args without training's --cutoff/--window and --out.
std::vector<std::string> score_args(const std::string& model, const std::string& out) {
  std::vector<std::string> args = retail_args("unused");
  const auto cutoff = std::find(args.begin(), args.end(), "--cutoff");
  args.erase(cutoff, args.end());
  args.insert(args.end(), {"--model", model, "--out", out});
  return args;
}

TEST(ChurnScoring, AsOfTheCutoffTheSavedModelGivesTheTrainingScores) {
  test::temp_dir t;
  ASSERT_EQ(run_cli(retail_args(t.file("c"))).code, 0);
  auto args = score_args(t.file("c/churn.json"), t.file("scores.csv"));
  args.insert(args.end(), {"--as-of", "2011-09-10"});
  const auto r = run_cli(args);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("scored 3370 customers as of 2011-09-10"), std::string::npos) << r.out;
  const std::string trained = test::read_file(t.file("c/churn.csv")), scored = test::read_file(t.file("scores.csv"));
  EXPECT_EQ(test::numeric_column(trained, "churn_probability"), test::numeric_column(scored, "churn_probability"));
  EXPECT_EQ(test::numeric_column(trained, "CustomerID"), test::numeric_column(scored, "CustomerID"));
}

TEST(ChurnScoring, LaterCustomersAreScoredFromTheirOwnFeatures) {
  test::temp_dir t;
  ASSERT_EQ(run_cli(retail_args(t.file("c"))).code, 0);
  const auto r = run_cli(score_args(t.file("c/churn.json"), t.file("scores.csv")));  // as of the day after the log
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("scored 4339 customers as of 2011-12-10"), std::string::npos) << r.out;  // features' customer count
  // Recomputed by hand from churn.json: sigmoid(intercept + Σ w_k (log1p(x_k) − mean_k) / sd_k).
  const auto model = test::load_json(t.file("c/churn.json"))["model"];
  const std::string scores = test::read_file(t.file("scores.csv"));
  const auto p = test::numeric_column(scores, "churn_probability");
  std::vector<std::vector<double>> x;
  for (const char* name : {"recency_days", "frequency", "monetary_total", "tenure_days"}) x.push_back(test::numeric_column(scores, name));
  ASSERT_EQ(p.size(), 4339u);
  for (size_t i = 0; i < p.size(); ++i) {
    double logit = model["intercept"].get<double>();
    for (size_t k = 0; k < 4; ++k) {
      const auto& c = model["coefficients"][k];
      logit += c["standardised"].get<double>() * (std::log1p(std::max(0.0, x[k][i])) - c["training_mean"].get<double>()) /
               c["training_sd"].get<double>();
    }
    ASSERT_NEAR(p[i], 1 / (1 + std::exp(-logit)), 1e-9) << i;
  }
}

TEST(ChurnScoring, TrainingOptionsOrAWrongModelAreRefused) {
  test::temp_dir t;
  ASSERT_EQ(run_cli(retail_args(t.file("c"))).code, 0);
  auto with_cutoff = score_args(t.file("c/churn.json"), t.file("a.csv"));
  with_cutoff.insert(with_cutoff.end(), {"--cutoff", "2011-09-10"});
  const auto a = run_cli(with_cutoff);
  EXPECT_EQ(a.code, 2);
  EXPECT_NE(a.err.find("--cutoff, --window, --holdout, --c, --seed and --export-features belong to training"), std::string::npos) << a.err;
  const auto b = run_cli(score_args(t.file("c/churn.csv"), t.file("b.csv")));
  EXPECT_EQ(b.code, 2);
  EXPECT_NE(b.err.find("not a segmint churn.json"), std::string::npos) << b.err;
  for (const char* f : {"a.csv", "b.csv"}) EXPECT_FALSE(std::filesystem::exists(t.file(f))) << f;
}

}  // namespace
