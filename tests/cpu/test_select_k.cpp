#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "../support/test_support.hpp"
#include "segmint/error.hpp"
#include "segmint/metrics.hpp"
#include "segmint/select_k.hpp"

using namespace segmint;

namespace {

TEST(Kneedle, HandComputedKnee) {
  // Normalised: x = 0, .25, .5, .75, 1; y = 1, .3, .15, .1, 0 → gaps (1−x)−y = 0, .45, .35, .15, 0.
  EXPECT_EQ(select_k::kneedle({1, 2, 3, 4, 5}, {100, 30, 15, 10, 0}), 2);
  EXPECT_EQ(select_k::kneedle({2, 3, 4}, {10, 2, 1}), 3);
}

TEST(Kneedle, NoKneeOnStraightOrConcaveCurvesOrTooFewPoints) {
  EXPECT_EQ(select_k::kneedle({1, 2, 3, 4}, {4, 3, 2, 1}), std::nullopt);
  EXPECT_EQ(select_k::kneedle({1, 2, 3, 4}, {10, 9.9, 9, 0}), std::nullopt);
  EXPECT_EQ(select_k::kneedle({1, 2}, {10, 1}), std::nullopt);
  EXPECT_EQ(select_k::kneedle({1, 2, 3}, {5, 5, 5}), std::nullopt);
}

TEST(SampleRows, SeededDistinctSortedAndAllWhenSmall) {
  const auto a = metrics::sample_rows(100000, 500, 7, 0);
  const auto b = metrics::sample_rows(100000, 500, 7, 0);
  const auto c = metrics::sample_rows(100000, 500, 8, 0);
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
  ASSERT_EQ(a.size(), 500u);
  EXPECT_TRUE(std::is_sorted(a.begin(), a.end()));
  EXPECT_EQ(std::adjacent_find(a.begin(), a.end()), a.end());
  EXPECT_EQ(metrics::sample_rows(10, 500, 7, 0).size(), 10u);
}

TEST(SelectK, SampledSilhouetteIsRecordedAndClose) {
  std::mt19937 gen(3);
  std::normal_distribution<float> noise(0, 1);
  matrix x(6000, 2);
  for (int64_t i = 0; i < x.rows(); ++i) {
    x(i, 0) = noise(gen) + 8.0f * static_cast<float>(i % 3);
    x(i, 1) = noise(gen);
  }
  context ctx({backend_choice::cpu, 0, 0});
  select_k::params p;
  p.k_min = 2;
  p.k_max = 4;
  p.silhouette.max_exact_rows = 1000;
  p.silhouette.sample_rows = 1500;
  const auto sampled = select_k::sweep(ctx, x.view(), p);
  EXPECT_EQ(sampled.chosen_k, 3);
  EXPECT_TRUE(sampled.per_k[0].scores.silhouette_sampled);
  EXPECT_EQ(sampled.per_k[0].scores.silhouette_rows, 1500);
  p.silhouette.max_exact_rows = 100000;
  const auto exact = select_k::sweep(ctx, x.view(), p);
  EXPECT_FALSE(exact.per_k[1].scores.silhouette_sampled);
  EXPECT_NEAR(sampled.per_k[1].scores.silhouette, exact.per_k[1].scores.silhouette, 0.02);
}

TEST(SelectK, RangeStopsAtTheNumberOfDistinctRows) {
  matrix x(8, 1);
  for (int64_t i = 0; i < 8; ++i) x(i, 0) = static_cast<float>(i % 3);
  context ctx({backend_choice::cpu, 0, 0});
  select_k::params p;
  p.k_min = 2;
  p.k_max = 6;
  const auto r = select_k::sweep(ctx, x.view(), p);
  EXPECT_EQ(r.per_k.back().k, 3);
  ASSERT_FALSE(r.warnings.empty());
  EXPECT_NE(r.warnings[0].find("distinct"), std::string::npos);
}

TEST(SelectK, SingleKIsReportedAsGiven) {
  matrix x(10, 1);
  for (int64_t i = 0; i < 10; ++i) x(i, 0) = static_cast<float>(i);
  context ctx({backend_choice::cpu, 0, 0});
  select_k::params p;
  p.k_min = p.k_max = 1;
  const auto r = select_k::sweep(ctx, x.view(), p);
  EXPECT_EQ(r.chosen_k, 1);
  EXPECT_TRUE(std::isnan(r.per_k[0].scores.silhouette));
  EXPECT_NE(r.reason.find("given"), std::string::npos);
}

}  // namespace
