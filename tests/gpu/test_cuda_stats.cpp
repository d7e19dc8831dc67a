// CPU ↔ CUDA parity of the statistics passes: column moments, cluster sums, dispersion, exact silhouette,
// GMM passes (every covariance type and responsibility source) and scoring, and the Ward searches.
#include <algorithm>
#include <numeric>

#include "../../host/algo/gmm_math.hpp"
#include "../../host/cpu/ward_search.hpp"
#include "gpu_support.hpp"

namespace segmint::gpu_test {
namespace {

using gmm::covariance_type;

std::vector<int32_t> labels_for(int64_t n, int k, bool with_invalid) {
  std::vector<int32_t> l(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) l[static_cast<size_t>(i)] = static_cast<int32_t>((i * 31 + i / 7) % k);
  if (with_invalid && n > 10) {
    l[3] = -1;     // no cluster
    l[9] = k + 2;  // out of range: counted nowhere
  }
  return l;
}

TEST(CudaStats, ColumnMomentsMatchCpu) {
  SEGMINT_REQUIRE_DEVICE();
  for (int64_t n : sizes())
    for (int64_t d : dims()) {
      matrix x = blobs(n, d, 3);
      for (int64_t i = 0; i < n; ++i) x(i, 0) += 1000.0f;  // an offset column: the two-pass mean matters
      detail::cpu_backend cpu(1);
      auto gpu = make_gpu();
      cpu.load(x.view());
      gpu->load(x.view());
      const auto a = cpu.column_moments();
      const auto b = gpu->column_moments();
      const std::string what = "n=" + std::to_string(n) + " d=" + std::to_string(d);
      expect_close(a.mean, b.mean, sum_rel, 1.0, what + " mean");
      double scale = 0;
      for (int64_t j = 0; j < d; ++j) scale = std::max(scale, a.covariance[static_cast<size_t>(j * d + j)]);
      expect_close(a.covariance, b.covariance, sum_rel, std::max(scale, 1.0), what + " covariance");
      EXPECT_EQ(a.rows, b.rows);
    }
}

TEST(CudaStats, ClusterSumsAndDispersionMatchCpu) {
  SEGMINT_REQUIRE_DEVICE();
  for (int64_t n : sizes())
    for (int64_t d : {int64_t{1}, int64_t{33}})
      for (int k : {1, 5, 300}) {
        const matrix x = blobs(n, d, 4);
        const auto labels = labels_for(n, k, true);
        detail::cpu_backend cpu(1);
        auto gpu = make_gpu();
        cpu.load(x.view());
        gpu->load(x.view());
        const std::string what = "n=" + std::to_string(n) + " d=" + std::to_string(d) + " k=" + std::to_string(k);
        const auto a = cpu.cluster_sums(labels, k);
        const auto b = gpu->cluster_sums(labels, k);
        EXPECT_EQ(a.counts, b.counts) << what;
        expect_close(a.sums, b.sums, sum_rel, abs_sum(x) / k, what + " sums");
        const matrix centres = pick_centroids(x, k);
        const auto da = cpu.dispersion(labels, centres.view());
        const auto db = gpu->dispersion(labels, centres.view());
        EXPECT_EQ(da.counts, db.counts) << what;
        // Each row's squared distance is the CPU's bits (float, no FMA): only the summation order differs.
        expect_close(da.sq_dist_sums, db.sq_dist_sums, sum_rel, 1.0, what + " Σd²");
        expect_close(da.dist_sums, db.dist_sums, sum_rel, 1.0, what + " Σd");
      }
}

TEST(CudaStats, SilhouetteMatchesCpu) {
  SEGMINT_REQUIRE_DEVICE();
  for (int64_t m : quick() ? std::vector<int64_t>{1, 2, 300} : std::vector<int64_t>{1, 2, 257, 3001}) {
    for (int64_t d : dims()) {
      const matrix x = blobs(std::max<int64_t>(m * 2, 4), d, 3);
      std::vector<int64_t> sample(static_cast<size_t>(m));
      for (int64_t i = 0; i < m; ++i) sample[static_cast<size_t>(i)] = (i * 2 + 1) % x.rows();
      std::vector<std::vector<int32_t>> labels;
      for (int k : {2, 3, 7, 1}) labels.push_back(labels_for(m, std::min<int>(k, static_cast<int>(m)), false));
      detail::cpu_backend cpu(1);
      auto gpu = make_gpu();
      cpu.load(x.view());
      gpu->load(x.view());
      const auto a = cpu.silhouette(sample, labels);
      const auto b = gpu->silhouette(sample, labels);
      ASSERT_EQ(a.size(), b.size());
      // Same float distances and the same summation order as the CPU: equal up to the last bits.
      for (size_t l = 0; l < a.size(); ++l) expect_close(a[l], b[l], 1e-12, 1.0, "silhouette m=" + std::to_string(m));
    }
  }
}

TEST(CudaStats, SilhouetteOfEveryRowUsesTheResidentTable) {
  SEGMINT_REQUIRE_DEVICE();
  const matrix x = blobs(2000, 6, 4);
  std::vector<int64_t> all(2000);
  std::iota(all.begin(), all.end(), 0);
  const std::vector<std::vector<int32_t>> labels{labels_for(2000, 4, false), labels_for(2000, 9, false)};
  detail::cpu_backend cpu(1);
  auto gpu = make_gpu();
  cpu.load(x.view());
  gpu->load(x.view());
  const auto a = cpu.silhouette(all, labels);
  const auto b = gpu->silhouette(all, labels);
  for (size_t l = 0; l < a.size(); ++l) expect_close(a[l], b[l], 1e-12, 1.0, "all rows");
}

/// A mixture from a labelled pass on the CPU, as the EM driver builds it.
detail::gmm_estep_params mixture_params(detail::cpu_backend& cpu, const std::vector<int32_t>& labels, covariance_type t,
                                        int k, int64_t d, int64_t n) {
  const detail::gmm_responsibilities r{detail::gmm_responsibilities::kind::labels, nullptr, labels, 0};
  gmm::mixture m = detail::mixture_from_stats(cpu.gmm_pass(r, t, k), t, k, d, n, 1e-6);
  int64_t raises = 0;
  return detail::estep_params(m, 1e-6, raises);
}

/// `scale` = Σ|x|, `sq_scale` = Σ x² over the table: the magnitudes the statistics' rounding scales with.
void compare_gmm(const detail::gmm_partials& a, const detail::gmm_partials& b, double scale, double sq_scale,
                 const std::string& what) {
  expect_close(a.nk, b.nk, sum_rel, 1.0, what + " nk");
  expect_close(a.sums, b.sums, sum_rel, scale, what + " sums");
  expect_close(a.second, b.second, sum_rel, sq_scale, what + " second");
  EXPECT_NEAR(a.log_likelihood, b.log_likelihood, gmm_ll_rel * std::max(1.0, std::fabs(a.log_likelihood))) << what;
  EXPECT_EQ(a.least_likely_row, b.least_likely_row) << what;
}

TEST(CudaStats, GmmPassesMatchCpu) {
  SEGMINT_REQUIRE_DEVICE();
  const std::vector<int64_t> ns = quick() ? std::vector<int64_t>{9, 1025} : std::vector<int64_t>{9, 4097, 65537};
  for (int64_t n : ns)
    for (int64_t d : {int64_t{1}, int64_t{5}, int64_t{33}})
      for (covariance_type t : {covariance_type::full, covariance_type::diag, covariance_type::spherical, covariance_type::tied}) {
        const int k = 3;
        const matrix x = blobs(n, d, k);
        const auto labels = labels_for(n, k, false);
        detail::cpu_backend cpu(1);
        auto gpu = make_gpu();
        cpu.load(x.view());
        gpu->load(x.view());
        const std::string what = "n=" + std::to_string(n) + " d=" + std::to_string(d) + " type=" + std::string(gmm::to_string(t));
        const double scale = abs_sum(x) + 1.0;
        double sq_scale = 1.0;
        for (float v : x.values()) sq_scale += static_cast<double>(v) * v;
        using kind = detail::gmm_responsibilities::kind;
        const detail::gmm_responsibilities by_labels{kind::labels, nullptr, labels, 0};
        compare_gmm(cpu.gmm_pass(by_labels, t, k), gpu->gmm_pass(by_labels, t, k), scale, sq_scale, what + " labels");
        const detail::gmm_responsibilities random{kind::random, nullptr, {}, 42};
        compare_gmm(cpu.gmm_pass(random, t, k), gpu->gmm_pass(random, t, k), scale, sq_scale, what + " random");
        const detail::gmm_estep_params e = mixture_params(cpu, labels, t, k, d, n);
        const detail::gmm_responsibilities model{kind::model, &e, {}, 0};
        compare_gmm(cpu.gmm_pass(model, t, k), gpu->gmm_pass(model, t, k), scale, sq_scale, what + " model");

        std::vector<int32_t> la(static_cast<size_t>(n)), lb(static_cast<size_t>(n));
        std::vector<float> pa(static_cast<size_t>(n)), pb(static_cast<size_t>(n));
        std::vector<float> ra(static_cast<size_t>(n * k)), rb(static_cast<size_t>(n * k));
        const double lla = cpu.gmm_score(e, la, pa, ra);
        const double llb = gpu->gmm_score(e, lb, pb, rb);
        EXPECT_NEAR(lla, llb, gmm_ll_rel * std::max(1.0, std::fabs(lla))) << what;
        for (size_t i = 0; i < la.size(); ++i) {
          EXPECT_NEAR(pa[i], pb[i], gmm_resp_abs) << what << " row " << i;
          if (la[i] != lb[i]) {  // only a near-tie between the two components may flip
            const auto un = static_cast<size_t>(n);
            EXPECT_NEAR(ra[static_cast<size_t>(la[i]) * un + i], ra[static_cast<size_t>(lb[i]) * un + i], 10 * gmm_resp_abs)
                << what << " row " << i;
          }
        }
        for (size_t i = 0; i < ra.size(); ++i) EXPECT_NEAR(ra[i], rb[i], gmm_resp_abs) << what;
      }
}

TEST(CudaStats, WardSearchesMatchCpu) {
  SEGMINT_REQUIRE_DEVICE();
  // Quick (sanitizers, the emulator under TSan): one search is a launch of every position, so m² work.
  for (int64_t m : quick() ? std::vector<int64_t>{2, 3, 40, 600} : std::vector<int64_t>{2, 3, 40, 1000, 5000}) {
    for (int64_t d : {1, 8, 33}) {
      const matrix pts = blobs(m, d, 5);
      std::vector<double> c(static_cast<size_t>(m * d));
      std::vector<double> sizes(static_cast<size_t>(m));
      for (int64_t i = 0; i < m; ++i) {
        sizes[static_cast<size_t>(i)] = 1.0 + static_cast<double>(i % 3);
        for (int64_t j = 0; j < d; ++j) c[static_cast<size_t>(j * m + i)] = i % 10 == 4 ? 0.5 : pts(i, j);  // ties
      }
      detail::ward_search cpu(false);
      auto gpu = make_gpu();
      cpu.begin(c, sizes, d);
      gpu->ward_begin(c, sizes, d);
      std::vector<char> active(static_cast<size_t>(m), 1);
      for (int64_t step = 0; step + 1 < m; ++step) {
        std::vector<int64_t> act;
        for (int64_t i = 0; i < m; ++i)
          if (active[static_cast<size_t>(i)]) act.push_back(i);
        const int64_t query = act[static_cast<size_t>(step * 7) % act.size()];
        int64_t prev = step % 3 == 0 ? -1 : act[static_cast<size_t>(step * 13 + 1) % act.size()];  // the `prefer` rule
        if (prev == query) prev = -1;
        const auto a = cpu.nearest(query, prev, 1);
        const auto b = gpu->ward_nearest(query, prev);
        ASSERT_EQ(a.cluster, b.cluster) << "m=" << m << " d=" << d << " step " << step;
        ASSERT_EQ(a.cost, b.cost) << "the same bits: m=" << m << " step " << step;
        // Merge the pair (the lower number absorbs the higher), as the chain driver would.
        const int64_t lo = std::min(query, a.cluster);
        const int64_t hi = std::max(query, a.cluster);
        std::vector<double> merged(static_cast<size_t>(d));
        const double n = sizes[static_cast<size_t>(lo)] + sizes[static_cast<size_t>(hi)];
        for (int64_t j = 0; j < d; ++j)
          merged[static_cast<size_t>(j)] = (sizes[static_cast<size_t>(lo)] * c[static_cast<size_t>(j * m + lo)] +
                                            sizes[static_cast<size_t>(hi)] * c[static_cast<size_t>(j * m + hi)]) / n;
        for (int64_t j = 0; j < d; ++j) c[static_cast<size_t>(j * m + lo)] = merged[static_cast<size_t>(j)];
        sizes[static_cast<size_t>(lo)] = n;
        active[static_cast<size_t>(hi)] = 0;
        cpu.merge(hi, lo, merged, n);
        gpu->ward_merge(hi, lo, merged, n);
      }
      gpu->ward_end();
    }
  }
}

}  // namespace
}  // namespace segmint::gpu_test
