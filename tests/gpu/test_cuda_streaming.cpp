// Streaming: with the smallest device-memory budget the table is streamed in chunks of 65,536 rows; every
// operation must give exactly (bitwise) what the resident mode gives, at chunk boundaries ± 1 too.
#include <numeric>

#include "gpu_support.hpp"
#include "segmint/cuda.hpp"

namespace segmint::gpu_test {
namespace {

using kind = detail::gmm_responsibilities::kind;

void expect_same(const detail::assign_partials& a, const detail::assign_partials& b, const std::string& what) {
  EXPECT_EQ(a.sums, b.sums) << what;
  EXPECT_EQ(a.counts, b.counts) << what;
  EXPECT_EQ(a.inertia, b.inertia) << what;
  EXPECT_EQ(a.changed, b.changed) << what;
}

void expect_same(const detail::gmm_partials& a, const detail::gmm_partials& b, const std::string& what) {
  EXPECT_EQ(a.nk, b.nk) << what;
  EXPECT_EQ(a.sums, b.sums) << what;
  EXPECT_EQ(a.second, b.second) << what;
  EXPECT_EQ(a.log_likelihood, b.log_likelihood) << what;
  EXPECT_EQ(a.least_likely_row, b.least_likely_row) << what;
}

/// Every operation once on `be`, results appended to `log` for a bitwise comparison.
struct op_results {
  std::vector<detail::assign_partials> assigns;
  std::vector<int32_t> labels;
  std::vector<float> sq_dist;
  std::vector<int64_t> farthest, samples;
  std::vector<double> potentials, trials, covariance, silhouette, gmm_ll;
  std::vector<detail::gmm_partials> gmm;
  std::vector<int32_t> gmm_labels;
  std::vector<float> gmm_prob;
  std::vector<float> gathered;
};

op_results run_all(cuda::detail::cuda_backend& be, const matrix& x, int k) {
  op_results r;
  be.load(x.view());
  const int64_t n = x.rows();
  const matrix c = pick_centroids(x, k);
  r.assigns.push_back(be.assign(c.view()));
  r.labels.resize(static_cast<size_t>(n));
  r.sq_dist.resize(static_cast<size_t>(n));
  be.fetch_assignment(r.labels, r.sq_dist);
  r.farthest = be.farthest_rows(3);
  auto row = [&](int64_t i) {
    std::vector<float> v(static_cast<size_t>(x.cols()));
    for (int64_t j = 0; j < x.cols(); ++j) v[static_cast<size_t>(j)] = x(i, j);
    return v;
  };
  r.potentials.push_back(be.seed_start(row(n - 1)));
  r.potentials.push_back(be.seed_commit(row(0)));
  r.samples = be.seed_sample(std::vector<double>{0.0, 0.5 * r.potentials.back(), 0.9999 * r.potentials.back()});
  const matrix trial_points = be.gather_rows(std::vector<int64_t>{n / 2, n - 1});
  r.trials = be.seed_trial(trial_points.view());
  r.assigns.push_back(be.cluster_sums(r.labels, k));
  const auto disp = be.dispersion(r.labels, c.view());
  r.potentials.insert(r.potentials.end(), disp.sq_dist_sums.begin(), disp.sq_dist_sums.end());
  r.potentials.insert(r.potentials.end(), disp.dist_sums.begin(), disp.dist_sums.end());
  r.covariance = be.column_moments().covariance;
  std::vector<int64_t> sample(static_cast<size_t>(std::min<int64_t>(n, 500)));
  std::iota(sample.begin(), sample.end(), n - static_cast<int64_t>(sample.size()));
  std::vector<std::vector<int32_t>> sl(1);
  for (int64_t s : sample) sl[0].push_back(r.labels[static_cast<size_t>(s)] >= 0 ? r.labels[static_cast<size_t>(s)] : 0);
  r.silhouette = be.silhouette(sample, sl)[0];
  const detail::gmm_responsibilities random{kind::random, nullptr, {}, 3};
  r.gmm.push_back(be.gmm_pass(random, gmm::covariance_type::full, k));
  const detail::gmm_responsibilities by_labels{kind::labels, nullptr, r.labels, 0};
  r.gmm.push_back(be.gmm_pass(by_labels, gmm::covariance_type::diag, k));
  const matrix g = be.gather_rows(std::vector<int64_t>{0, n - 1, n / 2});
  r.gathered.assign(g.values().begin(), g.values().end());
  return r;
}

TEST(CudaStreaming, StreamedEqualsResidentBitwise) {
  SEGMINT_REQUIRE_DEVICE();
  const std::vector<int64_t> ns = quick() ? std::vector<int64_t>{65537} : std::vector<int64_t>{65535, 65536, 65537, 131071, 131073};
  for (int64_t n : ns) {
    for (int64_t d : {int64_t{1}, int64_t{3}, int64_t{33}}) {
      const matrix x = blobs(n, d, 4);
      auto resident = make_gpu();
      auto streamed = make_gpu(streaming_budget);
      const op_results a = run_all(*resident, x, 4);
      const op_results b = run_all(*streamed, x, 4);
      ASSERT_FALSE(resident->streaming());
      ASSERT_TRUE(streamed->streaming());
      EXPECT_EQ(streamed->chunk_rows(), 65536);
      const std::string what = "n=" + std::to_string(n) + " d=" + std::to_string(d);
      for (size_t i = 0; i < a.assigns.size(); ++i) expect_same(a.assigns[i], b.assigns[i], what + " assign/sums");
      EXPECT_EQ(a.labels, b.labels) << what;
      EXPECT_EQ(a.sq_dist, b.sq_dist) << what;
      EXPECT_EQ(a.farthest, b.farthest) << what;
      EXPECT_EQ(a.potentials, b.potentials) << what;
      EXPECT_EQ(a.samples, b.samples) << what;
      EXPECT_EQ(a.trials, b.trials) << what;
      EXPECT_EQ(a.covariance, b.covariance) << what;
      EXPECT_EQ(a.silhouette, b.silhouette) << what;
      for (size_t i = 0; i < a.gmm.size(); ++i) expect_same(a.gmm[i], b.gmm[i], what + " gmm");
      EXPECT_EQ(a.gathered, b.gathered) << what;
    }
  }
}

TEST(CudaStreaming, GemmPathStreamedEqualsResident) {
  SEGMINT_REQUIRE_DEVICE();
  const matrix x = blobs(quick() ? 70000 : 200003, 9, 20);
  const matrix c = pick_centroids(x, 96);  // k ≥ 64: SGEMM tiles must start at the same rows in both modes
  auto resident = make_gpu();
  auto streamed = make_gpu(streaming_budget);
  resident->load(x.view());
  streamed->load(x.view());
  expect_same(resident->assign(c.view()), streamed->assign(c.view()), "gemm");
}

TEST(CudaStreaming, GmmScoreStreamedEqualsResident) {
  SEGMINT_REQUIRE_DEVICE();
  const int64_t n = 131073;
  const matrix x = blobs(n, 4, 3);
  detail::gmm_estep_params e;
  e.type = gmm::covariance_type::diag;
  e.k = 3;
  e.d = 4;
  const matrix c = pick_centroids(x, 3);
  for (int64_t j = 0; j < 4; ++j)
    for (int ci = 0; ci < 3; ++ci) e.means.push_back(c(ci, j));
  e.prec_chol.assign(12, 0.8);
  e.log_weights.assign(3, -std::log(3.0));
  e.log_det.assign(3, 4 * std::log(0.8));
  std::vector<int32_t> la(n), lb(n);
  std::vector<float> pa(n), pb(n), ra(3 * n), rb(3 * n);
  auto resident = make_gpu();
  auto streamed = make_gpu(streaming_budget);
  resident->load(x.view());
  streamed->load(x.view());
  EXPECT_EQ(resident->gmm_score(e, la, pa, ra), streamed->gmm_score(e, lb, pb, rb));
  EXPECT_EQ(la, lb);
  EXPECT_EQ(pa, pb);
  EXPECT_EQ(ra, rb);
}

// Out of device memory at upload: the backend streams instead (same results). Most of the free memory is
// taken first, then a 2 GB table is loaded with a budget far above the device's memory.
TEST(CudaStreaming, OutOfMemoryAtUploadFallsBackToStreaming) {
  SEGMINT_REQUIRE_DEVICE();
  if (quick()) GTEST_SKIP() << "quick mode (sanitizers): the 2 GB table is skipped";
  const int64_t n = 8 << 20;
  const int64_t d = 64;
  matrix x(n, d);
  for (int64_t j = 0; j < d; ++j)
    for (int64_t i = 0; i < n; ++i) x(i, j) = static_cast<float>((i * 7 + j * 13) % 101) * 0.1f + static_cast<float>(i % 5);
  const matrix c = pick_centroids(x, 5);
  auto reference = make_gpu();
  reference->load(x.view());
  ASSERT_FALSE(reference->streaming());
  const detail::assign_partials expected = reference->assign(c.view());
  reference.reset();
  // Give the pool's cached blocks back to the driver, so the free memory below is really free.
  int device = 0;
  cudaMemPool_t pool = nullptr;
  SEGMINT_CUDA_TRY(cudaGetDevice(&device));
  SEGMINT_CUDA_TRY(cudaDeviceGetDefaultMemPool(&pool, device));
  SEGMINT_CUDA_TRY(cudaDeviceSynchronize());
  SEGMINT_CUDA_TRY(cudaMemPoolTrimTo(pool, 0));
  size_t free_bytes = 0;
  size_t total_bytes = 0;
  SEGMINT_CUDA_TRY(cudaMemGetInfo(&free_bytes, &total_bytes));
  cuda::stream s;
  const size_t leave = size_t{1} << 30;  // 1 GB stays free: the per-row arrays and the chunks fit, the table does not
  cuda::device_buffer<std::byte> hog(free_bytes > leave ? free_bytes - leave : 1, s);
  s.synchronize();
  auto gpu = make_gpu(int64_t{1} << 40);
  gpu->load(x.view());
  EXPECT_TRUE(gpu->streaming());
  const detail::assign_partials got = gpu->assign(c.view());
  expect_same(expected, got, "after the fallback");
}

TEST(CudaStreaming, TinyBudgetForcesStreamingThroughTheContext) {
  SEGMINT_REQUIRE_DEVICE();
  cuda::register_backend();
  context ctx({backend_choice::cuda, 0, 0, 1});
  const matrix x = blobs(1000, 2, 2);
  ctx.load(x.view());
  EXPECT_NE(ctx.device_description().find("streamed in chunks of 65536 rows"), std::string::npos)
      << ctx.device_description();
}

}  // namespace
}  // namespace segmint::gpu_test
