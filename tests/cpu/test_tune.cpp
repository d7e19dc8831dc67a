// The pieces of `segmint tune` checked by hand: agreement measures, the gap statistic's 1-SE rule, the grid.
#include <gtest/gtest.h>

#include "../../host/tune/gap.hpp"
#include "../support/synthetic_segments.hpp"
#include "../support/test_support.hpp"
#include "segmint/error.hpp"
#include "segmint/metrics.hpp"
#include "segmint/tune.hpp"

using namespace segmint;

TEST(Agreement, AdjustedRandIndexOfHandCases) {
  // scikit-learn's documented example: adjusted_rand_score([0, 0, 1, 1], [0, 0, 1, 2]) = 4/7.
  EXPECT_NEAR(metrics::adjusted_rand_index({0, 0, 1, 1}, {0, 0, 1, 2}), 4.0 / 7.0, 1e-15);
  EXPECT_DOUBLE_EQ(metrics::adjusted_rand_index({0, 0, 1, 1}, {1, 1, 0, 0}), 1.0);  // renamed, same partition
  EXPECT_DOUBLE_EQ(metrics::adjusted_rand_index({0, 0, 0, 0}, {0, 0, 0, 0}), 1.0);
  EXPECT_LT(metrics::adjusted_rand_index({0, 0, 1, 1}, {0, 1, 0, 1}), 0.0);  // worse than chance
  EXPECT_THROW(metrics::adjusted_rand_index({0, 1}, {0}), input_error);
}

TEST(Agreement, AdjustedRandIndexEqualsAnIndependentImplementation) {
  test::normal_source z(5);
  for (int trial = 0; trial < 20; ++trial) {
    std::vector<int32_t> a(500), b(500);
    for (size_t i = 0; i < a.size(); ++i) {
      a[i] = static_cast<int32_t>(std::fabs(z()) * 2) % 4;
      b[i] = trial % 2 ? a[i] : static_cast<int32_t>(std::fabs(z()) * 3) % 5;
    }
    EXPECT_NEAR(metrics::adjusted_rand_index(a, b), test::adjusted_rand_index(a, b), 1e-12);
  }
}

TEST(Agreement, BestJaccardPerReferenceCluster) {
  // Reference {0,1,2} and {3,4}; other {0,1} and {2,3,4}: 2/3 each (clusterboot's measure by hand).
  const auto j = metrics::best_jaccard({0, 0, 0, 1, 1}, 2, {0, 0, 1, 1, 1});
  ASSERT_EQ(j.size(), 2u);
  EXPECT_DOUBLE_EQ(j[0], 2.0 / 3.0);
  EXPECT_DOUBLE_EQ(j[1], 2.0 / 3.0);
}

TEST(GapStatistic, OneStandardErrorRuleByHand) {
  tune::gap_curve g;
  g.k = {1, 2, 3, 4};
  g.gap = {0.1, 0.5, 0.55, 0.56};
  g.se = {0.01, 0.02, 0.1, 0.1};
  EXPECT_EQ(detail::one_se_rule(g), 2);  // 0.1 < 0.5 − 0.02; 0.5 ≥ 0.55 − 0.1
  g.gap = {0.5, 0.3, 0.2, 0.1};
  EXPECT_EQ(detail::one_se_rule(g), 1);
  g.gap = {0.1, 0.2, 0.3, 0.4};
  g.se = {0, 0, 0, 0};
  EXPECT_EQ(detail::one_se_rule(g), 4);  // still rising: the largest k
}

TEST(GapStatistic, FindsThreeBlobsAndNothingInOne) {
  context ctx({.backend = backend_choice::cpu});
  test::normal_source z(11);
  matrix blobs(900, 4);
  for (int64_t i = 0; i < 900; ++i)
    for (int64_t j = 0; j < 4; ++j) blobs(i, j) = static_cast<float>((j == i / 300 ? 8.0 : 0.0) + z());
  const tune::gap_curve three = detail::gap_statistic(ctx, blobs.view(), {.k_min = 1, .k_max = 6, .references = 10, .seed = 3});
  EXPECT_EQ(three.k_one_se, 3);
  matrix noise(900, 4);
  for (int64_t i = 0; i < 900; ++i)
    for (int64_t j = 0; j < 4; ++j) noise(i, j) = static_cast<float>(z());
  const tune::gap_curve none = detail::gap_statistic(ctx, noise.view(), {.k_min = 1, .k_max = 6, .references = 10, .seed = 3});
  EXPECT_EQ(none.k_one_se, 1);
}

TEST(TuneGrid, PreprocessingOutermostThenAlgorithmsAndCovariances) {
  tune::params p;
  p.covariances = {gmm::covariance_type::full, gmm::covariance_type::diag};
  const auto g = tune::grid(p);
  ASSERT_EQ(g.size(), 16u);  // 2 logs × 2 PCA × (kmeans, gmm full, gmm diag, ward)
  EXPECT_EQ(tune::describe(g[0]), "kmeans, log none, no PCA");
  EXPECT_EQ(tune::describe(g[2]), "gmm (diag covariance), log none, no PCA");
  EXPECT_EQ(tune::describe(g[7]), "ward, log none, PCA 0.9 of the variance");
  EXPECT_TRUE(g[8].prep.log);
}

TEST(TuneGrid, BadParametersAreNamed) {
  auto refused = [](auto edit, const std::string& words) {
    tune::params p;
    edit(p);
    try {
      tune::check(p);
      ADD_FAILURE() << "accepted: " << words;
    } catch (const input_error& e) {
      EXPECT_NE(std::string(e.what()).find(words), std::string::npos) << e.what();
    }
  };
  refused([](tune::params& p) { p.algorithms.clear(); }, "algorithm list is empty");
  refused([](tune::params& p) { p.k_min = p.k_max = 1; }, "at least 2");
  refused([](tune::params& p) { p.resamples = 0; }, "--bootstrap");
  refused([](tune::params& p) { p.pcas = {1.5}; }, "--pca");
  refused([](tune::params& p) { p.algorithms = {algorithm::automatic}; }, "auto");
  refused([](tune::params& p) { p.logs.clear(); }, "preprocessing grid is empty");
}
