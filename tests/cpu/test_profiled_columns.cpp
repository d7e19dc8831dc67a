// Columns described per segment without being clustered on: the tests of difference against SciPy
// (tests/fixtures/make_stat_test_fixtures.py), and the per-segment figures against a hand computation.
#include <gtest/gtest.h>

#include <cmath>

#include "../../host/algo/stat_tests.hpp"
#include "../support/test_support.hpp"
#include "segmint/error.hpp"
#include "segmint/profiled.hpp"
#include "segmint/table.hpp"

using namespace segmint;

namespace {

TEST(StatTests, WelchAndChiSquareMatchScipy) {
  const auto j = test::load_json(test::fixture("scipy_stat_tests.json"));
  for (const auto& c : j["welch"]) {
    const double p = detail::welch_p_value(c["n1"].get<int64_t>(), c["mean1"], c["var1"], c["n2"].get<int64_t>(), c["mean2"], c["var2"]);
    EXPECT_NEAR(p, c["p"].get<double>(), 1e-10 * std::max(1.0, c["p"].get<double>()) + 1e-14) << c.dump();
  }
  for (const auto& c : j["chi_square"]) {
    const auto r = detail::chi_square_independence(c["counts"].get<std::vector<std::vector<int64_t>>>());
    EXPECT_NEAR(r.statistic, c["statistic"].get<double>(), 1e-9 * c["statistic"].get<double>());
    EXPECT_EQ(r.dof, c["dof"].get<int>());
    const double p = c["p"].get<double>();
    EXPECT_NEAR(r.p_value, p, 1e-9 * p + 1e-300) << c.dump();
  }
  EXPECT_EQ(detail::welch_p_value(1, 0, 0, 5, 1, 1), 1.0);  // one value: no test
  EXPECT_EQ(detail::welch_p_value(3, 2, 0, 3, 2, 0), 1.0);  // identical constants
  EXPECT_EQ(detail::welch_p_value(3, 1, 0, 3, 2, 0), 0.0);  // different constants
}

TEST(ProfiledColumns, OutcomesAreReadAndDescribedNotClusteredOn) {
  test::temp_dir t;
  table_params p;
  p.profile_only = {"plan"};
  const auto table = load_feature_table(t.write("c.csv",
                                                "id,spend,visits,Response,plan\n"
                                                "1,10,1,0,basic\n2,12,2,1,basic\n3,50,8,1,gold\n"
                                                "4,55,9,1,gold\n5,11,1,0,\n6,60,7,,gold\n"),
                                        p);
  EXPECT_EQ(table.feature_names(), (std::vector<std::string>{"spend", "visits"}));
  ASSERT_EQ(table.profiled.size(), 2u);
  EXPECT_EQ(table.profiled[0].name, "plan");  // named first, then outcomes found in the table
  EXPECT_FALSE(table.profiled[0].numeric);
  EXPECT_EQ(table.profiled[1].name, "Response");
  EXPECT_EQ(table.profiled[1].why, "outcome");
  EXPECT_TRUE(table.profiled[1].numeric);
  const std::vector<int32_t> labels = {0, 0, 1, 1, 0, 1};
  const auto d = describe_profiled(table, labels, 2);
  // plan: segment 0 holds basic, basic, (missing); segment 1 gold × 3.
  EXPECT_EQ(d[0].levels, (std::vector<std::string>{"(missing)", "basic", "gold"}));
  EXPECT_EQ(d[0].segments[0].shares, (std::vector<double>{1.0 / 3, 2.0 / 3, 0.0}));
  EXPECT_EQ(d[0].segments[1].shares, (std::vector<double>{0.0, 0.0, 1.0}));
  EXPECT_EQ(d[0].dof, 2);
  // Response: segment 0 has 0, 1, 0 → 1/3; segment 1 has 1, 1 and one missing → 1.
  EXPECT_DOUBLE_EQ(d[1].segments[0].mean, 1.0 / 3);
  EXPECT_EQ(d[1].segments[1].present, 2);
  EXPECT_DOUBLE_EQ(d[1].segments[1].mean, 1.0);
  EXPECT_DOUBLE_EQ(d[1].overall_mean, 3.0 / 5);
  // Segment 0 (0, 1, 0) against the rest (1, 1): Welch with variances 1/3 and 0.
  EXPECT_DOUBLE_EQ(d[1].segments[0].p_value, detail::welch_p_value(3, 1.0 / 3, 1.0 / 3, 2, 1.0, 0.0));
}

TEST(ProfiledColumns, ANamedFeatureCannotAlsoBeProfiledOnly) {
  test::temp_dir t;
  table_params p;
  p.features = {"spend"};
  p.profile_only = {"spend"};
  try {
    load_feature_table(t.write("c.csv", "id,spend\n1,2\n2,3\n"), p);
    FAIL() << "no error";
  } catch (const input_error& e) {
    EXPECT_NE(std::string(e.what()).find("--profile-only"), std::string::npos) << e.what();
  }
}

}  // namespace
