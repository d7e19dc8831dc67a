// The report map's PCA for wide tables (host/report/sample_pca): against the full PCA on the same rows.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "../../host/report/sample_pca.hpp"
#include "segmint/context.hpp"
#include "segmint/pca.hpp"

using namespace segmint;

namespace {

/// m × d rows near a plane: two strong directions (variances 25 and 4) plus small noise.
matrix plane_data(int64_t m, int64_t d, uint32_t seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> g(0.0f, 1.0f);
  std::vector<float> a(static_cast<size_t>(d)), b(static_cast<size_t>(d));
  for (auto& v : a) v = g(rng);
  for (auto& v : b) v = g(rng);
  matrix x(m, d);
  for (int64_t i = 0; i < m; ++i) {
    const float s = 5.0f * g(rng), t = 2.0f * g(rng);
    for (int64_t j = 0; j < d; ++j) x(i, j) = 3.0f + s * a[j] / std::sqrt(float(d)) + t * b[j] / std::sqrt(float(d)) + 0.05f * g(rng);
  }
  return x;
}

TEST(SamplePca, MatchesTheFullPcaOnTheSameRows) {
  for (const int64_t d : {3, 130, 600}) {
    SCOPED_TRACE("d = " + std::to_string(d));
    const matrix x = plane_data(400, d, 7);
    context ctx(context_options{backend_choice::cpu, 0, 0});
    const pca::model full = pca::fit(ctx, x.view(), {.components = 2});
    const pca::model fast = detail::sample_pca2(x.view());
    ASSERT_EQ(fast.components.cols(), 2);
    for (int q = 0; q < 2; ++q) {
      double dot = 0;
      for (int64_t j = 0; j < d; ++j) dot += double(full.components(j, q)) * double(fast.components(j, q));
      EXPECT_NEAR(dot, 1.0, 1e-4) << "component " << q << ": same direction and the same sign convention";
      EXPECT_NEAR(fast.explained_variance[q], full.explained_variance[q], 1e-3 * full.explained_variance[q]);
      EXPECT_NEAR(fast.explained_variance_ratio[q], full.explained_variance_ratio[q], 1e-4);
    }
    EXPECT_GT(fast.explained_variance_ratio[0], fast.explained_variance_ratio[1]);
  }
}

TEST(SamplePca, DeterministicAndFiniteOnDegenerateRows) {
  matrix x(5, 200);  // every row equal: no variance at all
  for (int64_t j = 0; j < 200; ++j)
    for (int64_t i = 0; i < 5; ++i) x(i, j) = float(j);
  const pca::model a = detail::sample_pca2(x.view());
  const pca::model b = detail::sample_pca2(x.view());
  for (int q = 0; q < 2; ++q) {
    EXPECT_EQ(a.explained_variance_ratio[q], 0.0);
    for (int64_t j = 0; j < 200; ++j) {
      EXPECT_TRUE(std::isfinite(a.components(j, q)));
      EXPECT_EQ(a.components(j, q), b.components(j, q));
    }
  }
}

}  // namespace
