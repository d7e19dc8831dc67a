// CPU ↔ CUDA parity of the K-Means operations: assignment (fused and SGEMM paths), fetch, farthest rows,
// k-means++ passes, gather; over the edge-case sizes and widths; run-to-run bitwise equality.
#include <algorithm>
#include <cstring>
#include <numeric>

#include "gpu_support.hpp"

namespace segmint::gpu_test {
namespace {

using detail::assign_partials;

struct assign_case {
  int64_t n;
  int64_t d;
  int k;
};

/// One assign() on both backends, then every output compared (docs/architecture.md §4 tolerances).
void compare_assign(const matrix& x, const matrix& c, cuda::detail::cuda_backend& gpu, const std::string& what) {
  detail::cpu_backend cpu(1);
  cpu.load(x.view());
  gpu.load(x.view());
  const assign_partials a = cpu.assign(c.view());
  const assign_partials b = gpu.assign(c.view());
  const auto n = static_cast<size_t>(x.rows());
  std::vector<int32_t> la(n), lb(n);
  std::vector<float> da(n), db(n);
  cpu.fetch_assignment(la, da);
  gpu.fetch_assignment(lb, db);
  int64_t ties = 0;
  for (size_t i = 0; i < n; ++i) {
    if (la[i] != lb[i]) {
      ASSERT_TRUE(near_tie(x, c, static_cast<int64_t>(i))) << what << ": row " << i << " labels " << la[i] << " vs " << lb[i];
      ++ties;
      continue;
    }
    double norms = 0;
    for (int64_t j = 0; j < x.cols(); ++j)
      norms += static_cast<double>(x(static_cast<int64_t>(i), j)) * x(static_cast<int64_t>(i), j) +
               static_cast<double>(c(la[i], j)) * c(la[i], j);
    ASSERT_NEAR(da[i], db[i], sq_dist_bound(x.cols(), norms)) << what << ": squared distance of row " << i;
  }
  EXPECT_LE(static_cast<double>(ties), max_tie_fraction * static_cast<double>(n) + 1) << what;
  EXPECT_EQ(a.changed, b.changed) << what;
  if (ties > 0) return;  // sums and counts legitimately differ when a near-tie row moved
  EXPECT_EQ(a.counts, b.counts) << what;
  expect_close(a.sums, b.sums, sum_rel, abs_sum(x) / std::max<double>(1, static_cast<double>(c.rows())), what + " sums");
  EXPECT_NEAR(a.inertia, b.inertia, inertia_rel * std::max(1.0, a.inertia)) << what;
}

/// Row i of x as d values (the seeding operations take points).
std::vector<float> row_values(const matrix& x, int64_t i) {
  std::vector<float> v(static_cast<size_t>(x.cols()));
  for (int64_t j = 0; j < x.cols(); ++j) v[static_cast<size_t>(j)] = x(i, j);
  return v;
}

TEST(CudaKmeans, AssignMatchesCpuOverSizesAndWidths) {
  SEGMINT_REQUIRE_DEVICE();
  auto gpu = make_gpu();
  for (int64_t n : sizes())
    for (int64_t d : dims())
      for (int k : {1, 3, 8}) {
        const matrix x = blobs(n, d, 4);
        compare_assign(x, pick_centroids(x, k), *gpu, "n=" + std::to_string(n) + " d=" + std::to_string(d) + " k=" + std::to_string(k));
      }
}

TEST(CudaKmeans, EmptyTable) {
  SEGMINT_REQUIRE_DEVICE();
  auto gpu = make_gpu();
  const matrix x(0, 5);
  gpu->load(x.view());
  const matrix c(3, 5);
  const assign_partials p = gpu->assign(c.view());
  EXPECT_EQ(p.sums, std::vector<double>(15, 0.0));
  EXPECT_EQ(p.counts, std::vector<int64_t>(3, 0));
  EXPECT_EQ(p.inertia, 0.0);
  EXPECT_EQ(p.changed, 0);
  EXPECT_TRUE(gpu->farthest_rows(2).empty());
  EXPECT_EQ(gpu->column_moments().rows, 0);
}

TEST(CudaKmeans, GemmPathMatchesCpu) {
  SEGMINT_REQUIRE_DEVICE();
  for (const assign_case& t : std::vector<assign_case>{{5000, 16, 64}, {4097, 33, 100}, {3000, 1, 70}, {20000, 8, 300}}) {
    const matrix x = blobs(t.n, t.d, 12);
    auto gpu = make_gpu();  // k ≥ 64: the SGEMM path
    compare_assign(x, pick_centroids(x, t.k), *gpu, "gemm n=" + std::to_string(t.n) + " k=" + std::to_string(t.k));
  }
  const matrix x = blobs(6000, 31, 5);
  auto forced = make_gpu();
  forced->set_gemm_min_k(1);  // the SGEMM path at small k too
  compare_assign(x, pick_centroids(x, 5), *forced, "forced gemm k=5");
}

TEST(CudaKmeans, ResetLabelsAndChangedCounts) {
  SEGMINT_REQUIRE_DEVICE();
  const matrix x = blobs(3001, 4, 3);
  const matrix c = pick_centroids(x, 3);
  auto gpu = make_gpu();
  gpu->load(x.view());
  EXPECT_EQ(gpu->assign(c.view()).changed, 3001);  // after load: every row is new
  EXPECT_EQ(gpu->assign(c.view()).changed, 0);
  gpu->reset_labels();
  EXPECT_EQ(gpu->assign(c.view()).changed, 3001);
  const matrix c4 = pick_centroids(x, 4);
  EXPECT_EQ(gpu->assign(c4.view()).changed, 3001);  // another k forgets the labels, as the CPU
}

TEST(CudaKmeans, RunToRunBitwise) {
  SEGMINT_REQUIRE_DEVICE();
  const matrix x = blobs(100003, 17, 6);
  for (int k : {6, 64}) {
    const matrix c = pick_centroids(x, k);
    auto g1 = make_gpu();
    auto g2 = make_gpu();
    g1->load(x.view());
    g2->load(x.view());
    const assign_partials a = g1->assign(c.view());
    const assign_partials b = g2->assign(c.view());
    EXPECT_EQ(a.sums, b.sums) << k;  // exact equality of doubles: bitwise
    EXPECT_EQ(a.counts, b.counts);
    EXPECT_EQ(std::memcmp(&a.inertia, &b.inertia, sizeof(double)), 0);
    const std::vector<float> p5 = row_values(x, 5);
    EXPECT_EQ(g1->seed_start(p5), g2->seed_start(p5));
    EXPECT_EQ(g1->column_moments().covariance, g2->column_moments().covariance);
  }
}

TEST(CudaKmeans, FarthestRowsMatchCpuWithTies) {
  SEGMINT_REQUIRE_DEVICE();
  matrix x = blobs(70001, 3, 4);
  for (int64_t i = 0; i < 500; ++i)  // duplicated rows: tied distances
    for (int64_t j = 0; j < 3; ++j) x(1000 + i, j) = x(50000 + i, j) = 40.0f;
  const matrix c = pick_centroids(x, 4);
  detail::cpu_backend cpu(1);
  auto gpu = make_gpu();
  cpu.load(x.view());
  gpu->load(x.view());
  cpu.assign(c.view());
  gpu->assign(c.view());
  for (int64_t m : quick() ? std::vector<int64_t>{1, 2, 7, 60} : std::vector<int64_t>{1, 2, 7, 600})  // m scans each
    EXPECT_EQ(cpu.farthest_rows(m), gpu->farthest_rows(m)) << m;
}

TEST(CudaKmeans, SeedingPassesMatchCpu) {
  SEGMINT_REQUIRE_DEVICE();
  for (int64_t n : {1, 9, 4097, 70001}) {
    const matrix x = blobs(n, 5, 3);
    detail::cpu_backend cpu(1);
    auto gpu = make_gpu();
    cpu.load(x.view());
    gpu->load(x.view());
    const double pa = cpu.seed_start(row_values(x, n / 2));
    const double pb = gpu->seed_start(row_values(x, n / 2));
    EXPECT_NEAR(pa, pb, inertia_rel * std::max(1.0, pa)) << n;
    std::vector<double> targets;
    for (double f : {0.0, 0.1, 0.37, 0.5, 0.999}) targets.push_back(f * pa);
    const auto sa = cpu.seed_sample(targets);
    const auto sb = gpu->seed_sample(targets);
    for (size_t i = 0; i < targets.size(); ++i)  // same rule; only a target within rounding of a boundary may differ
      EXPECT_LE(std::abs(sa[i] - sb[i]), 1) << "n=" << n << " target " << i;
    std::vector<int64_t> cand{0, n - 1, n / 3};
    const matrix cand_rows = cpu.gather_rows(cand);
    expect_close(cpu.seed_trial(cand_rows.view()), gpu->seed_trial(cand_rows.view()), inertia_rel, 1.0,
                 "seed_trial n=" + std::to_string(n));
    const double ca = cpu.seed_commit(row_values(x, n / 3));
    EXPECT_NEAR(ca, gpu->seed_commit(row_values(x, n / 3)), inertia_rel * std::max(1.0, ca));
    std::vector<int64_t> many(20);
    std::iota(many.begin(), many.end(), 0);
    for (auto& r : many) r %= n;
    const matrix many_rows = cpu.gather_rows(many);
    expect_close(cpu.seed_trial(many_rows.view()), gpu->seed_trial(many_rows.view()), inertia_rel, 1.0, "20 candidates");
  }
}

TEST(CudaKmeans, GatherRowsExact) {
  SEGMINT_REQUIRE_DEVICE();
  const matrix x = blobs(1025, 33, 2);
  auto gpu = make_gpu();
  gpu->load(x.view());
  const std::vector<int64_t> rows{0, 1024, 7, 7, 512};
  const matrix g = gpu->gather_rows(rows);
  for (size_t r = 0; r < rows.size(); ++r)
    for (int64_t j = 0; j < 33; ++j) EXPECT_EQ(g(static_cast<int64_t>(r), j), x(rows[r], j));
  EXPECT_THROW(gpu->gather_rows(std::vector<int64_t>{1025}), segmint::error);
}

}  // namespace
}  // namespace segmint::gpu_test
