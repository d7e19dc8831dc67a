// The CPU Ward search: the float-filtered scan must return exactly what the double scan returns (same
// neighbour, same cost bits), on data chosen to stress the filter's error bound.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

#include "../../host/algo/rng.hpp"
#include "../../host/cpu/ward_search.hpp"

using segmint::detail::ward_neighbour;
using segmint::detail::ward_search;

namespace {

double uniform(uint64_t seed, uint64_t i) {
  return segmint::detail::random_uniform(seed, segmint::detail::rng_purpose::ward_sample, 7, i);
}

struct clusters {
  std::vector<double> centroids;  // m × d column-major
  std::vector<double> sizes;
  int64_t d = 0;
};

/// Runs the same random chain-like sequence (queries, preferred predecessors, merges with the found
/// neighbour) on a filtered and an unfiltered search and compares every answer.
void expect_filter_is_exact(const clusters& c, uint64_t seed, int threads = 1) {
  const auto m = static_cast<int64_t>(c.sizes.size());
  ward_search filtered(true);
  ward_search exact(false);
  filtered.begin(c.centroids, c.sizes, c.d);
  exact.begin(c.centroids, c.sizes, c.d);
  std::vector<int64_t> active(static_cast<size_t>(m));
  for (int64_t i = 0; i < m; ++i) active[static_cast<size_t>(i)] = i;
  std::vector<double> centroid(static_cast<size_t>(c.d));
  std::vector<double> row(c.centroids);  // current centroids, column-major m × d
  std::vector<double> size(c.sizes);
  uint64_t draw = 0;
  while (active.size() > 1) {
    const auto pick = [&] { return active[static_cast<size_t>(uniform(seed, draw++) * static_cast<double>(active.size()))]; };
    const int64_t q = pick();
    int64_t prefer = uniform(seed, draw++) < 0.5 ? pick() : -1;
    if (prefer == q) prefer = -1;
    const ward_neighbour a = filtered.nearest(q, prefer, threads);
    const ward_neighbour b = exact.nearest(q, prefer, 1);
    ASSERT_EQ(a.cluster, b.cluster) << "query " << q << " with " << active.size() << " active";
    ASSERT_EQ(std::memcmp(&a.cost, &b.cost, sizeof(double)), 0) << a.cost << " vs " << b.cost;
    const int64_t lo = std::min(q, a.cluster);
    const int64_t hi = std::max(q, a.cluster);
    const double nl = size[static_cast<size_t>(lo)];
    const double nh = size[static_cast<size_t>(hi)];
    for (int64_t j = 0; j < c.d; ++j) {
      double& h = row[static_cast<size_t>(j * m + hi)];
      h = (nl * row[static_cast<size_t>(j * m + lo)] + nh * h) / (nl + nh);
      centroid[static_cast<size_t>(j)] = h;
    }
    size[static_cast<size_t>(hi)] = nl + nh;
    filtered.merge(lo, hi, centroid, nl + nh);
    exact.merge(lo, hi, centroid, nl + nh);
    active.erase(std::find(active.begin(), active.end(), lo));
  }
}

clusters make(int64_t m, int64_t d, uint64_t seed, auto value, auto weight) {
  clusters c;
  c.d = d;
  c.centroids.resize(static_cast<size_t>(m * d));
  c.sizes.resize(static_cast<size_t>(m));
  for (int64_t i = 0; i < m; ++i) {
    for (int64_t j = 0; j < d; ++j) c.centroids[static_cast<size_t>(j * m + i)] = value(i, j, uniform(seed, static_cast<uint64_t>(i * d + j)));
    c.sizes[static_cast<size_t>(i)] = weight(i);
  }
  return c;
}

double normal(double u) { return std::sqrt(-2.0 * std::log(1.0 - u)) * std::cos(6.283185307179586 * u * 7.77); }
double one(int64_t) { return 1.0; }

TEST(WardSearch, FilterMatchesDoubleOnNormalData) {
  for (int64_t d : {1, 2, 5, 16, 33})
    expect_filter_is_exact(make(700, d, 1, [](int64_t, int64_t, double u) { return static_cast<double>(static_cast<float>(normal(u))); }, one), 2);
}

TEST(WardSearch, FilterMatchesDoubleFarFromTheOrigin) {
  // Values near 1e4 with unit spread: the float copy is centred, so the filter keeps its precision.
  expect_filter_is_exact(make(800, 3, 3, [](int64_t, int64_t, double u) { return 1e4 + normal(u); }, one), 4);
}

TEST(WardSearch, FilterMatchesDoubleWithMixedScalesAndTinyGaps) {
  // One feature 1000× the others, and pairs of points 1e-7 apart: float cannot tell those apart, so the
  // filter must keep them all and let the double costs decide.
  expect_filter_is_exact(make(600, 4, 5, [](int64_t i, int64_t j, double u) {
    const double base = (j == 0 ? 1000.0 : 1.0) * normal(u);
    return (i % 2 == 1) ? base : base + 1e-7 * static_cast<double>(j + 1);
  }, one), 6);
}

TEST(WardSearch, FilterMatchesDoubleWithDuplicatesAndWeights) {
  // Every point five times (mass ties: the filter overflows to the double scan) ...
  expect_filter_is_exact(make(500, 2, 7, [](int64_t i, int64_t j, double) { return std::floor(normal(uniform(8, static_cast<uint64_t>((i / 5) * 2 + j))) * 4); }, one), 9);
  // ... and weights from 1 to a million, as two-stage micro-clusters carry.
  expect_filter_is_exact(make(600, 6, 10, [](int64_t, int64_t, double u) { return normal(u); },
                              [](int64_t i) { return std::floor(std::pow(10.0, uniform(11, static_cast<uint64_t>(i)) * 6.0)); }), 12);
}

TEST(WardSearch, FilterMatchesDoubleOnASphereOfNearTies) {
  // Cluster 0 at the origin, the others at radii 1 + k·1e-10 in random directions: their costs to 0
  // differ far below float resolution, so only the error bound keeps the true nearest in the race.
  for (uint64_t seed : {21, 22, 23}) {
    const clusters c = make(400, 3, seed, [seed](int64_t i, int64_t j, double) {
      if (i == 0) return 0.0;
      double v[3];
      double norm = 0;
      for (int k = 0; k < 3; ++k) {
        v[k] = normal(uniform(seed + 100, static_cast<uint64_t>(i * 3 + k)));
        norm += v[k] * v[k];
      }
      const double radius = 1.0 + 1e-10 * static_cast<double>((i * 7919) % 397);
      return v[j] / std::sqrt(norm) * radius;
    }, one);
    ward_search filtered(true);
    ward_search exact(false);
    filtered.begin(c.centroids, c.sizes, c.d);
    exact.begin(c.centroids, c.sizes, c.d);
    const ward_neighbour a = filtered.nearest(0, -1, 1);
    const ward_neighbour b = exact.nearest(0, -1, 1);
    EXPECT_EQ(a.cluster, b.cluster);
    EXPECT_EQ(a.cost, b.cost);
    expect_filter_is_exact(c, seed);
  }
}

TEST(WardSearch, FilterMatchesDoubleOnThreadsAcrossParts) {
  expect_filter_is_exact(make(9000, 3, 13, [](int64_t, int64_t, double u) { return normal(u); }, one), 14, 2);
}

}  // namespace
