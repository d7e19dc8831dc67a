#include <gtest/gtest.h>

#include <cmath>

#include "../support/test_support.hpp"
#include "segmint/error.hpp"
#include "segmint/preprocess.hpp"

using namespace segmint;

namespace {

feature_table table_of(std::vector<std::vector<float>> cols, std::vector<std::string> names) {
  feature_table t;
  t.source = "t.csv";
  const auto n = static_cast<int64_t>(cols[0].size());
  t.values = matrix(n, static_cast<int64_t>(cols.size()));
  for (size_t j = 0; j < cols.size(); ++j) {
    feature_info f;
    f.name = f.source = names[j];
    t.features.push_back(f);
    for (int64_t i = 0; i < n; ++i) t.values(i, static_cast<int64_t>(j)) = cols[j][static_cast<size_t>(i)];
  }
  for (int64_t i = 0; i < n; ++i) t.lines.push_back(i + 2);
  return t;
}

TEST(Preprocess, StandardisesWithThePopulationStandardDeviation) {
  const auto t = table_of({{1, 2, 3, 4}, {10, 10, 10, 10}, {0, 0, 0, 8}}, {"a", "const", "b"});
  context ctx({backend_choice::cpu, 0, 0});
  std::vector<std::string> warnings;
  const auto m = fit_preprocess(ctx, t, {}, warnings);
  ASSERT_EQ(m.columns.size(), 2u);
  EXPECT_EQ(m.dropped_constant, (std::vector<std::string>{"const"}));
  EXPECT_DOUBLE_EQ(m.columns[0].mean, 2.5);
  EXPECT_DOUBLE_EQ(m.columns[0].scale, std::sqrt(1.25));  // StandardScaler: ddof = 0
  const matrix z = apply_preprocess(m, t);
  EXPECT_FLOAT_EQ(z(0, 0), static_cast<float>(-1.5 / std::sqrt(1.25)));
  EXPECT_FLOAT_EQ(z(3, 1), static_cast<float>((8 - 2) / std::sqrt(12.0)));
  EXPECT_FALSE(warnings.empty());
}

TEST(Preprocess, LogAutoPicksSkewedNonNegativeColumns) {
  std::vector<float> skewed;
  std::vector<float> symmetric;
  std::vector<float> negative;
  for (int i = 0; i < 200; ++i) {
    skewed.push_back(std::pow(1.05f, static_cast<float>(i)));
    symmetric.push_back(static_cast<float>(i));
    negative.push_back(i == 0 ? -1.0f : std::pow(1.05f, static_cast<float>(i)));
  }
  const auto t = table_of({skewed, symmetric, negative}, {"spend", "age", "balance"});
  context ctx({backend_choice::cpu, 0, 0});
  std::vector<std::string> warnings;
  preprocess_params p;
  p.log_auto = true;
  const auto m = fit_preprocess(ctx, t, p, warnings);
  EXPECT_EQ(m.log_auto_selected, (std::vector<std::string>{"spend"}));
  EXPECT_TRUE(m.columns[0].log1p);
  EXPECT_FALSE(m.columns[1].log1p);
  EXPECT_FALSE(m.columns[2].log1p);
  EXPECT_NEAR(m.columns[0].mean, [&] {
    double s = 0;
    for (float v : skewed) s += std::log1p(static_cast<double>(v));
    return s / 200;
  }(), 1e-12);
}

TEST(Preprocess, ExplicitLogOfNegativeColumnIsAnError) {
  const auto t = table_of({{-1, 2, 3}}, {"x"});
  context ctx({backend_choice::cpu, 0, 0});
  std::vector<std::string> w;
  preprocess_params p;
  p.log_columns = {"x"};
  EXPECT_THROW(fit_preprocess(ctx, t, p, w), input_error);
  p.log_columns = {"nope"};
  EXPECT_THROW(fit_preprocess(ctx, t, p, w), input_error);
}

TEST(Preprocess, AllConstantIsAnError) {
  const auto t = table_of({{1, 1, 1}, {2, 2, 2}}, {"a", "b"});
  context ctx({backend_choice::cpu, 0, 0});
  std::vector<std::string> w;
  EXPECT_THROW(fit_preprocess(ctx, t, {}, w), input_error);
}

TEST(Preprocess, PcaProjectionIsStoredAndReapplied) {
  std::vector<float> a;
  std::vector<float> b;
  std::vector<float> c;
  for (int i = 0; i < 100; ++i) {
    a.push_back(static_cast<float>(i));
    b.push_back(static_cast<float>(2 * i + (i % 7)));
    c.push_back(static_cast<float>((i * 37) % 11));
  }
  const auto t = table_of({a, b, c}, {"a", "b", "c"});
  context ctx({backend_choice::cpu, 0, 0});
  std::vector<std::string> w;
  preprocess_params p;
  p.pca = pca::params{.components = 2};
  const auto m = fit_preprocess(ctx, t, p, w);
  ASSERT_TRUE(m.pca);
  EXPECT_EQ(m.output_names(), (std::vector<std::string>{"PC1", "PC2"}));
  const matrix z = apply_preprocess(m, t);
  EXPECT_EQ(z.cols(), 2);
  // The first component of standardised, strongly correlated a and b explains well over half the variance.
  EXPECT_GT(m.pca->explained_variance_ratio[0], 0.6);
  // Projected data has zero mean and the explained variance on each axis.
  double mean = 0;
  double var = 0;
  for (int64_t i = 0; i < 100; ++i) mean += z(i, 0);
  mean /= 100;
  for (int64_t i = 0; i < 100; ++i) var += (z(i, 0) - mean) * (z(i, 0) - mean);
  EXPECT_NEAR(mean, 0, 1e-5);
  EXPECT_NEAR(var / 99, m.pca->explained_variance[0], 1e-4);
}

}  // namespace
