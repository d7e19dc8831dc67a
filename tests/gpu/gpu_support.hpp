#pragma once
// Helpers for the CPU ↔ CUDA parity tests: device detection (cases skip with the reason when there is no
// device), backends, data, the sizes of docs/architecture.md §6.7 and the tolerances of docs/architecture.md §4 as named constants.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "../../host/cpu/cpu_backend.hpp"
#include "../../host/cuda/cuda_backend.hpp"
#include "../../host/cuda/devices.hpp"

namespace segmint::gpu_test {

inline bool device_present(std::string& why) { return !cuda::detail::list_devices(why).empty(); }

/// First statement of every case that needs a device.
#define SEGMINT_REQUIRE_DEVICE()                                                        \
  do {                                                                                  \
    std::string segmint_why_;                                                           \
    if (!::segmint::gpu_test::device_present(segmint_why_))                             \
      GTEST_SKIP() << "no CUDA device (" << segmint_why_ << "): CUDA case not run";     \
  } while (0)

/// SEGMINT_GPU_TEST_QUICK=1 (set by tools/gpu_check.sh under compute-sanitizer) keeps sizes small.
inline bool quick() { return std::getenv("SEGMINT_GPU_TEST_QUICK") != nullptr; }

/// Row counts: 1, around k, around powers of two, around the streaming chunk (65,536 rows at the smallest
/// budget), unless quick.
inline std::vector<int64_t> sizes() {
  if (quick()) return {1, 7, 8, 9, 255, 257, 1025};
  return {1, 7, 8, 9, 255, 256, 257, 4095, 4097, 65535, 65536, 65537};
}
inline std::vector<int64_t> dims() { return {1, 31, 32, 33}; }

// ---- tolerances (docs/architecture.md §4) ----
constexpr double eps32 = 1.1920928955078125e-7;  ///< float32 machine epsilon
/// Squared distance, GEMM expansion vs direct: 8·d·ε32·(‖x‖² + ‖c‖²). Labels may differ only where the
/// best and second-best centroids are closer than this.
inline double sq_dist_bound(int64_t d, double norms) { return 8.0 * static_cast<double>(d) * eps32 * norms; }
/// Fraction of rows allowed to be near-ties with different labels.
constexpr double max_tie_fraction = 1e-3;
/// Double sums of float rows in another order than the CPU's: relative to Σ|terms|, far above n·2⁻⁵³.
constexpr double sum_rel = 1e-9;
/// Inertia with the same labels (float distances summed in double, other order).
constexpr double inertia_rel = 1e-6;
/// Centroids after T Lloyd iterations from the same initial centroids.
constexpr double centroid_tol = 1e-5;
/// End-to-end inertia (labels may differ at near-ties).
constexpr double inertia_e2e_rel = 1e-4;
/// GMM log-likelihood (relative) and responsibilities (absolute).
constexpr double gmm_ll_rel = 1e-5;
constexpr double gmm_resp_abs = 1e-5;
/// PCA explained variance.
constexpr double pca_variance_rel = 1e-5;

inline std::unique_ptr<cuda::detail::cuda_backend> make_gpu(int64_t budget = 0) {
  context_options o;
  o.backend = backend_choice::cuda;
  o.max_device_memory = budget;
  return std::make_unique<cuda::detail::cuda_backend>(o);
}

/// The smallest budget: streams in chunks of kernels::max_part_rows rows.
constexpr int64_t streaming_budget = 1;

/// `groups` separated groups (0: pure noise), n × d column-major, deterministic.
inline matrix blobs(int64_t n, int64_t d, int groups, uint32_t seed = 7) {
  std::mt19937 gen(seed);
  std::normal_distribution<float> noise(0.0f, 1.0f);
  matrix centres(std::max(groups, 1), d);
  for (int64_t j = 0; j < d; ++j)
    for (int g = 0; g < std::max(groups, 1); ++g) centres(g, j) = groups > 0 ? 6.0f * noise(gen) : 0.0f;
  matrix x(n, d);
  for (int64_t j = 0; j < d; ++j)
    for (int64_t i = 0; i < n; ++i) x(i, j) = centres(i % std::max(groups, 1), j) + noise(gen);
  return x;
}

/// k rows of x (spread over the table) as centroids.
inline matrix pick_centroids(const matrix& x, int k) {
  matrix c(k, x.cols());
  for (int ci = 0; ci < k; ++ci)
    for (int64_t j = 0; j < x.cols(); ++j) c(ci, j) = x((static_cast<int64_t>(ci) * 7919 + 3) % x.rows(), j);
  return c;
}

/// Whether row i's two nearest centroids are within the distance bound (computed in double).
inline bool near_tie(const matrix& x, const matrix& c, int64_t i) {
  double best = INFINITY, second = INFINITY, xn = 0, cn = 0;
  for (int64_t ci = 0; ci < c.rows(); ++ci) {
    double s = 0, norm = 0;
    for (int64_t j = 0; j < x.cols(); ++j) {
      const double diff = static_cast<double>(x(i, j)) - c(ci, j);
      s += diff * diff;
      norm += static_cast<double>(c(ci, j)) * c(ci, j);
    }
    if (s < best) {
      second = best;
      best = s;
      cn = norm;
    } else if (s < second) {
      second = s;
    }
  }
  for (int64_t j = 0; j < x.cols(); ++j) xn += static_cast<double>(x(i, j)) * x(i, j);
  return second - best <= sq_dist_bound(x.cols(), xn + cn);
}

/// EXPECTs |a − b| ≤ rel·scale elementwise, with `what` in the message.
inline void expect_close(const std::vector<double>& a, const std::vector<double>& b, double rel, double scale,
                         const std::string& what) {
  ASSERT_EQ(a.size(), b.size()) << what;
  for (size_t i = 0; i < a.size(); ++i)
    EXPECT_NEAR(a[i], b[i], rel * std::max(scale, std::fabs(a[i])) + 1e-300) << what << " [" << i << "]";
}

/// Σ|v|: the scale of a sum's rounding.
inline double abs_sum(const matrix& x) {
  double s = 0;
  for (float v : x.values()) s += std::fabs(static_cast<double>(v));
  return s;
}

}  // namespace segmint::gpu_test
