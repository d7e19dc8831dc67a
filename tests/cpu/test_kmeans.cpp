#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "../../host/algo/backend.hpp"
#include "../support/test_support.hpp"
#include "segmint/error.hpp"
#include "segmint/kmeans.hpp"

using namespace segmint;

namespace {

context_options cpu(int threads = 0) { return {backend_choice::cpu, threads, 0}; }

matrix random_matrix(int64_t n, int64_t d, uint32_t seed, float scale = 1.0f) {
  std::mt19937 gen(seed);
  std::normal_distribution<float> dist(0.0f, scale);
  matrix m(n, d);
  for (int64_t j = 0; j < d; ++j)
    for (int64_t i = 0; i < n; ++i) m(i, j) = dist(gen);
  return m;
}

matrix from_rows(std::initializer_list<std::initializer_list<float>> rows) {
  matrix m(static_cast<int64_t>(rows.size()), static_cast<int64_t>(rows.begin()->size()));
  int64_t i = 0;
  for (const auto& r : rows) {
    int64_t j = 0;
    for (float v : r) m(i, j++) = v;
    ++i;
  }
  return m;
}

// ---- the assignment kernel against a plain double-precision reference, at edge sizes ----

struct assign_case {
  int64_t n, d, k;
};

class AssignKernel : public ::testing::TestWithParam<assign_case> {};

TEST_P(AssignKernel, MatchesDoubleReference) {
  const auto [n, d, k] = GetParam();
  const matrix x = random_matrix(n, d, static_cast<uint32_t>(n * 131 + d * 7 + k));
  const matrix c = random_matrix(k, d, static_cast<uint32_t>(k + 99));
  context ctx(cpu());
  ctx.load(x.view());
  auto& be = ctx.backend();
  be.reset_labels();
  const detail::assign_partials p = be.assign(c.view());
  std::vector<int32_t> labels(static_cast<size_t>(n));
  std::vector<float> sq(static_cast<size_t>(n));
  be.fetch_assignment(labels, sq);
  EXPECT_EQ(p.changed, n);
  std::vector<double> sums(static_cast<size_t>(k * d), 0.0);
  std::vector<int64_t> counts(static_cast<size_t>(k), 0);
  double inertia = 0;
  for (int64_t i = 0; i < n; ++i) {
    std::vector<double> dist(static_cast<size_t>(k), 0.0);
    for (int64_t ci = 0; ci < k; ++ci)
      for (int64_t j = 0; j < d; ++j) dist[static_cast<size_t>(ci)] += std::pow(double(x(i, j)) - double(c(ci, j)), 2);
    std::vector<double> sorted = dist;
    std::sort(sorted.begin(), sorted.end());
    const int32_t l = labels[static_cast<size_t>(i)];
    // docs/architecture.md §4: labels agree wherever best and second best differ by more than the rounding bound.
    const double bound = 8 * static_cast<double>(d) * 6e-8 * (sorted[0] + 1.0);
    if (k > 1 && sorted[1] - sorted[0] > bound) {
      EXPECT_EQ(dist[static_cast<size_t>(l)], sorted[0]) << "row " << i;
    }
    EXPECT_NEAR(sq[static_cast<size_t>(i)], dist[static_cast<size_t>(l)], 1e-5 * (1 + dist[static_cast<size_t>(l)]));
    ++counts[static_cast<size_t>(l)];
    inertia += sq[static_cast<size_t>(i)];
    for (int64_t j = 0; j < d; ++j) sums[static_cast<size_t>(j * k + l)] += x(i, j);
  }
  EXPECT_EQ(p.counts, counts);
  EXPECT_NEAR(p.inertia, inertia, 1e-9 * (1 + inertia));
  for (size_t i = 0; i < sums.size(); ++i) EXPECT_NEAR(p.sums[i], sums[i], 1e-5 * (1 + std::fabs(sums[i]))) << i;
  // A second pass with the same centroids changes nothing.
  EXPECT_EQ(be.assign(c.view()).changed, 0);
}

INSTANTIATE_TEST_SUITE_P(EdgeSizes, AssignKernel,
                         ::testing::Values(assign_case{1, 1, 1}, assign_case{1, 3, 1}, assign_case{5, 2, 5},
                                           assign_case{31, 31, 3}, assign_case{32, 32, 4}, assign_case{33, 33, 2},
                                           assign_case{63, 1, 7}, assign_case{4095, 4, 16}, assign_case{4096, 5, 17},
                                           assign_case{4097, 16, 8}, assign_case{9001, 12, 6}, assign_case{2049, 3, 40}));

// ---- hand-computed cases ----

TEST(KMeans, TwoObviousGroups) {
  const matrix x = from_rows({{0, 0}, {0, 1}, {10, 10}, {10, 11}, {0, 0.5f}});
  context ctx(cpu());
  const auto r = kmeans::fit(ctx, x.view(), {.k = 2, .seed = 3});
  EXPECT_TRUE(r.converged);
  EXPECT_EQ(r.labels[0], r.labels[1]);
  EXPECT_EQ(r.labels[0], r.labels[4]);
  EXPECT_EQ(r.labels[2], r.labels[3]);
  EXPECT_NE(r.labels[0], r.labels[2]);
  // Centroids (0, 0.5) and (10, 10.5): inertia = 0.25 + 0.25 + 0 + 0.25 + 0.25.
  EXPECT_NEAR(r.inertia, 1.0, 1e-6);
}

TEST(KMeans, FixedInitFollowsLloydByHand) {
  // 1-D points 0 1 2 10 11 12 from centroids 0 and 2. Pass 1: 1 is equidistant → the lower index, so
  // {0,1} {2,10,11,12}, inertia 0+1+0+64+81+100 = 246, means 0.5 and 8.75. Pass 2: {0,1,2} {10,11,12},
  // inertia 0.25+0.25+2.25+1.5625+5.0625+10.5625 = 19.9375, means 1 and 11. Pass 3: no change, inertia 4.
  const matrix x = from_rows({{0}, {1}, {2}, {10}, {11}, {12}});
  kmeans::params p;
  p.k = 2;
  p.tol = 0;
  p.init = from_rows({{0}, {2}});
  context ctx(cpu());
  const auto r = kmeans::fit(ctx, x.view(), p);
  EXPECT_EQ(r.iterations, 3);
  EXPECT_TRUE(r.converged);
  EXPECT_EQ(r.centroids(0, 0), 1.0f);
  EXPECT_EQ(r.centroids(1, 0), 11.0f);
  EXPECT_EQ(r.labels, (std::vector<int32_t>{0, 0, 0, 1, 1, 1}));
  ASSERT_EQ(r.inertia_trace.size(), 3u);
  EXPECT_DOUBLE_EQ(r.inertia_trace[0], 246.0);
  EXPECT_DOUBLE_EQ(r.inertia_trace[1], 19.9375);
  EXPECT_DOUBLE_EQ(r.inertia, 4.0);
}

TEST(KMeans, InertiaNeverIncreases) {
  const matrix x = random_matrix(3000, 6, 5);
  context ctx(cpu());
  for (int k : {2, 5, 12}) {
    const auto r = kmeans::fit(ctx, x.view(), {.k = k, .tol = 0, .n_init = 3, .seed = 9});
    for (size_t i = 1; i < r.inertia_trace.size(); ++i)
      EXPECT_LE(r.inertia_trace[i], r.inertia_trace[i - 1] * (1 + 1e-9)) << "k=" << k << " pass " << i;
  }
}

TEST(KMeans, BitwiseIdenticalAcrossThreadCounts) {
  const matrix x = random_matrix(20000, 7, 11);
  context one(cpu(1));
  context two(cpu(2));
  const auto a = kmeans::fit(one, x.view(), {.k = 6, .n_init = 3, .seed = 4});
  const auto b = kmeans::fit(two, x.view(), {.k = 6, .n_init = 3, .seed = 4});
  EXPECT_EQ(a.labels, b.labels);
  EXPECT_EQ(a.inertia, b.inertia);  // bitwise
  EXPECT_EQ(std::vector<float>(a.centroids.values().begin(), a.centroids.values().end()),
            std::vector<float>(b.centroids.values().begin(), b.centroids.values().end()));
  const auto c = kmeans::fit(two, x.view(), {.k = 6, .n_init = 3, .seed = 4});
  EXPECT_EQ(a.labels, c.labels);
}

TEST(KMeans, DifferentSeedsCanDifferButSameSeedRepeats) {
  const matrix x = random_matrix(500, 3, 2);
  context ctx(cpu());
  const auto a = kmeans::fit(ctx, x.view(), {.k = 4, .n_init = 1, .seed = 1});
  const auto b = kmeans::fit(ctx, x.view(), {.k = 4, .n_init = 1, .seed = 1});
  EXPECT_EQ(a.labels, b.labels);
  EXPECT_EQ(a.inertia, b.inertia);
}

TEST(KMeans, KLargerThanRowsOrDistinctRowsIsAClearError) {
  const matrix x = from_rows({{1, 1}, {1, 1}, {2, 2}, {2, 2}});
  context ctx(cpu());
  try {
    kmeans::fit(ctx, x.view(), {.k = 5});
    FAIL();
  } catch (const input_error& e) {
    EXPECT_NE(std::string(e.what()).find("number of rows"), std::string::npos) << e.what();
  }
  try {
    kmeans::fit(ctx, x.view(), {.k = 3});
    FAIL();
  } catch (const input_error& e) {
    EXPECT_NE(std::string(e.what()).find("distinct rows"), std::string::npos) << e.what();
  }
  const auto r = kmeans::fit(ctx, x.view(), {.k = 2});
  EXPECT_NEAR(r.inertia, 0.0, 1e-12);
  EXPECT_EQ(r.sizes, (std::vector<int64_t>{2, 2}));
}

TEST(KMeans, KEqualsOneIsTheMean) {
  const matrix x = from_rows({{1, 2}, {3, 4}, {5, 9}});
  context ctx(cpu());
  const auto r = kmeans::fit(ctx, x.view(), {.k = 1});
  EXPECT_FLOAT_EQ(r.centroids(0, 0), 3.0f);
  EXPECT_FLOAT_EQ(r.centroids(0, 1), 5.0f);
}

TEST(KMeans, EmptyClusterIsReseededAtTheFarthestRow) {
  // Start with a centroid far from every point: it gets no rows, is reseeded at the farthest point (100),
  // which then forms its own cluster.
  const matrix x = from_rows({{0}, {1}, {2}, {100}});
  kmeans::params p;
  p.k = 2;
  p.init = from_rows({{1}, {-1000}});
  context ctx(cpu());
  const auto r = kmeans::fit(ctx, x.view(), p);
  EXPECT_EQ(r.empty_reseeds, 1);
  EXPECT_EQ(r.labels[3], 1);
  EXPECT_EQ(r.centroids(1, 0), 100.0f);
  EXPECT_EQ(r.centroids(0, 0), 1.0f);
}

TEST(KMeans, RenumberBySizeKeepsLabelsConsistentWithCentroids) {
  const matrix x = random_matrix(2000, 4, 21);
  context ctx(cpu());
  auto r = kmeans::fit(ctx, x.view(), {.k = 5, .seed = 2});
  const double inertia = r.inertia;
  kmeans::renumber_by_size(ctx, x.view(), r);
  for (size_t c = 1; c < r.sizes.size(); ++c) EXPECT_GE(r.sizes[c - 1], r.sizes[c]);
  std::vector<int32_t> labels(2000);
  std::vector<float> sq(2000);
  kmeans::assign(ctx, x.view(), r.centroids.view(), labels, sq);
  EXPECT_EQ(labels, r.labels);
  EXPECT_NEAR(r.inertia, inertia, 1e-9 * inertia);
}

TEST(KMeans, ParameterValidation) {
  const matrix x = random_matrix(10, 2, 1);
  context ctx(cpu());
  EXPECT_THROW(kmeans::fit(ctx, x.view(), {.k = 0}), input_error);
  EXPECT_THROW(kmeans::fit(ctx, x.view(), {.k = 2, .max_iter = 0}), input_error);
  kmeans::params p;
  p.k = 2;
  p.init = matrix(3, 2);
  EXPECT_THROW(kmeans::fit(ctx, x.view(), p), input_error);
}

}  // namespace
