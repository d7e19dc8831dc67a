// BG/NBD and Gamma-Gamma (host/value) against the published CDNOW figures and lifetimes 0.11.3
// (tests/fixtures/make_lifetimes_fixtures.py), on the bundled CDNOW data.
#include <gtest/gtest.h>
#include <omp.h>

#include <cmath>
#include <string>

#include "segmint/error.hpp"
#include "segmint/io.hpp"
#include "segmint/value.hpp"
#include "../support/test_support.hpp"

namespace segmint {
namespace {

/// The summary as segmint reads it (float32 values, as the fixture's lifetimes inputs).
value::rfm_summary read_summary(const std::filesystem::path& path, bool with_monetary) {
  const raw_table raw = read_csv(path.string(), {}, [&](const std::vector<csv_column_info>& header) {
    csv_plan plan;
    for (const char* name : {"frequency", "recency", "T", "monetary_value"})
      for (const auto& c : header)
        if (c.name == name && (with_monetary || std::string(name) != "monetary_value")) plan.numeric.push_back(c.index);
    return plan;
  });
  value::rfm_summary s;
  for (size_t i = 0; i < static_cast<size_t>(raw.rows()); ++i) {
    s.frequency.push_back(raw.columns[0].numbers[i]);
    s.recency.push_back(raw.columns[1].numbers[i]);
    s.age.push_back(raw.columns[2].numbers[i]);
    if (with_monetary) s.monetary.push_back(raw.columns[3].numbers[i]);
  }
  return s;
}

const nlohmann::json& fixture() {
  static const nlohmann::json fx = test::load_json(test::fixture("lifetimes_value.json"));
  return fx;
}

value::rfm_summary weeks() { return read_summary(test::example("cdnow/cdnow_customers_summary.csv"), false); }
value::rfm_summary days() { return read_summary(test::fixture("cdnow_calibration_days.csv"), true); }

value::bgnbd_params bgnbd_of(const nlohmann::json& j) {
  return {j["r"].get<double>(), j["alpha"].get<double>(), j["a"].get<double>(), j["b"].get<double>()};
}

void expect_relative(const std::vector<double>& got, const nlohmann::json& want, double tolerance, const char* what) {
  ASSERT_EQ(got.size(), want.size()) << what;
  for (size_t i = 0; i < got.size(); ++i) {
    const double w = want[i].get<double>();
    ASSERT_NEAR(got[i], w, tolerance * std::max(std::abs(w), 1e-300)) << what << " of customer " << i;
  }
}

TEST(BgNbd, CdnowFitGivesThePublishedParameters) {
  const auto fit = value::fit_bgnbd(weeks());
  // Fader, Hardie & Lee (2005), table 1: r = 0.243, alpha = 4.414, a = 0.793, b = 2.426, LL = -9582.4.
  EXPECT_NEAR(fit.params.r, 0.243, 5e-4);
  EXPECT_NEAR(fit.params.alpha, 4.414, 5e-4);
  EXPECT_NEAR(fit.params.a, 0.793, 5e-4);
  EXPECT_NEAR(fit.params.b, 2.426, 5e-4);
  EXPECT_NEAR(fit.report.log_likelihood, -9582.4, 0.05);
  EXPECT_TRUE(fit.report.converged);
  const auto& lt = fixture()["weeks"]["bgnbd"];
  EXPECT_NEAR(fit.params.r, lt["r"].get<double>(), 1e-5 * fit.params.r);
  EXPECT_NEAR(fit.params.alpha, lt["alpha"].get<double>(), 1e-5 * fit.params.alpha);
  EXPECT_NEAR(fit.params.a, lt["a"].get<double>(), 1e-5 * fit.params.a);
  EXPECT_NEAR(fit.params.b, lt["b"].get<double>(), 1e-5 * fit.params.b);
  for (double se : fit.report.standard_errors) EXPECT_TRUE(std::isfinite(se) && se > 0);
}

TEST(BgNbd, TheSameOptimumFromAnyReasonableStart) {
  const auto s = weeks();
  const auto base = value::fit_bgnbd(s);
  for (const value::bgnbd_params start : {value::bgnbd_params{0.1, 10, 2, 0.5}, value::bgnbd_params{3, 0.5, 0.2, 8},
                                          value::bgnbd_params{0.01, 50, 5, 20}}) {
    const auto fit = value::fit_bgnbd(s, start);
    EXPECT_NEAR(fit.params.r, base.params.r, 1e-5 * base.params.r);
    EXPECT_NEAR(fit.params.alpha, base.params.alpha, 1e-5 * base.params.alpha);
    EXPECT_NEAR(fit.params.a, base.params.a, 1e-5 * base.params.a);
    EXPECT_NEAR(fit.params.b, base.params.b, 1e-5 * base.params.b);
  }
}

TEST(BgNbd, PAliveAndExpectedPurchasesEqualLifetimes) {
  const auto& w = fixture()["weeks"];
  const auto p = bgnbd_of(w["bgnbd"]);
  const auto s = weeks();
  expect_relative(value::p_alive(s, p), w["p_alive"], 1e-6, "p_alive");
  expect_relative(value::expected_purchases(s, p, w["horizon"].get<double>()), w["expected_purchases"], 1e-6, "expected purchases");
  const auto& d = fixture()["days"];
  expect_relative(value::expected_purchases(days(), bgnbd_of(d["bgnbd"]), d["horizon"].get<double>()), d["expected_purchases"], 1e-6,
                  "expected purchases (days)");
}

TEST(BgNbd, SameBitsOnAnyThreadCount) {
  const auto s = weeks();
  const int before = omp_get_max_threads();
  omp_set_num_threads(1);
  const auto one = value::fit_bgnbd(s);
  omp_set_num_threads(2);
  const auto two = value::fit_bgnbd(s);
  omp_set_num_threads(before);
  EXPECT_EQ(one.params.r, two.params.r);
  EXPECT_EQ(one.params.alpha, two.params.alpha);
  EXPECT_EQ(one.params.a, two.params.a);
  EXPECT_EQ(one.params.b, two.params.b);
  EXPECT_EQ(one.report.log_likelihood, two.report.log_likelihood);
}

TEST(GammaGamma, CdnowCalibrationGivesThePublishedParameters) {
  const auto s = days();
  const auto fit = value::fit_gamma_gamma(s);
  // Fader, Hardie & Lee's Gamma-Gamma note on the CDNOW sample's 946 repeat buyers: p = 6.25, q = 3.74, v = 15.44.
  EXPECT_EQ(fit.report.customers, 946);
  EXPECT_NEAR(fit.params.p, 6.25, 0.005);
  EXPECT_NEAR(fit.params.q, 3.74, 0.005);
  EXPECT_NEAR(fit.params.v, 15.44, 0.005);
  const auto& lt = fixture()["days"]["gamma_gamma"];
  EXPECT_NEAR(fit.params.p, lt["p"].get<double>(), 1e-5 * fit.params.p);
  EXPECT_NEAR(fit.params.q, lt["q"].get<double>(), 1e-5 * fit.params.q);
  EXPECT_NEAR(fit.params.v, lt["v"].get<double>(), 1e-5 * fit.params.v);
  EXPECT_LT(std::abs(fit.frequency_monetary_correlation), 0.2);  // the independence the model assumes
}

TEST(GammaGamma, ExpectedSpendAndClvEqualLifetimes) {
  const auto& d = fixture()["days"];
  const auto s = days();
  const value::gamma_gamma_params gg{d["gamma_gamma"]["p"].get<double>(), d["gamma_gamma"]["q"].get<double>(),
                                     d["gamma_gamma"]["v"].get<double>()};
  const auto spend = value::expected_spend_per_purchase(s, gg);
  expect_relative(spend, d["expected_spend_per_purchase"], 1e-9, "expected spend");
  expect_relative(value::clv(s, bgnbd_of(d["bgnbd"]), spend, 12, 0.01, true), d["clv_12_months"], 1e-6, "clv");
}

TEST(GammaGamma, TooFewRepeatBuyersIsAnInputError) {
  value::rfm_summary s;
  for (int i = 0; i < 30; ++i) {
    s.frequency.push_back(i < 5 ? 2 : 0);
    s.recency.push_back(i < 5 ? 10 : 0);
    s.age.push_back(40);
    s.monetary.push_back(i < 5 ? 20 : 0);
  }
  EXPECT_THROW(value::fit_gamma_gamma(s), input_error);
}

TEST(Summary, ImpossibleValuesAreNamed) {
  EXPECT_FALSE(value::find_summary_problem(2, 10, 20).has_value());
  EXPECT_STREQ(value::find_summary_problem(2, 30, 20)->field, "recency");  // recency > age
  EXPECT_STREQ(value::find_summary_problem(1.5, 10, 20)->field, "frequency");
  EXPECT_STREQ(value::find_summary_problem(-1, 0, 20)->field, "frequency");
  EXPECT_STREQ(value::find_summary_problem(0, 5, 20)->field, "recency");  // no repeat purchase, yet recency
  EXPECT_STREQ(value::find_summary_problem(1, 0, 0)->field, "age");
  EXPECT_STREQ(value::find_summary_problem(1, 5, 20, -3)->field, "monetary");
}

}  // namespace
}  // namespace segmint

namespace segmint {
namespace {

TEST(MbgNbd, CdnowFitAndPredictionsEqualLifetimes) {
  const auto& w = fixture()["weeks"];
  value::bgnbd_params start{1, 1, 1, 1};
  start.modified = true;
  const auto fit = value::fit_bgnbd(weeks(), start);
  EXPECT_TRUE(fit.params.modified);
  const auto& lt = w["mbgnbd"];
  EXPECT_NEAR(fit.params.r, lt["r"].get<double>(), 1e-5 * fit.params.r);
  EXPECT_NEAR(fit.params.alpha, lt["alpha"].get<double>(), 1e-5 * fit.params.alpha);
  EXPECT_NEAR(fit.params.a, lt["a"].get<double>(), 1e-5 * fit.params.a);
  EXPECT_NEAR(fit.params.b, lt["b"].get<double>(), 1e-5 * fit.params.b);
  value::bgnbd_params at = bgnbd_of(lt);
  at.modified = true;
  const auto s = weeks();
  expect_relative(value::p_alive(s, at), w["mbgnbd_p_alive"], 1e-6, "MBG/NBD p_alive");
  expect_relative(value::expected_purchases(s, at, w["horizon"].get<double>()), w["mbgnbd_expected_purchases"], 1e-6,
                  "MBG/NBD expected purchases");
  // The point of the modification: one-time buyers are no longer all alive.
  const auto alive = value::p_alive(s, at);
  for (size_t i = 0; i < s.size(); ++i)
    if (s.frequency[i] == 0) {
      EXPECT_LT(alive[i], 1.0) << i;
    }
}

}  // namespace
}  // namespace segmint

namespace segmint {
namespace {

value::pareto_nbd_params pareto_of(const nlohmann::json& j) {
  return {j["r"].get<double>(), j["alpha"].get<double>(), j["s"].get<double>(), j["beta"].get<double>()};
}

TEST(ParetoNbd, CdnowFitGivesThePublishedParameters) {
  const auto fit = value::fit_pareto_nbd(weeks());
  // Fader, Hardie & Lee (2005), the Pareto/NBD on the same data: r = 0.553, alpha = 10.578, s = 0.606, beta = 11.669.
  EXPECT_NEAR(fit.params.r, 0.553, 5e-3);
  EXPECT_NEAR(fit.params.alpha, 10.578, 5e-3);
  EXPECT_NEAR(fit.params.s, 0.606, 5e-3);
  EXPECT_NEAR(fit.params.beta, 11.669, 5e-3);
  EXPECT_TRUE(fit.report.converged);
  for (double se : fit.report.standard_errors) EXPECT_TRUE(std::isfinite(se) && se > 0);
  // lifetimes stops its optimiser earlier (its fits differ from run to run in the fourth digit): its optimum
  // can be no higher than ours, and lies within a few 1e-4 of it.
  const auto& w = fixture()["weeks"];
  const auto lt = pareto_of(w["pareto_nbd"]);
  EXPECT_GE(fit.report.log_likelihood, w["pareto_nbd_log_likelihood"].get<double>() - 1e-9);
  EXPECT_NEAR(fit.params.r, lt.r, 1e-3 * lt.r);
  EXPECT_NEAR(fit.params.alpha, lt.alpha, 1e-3 * lt.alpha);
  EXPECT_NEAR(fit.params.s, lt.s, 1e-3 * lt.s);
  EXPECT_NEAR(fit.params.beta, lt.beta, 1e-3 * lt.beta);
}

TEST(ParetoNbd, LikelihoodPAliveAndExpectedPurchasesEqualLifetimes) {
  const auto& w = fixture()["weeks"];
  const auto at = pareto_of(w["pareto_nbd"]);
  const auto s = weeks();
  // The integral form (pareto_nbd.cpp) against lifetimes' 2F1 form of the same likelihood.
  EXPECT_NEAR(value::pareto_nbd_log_likelihood(s, at), w["pareto_nbd_log_likelihood"].get<double>(), 1e-9 * 9595);
  expect_relative(value::p_alive(s, at), w["pareto_nbd_p_alive"], 1e-6, "Pareto/NBD p_alive");
  expect_relative(value::expected_purchases(s, at, w["horizon"].get<double>()), w["pareto_nbd_expected_purchases"], 1e-6,
                  "Pareto/NBD expected purchases");
}

TEST(ParetoNbd, TheSameOptimumFromAnyReasonableStartAndItIsAMaximum) {
  // The fit stops where its analytic gradient vanishes: from far-apart starts it reaches one point, and the
  // likelihood itself (no gradient involved) falls in every direction from there, so the gradient is right.
  const auto s = weeks();
  const auto base = value::fit_pareto_nbd(s);
  for (const value::pareto_nbd_params start : {value::pareto_nbd_params{0.1, 30, 2, 2}, value::pareto_nbd_params{3, 1, 0.2, 50}}) {
    const auto fit = value::fit_pareto_nbd(s, start);
    EXPECT_NEAR(fit.params.r, base.params.r, 1e-5 * base.params.r);
    EXPECT_NEAR(fit.params.alpha, base.params.alpha, 1e-5 * base.params.alpha);
    EXPECT_NEAR(fit.params.s, base.params.s, 1e-5 * base.params.s);
    EXPECT_NEAR(fit.params.beta, base.params.beta, 1e-5 * base.params.beta);
  }
  // At the optimum every direction lowers the likelihood.
  const double top = value::pareto_nbd_log_likelihood(s, base.params);
  for (int k = 0; k < 4; ++k)
    for (const double f : {0.99, 1.01}) {
      auto p = base.params;
      (k == 0 ? p.r : k == 1 ? p.alpha : k == 2 ? p.s : p.beta) *= f;
      EXPECT_LT(value::pareto_nbd_log_likelihood(s, p), top) << k << " " << f;
    }
}

TEST(ParetoNbd, SameBitsOnAnyThreadCount) {
  const auto s = weeks();
  const int before = omp_get_max_threads();
  omp_set_num_threads(1);
  const auto one = value::fit_pareto_nbd(s);
  omp_set_num_threads(2);
  const auto two = value::fit_pareto_nbd(s);
  omp_set_num_threads(before);
  EXPECT_EQ(one.params.r, two.params.r);
  EXPECT_EQ(one.params.beta, two.params.beta);
  EXPECT_EQ(one.report.log_likelihood, two.report.log_likelihood);
}

}  // namespace
}  // namespace segmint
