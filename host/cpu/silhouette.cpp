// Exact silhouette over m rows: pairwise Euclidean distances computed once per tile and shared by every
// labelling (one per k in a sweep). Each row's sums are accumulated sequentially in column order, so the
// result is independent of the thread count. Built with -ffp-contract=off (host/CMakeLists.txt): the
// distances are the bits of kernels/silhouette.cu (products and sums rounded separately, then sqrtf).
#include <omp.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "cpu_backend.hpp"

namespace segmint::detail {
namespace {

constexpr int64_t row_tile = 8;
constexpr int64_t col_tile = 2048;

double silhouette_of(const double* sums, const int64_t* counts, int32_t k, int32_t own) {
  const int64_t n_own = counts[own];
  if (n_own <= 1) return 0.0;  // scikit-learn's convention for singleton clusters
  const double a = sums[own] / static_cast<double>(n_own - 1);
  double b = std::numeric_limits<double>::infinity();
  for (int32_t c = 0; c < k; ++c)
    if (c != own && counts[c] > 0) b = std::min(b, sums[c] / static_cast<double>(counts[c]));
  if (!std::isfinite(b)) return 0.0;
  const double m = std::max(a, b);
  return m > 0 ? (b - a) / m : 0.0;
}

}  // namespace

std::vector<std::vector<double>> silhouette_values(matrix_view s, const std::vector<std::vector<int32_t>>& labels,
                                                   int threads) {
  const int64_t m = s.rows;
  const size_t nl = labels.size();
  std::vector<int32_t> ks(nl, 0);
  std::vector<std::vector<int64_t>> counts(nl);
  size_t slots = 0;
  std::vector<size_t> offsets(nl);
  for (size_t l = 0; l < nl; ++l) {
    for (int32_t v : labels[l]) ks[l] = std::max(ks[l], v + 1);
    counts[l].assign(static_cast<size_t>(ks[l]), 0);
    for (int32_t v : labels[l]) ++counts[l][static_cast<size_t>(v)];
    offsets[l] = slots;
    slots += static_cast<size_t>(ks[l]);
  }
  std::vector<std::vector<double>> out(nl, std::vector<double>(static_cast<size_t>(m), 0.0));
  const int64_t ntiles = (m + row_tile - 1) / row_tile;
#pragma omp parallel num_threads(threads)
  {
    std::vector<float> dist(static_cast<size_t>(row_tile * col_tile));
    std::vector<double> sums(static_cast<size_t>(row_tile) * slots);
#pragma omp for schedule(dynamic, 4)
    for (int64_t t = 0; t < ntiles; ++t) {
      const int64_t i0 = t * row_tile;
      const int64_t ni = std::min(row_tile, m - i0);
      std::fill(sums.begin(), sums.end(), 0.0);
      for (int64_t j0 = 0; j0 < m; j0 += col_tile) {
        const int64_t nj = std::min(col_tile, m - j0);
        std::fill(dist.begin(), dist.end(), 0.0f);
        for (int64_t f = 0; f < s.cols; ++f) {
          const float* col = s.col(f) + j0;
          for (int64_t ii = 0; ii < ni; ++ii) {
            const float xi = s(i0 + ii, f);
            float* drow = dist.data() + ii * col_tile;
            for (int64_t jj = 0; jj < nj; ++jj) {
              const float diff = col[jj] - xi;
              drow[jj] += diff * diff;
            }
          }
        }
        for (int64_t ii = 0; ii < ni; ++ii) {
          float* drow = dist.data() + ii * col_tile;
          for (int64_t jj = 0; jj < nj; ++jj) drow[jj] = std::sqrt(drow[jj]);
          for (size_t l = 0; l < nl; ++l) {
            double* acc = sums.data() + static_cast<size_t>(ii) * slots + offsets[l];
            const int32_t* lab = labels[l].data() + j0;
            for (int64_t jj = 0; jj < nj; ++jj) acc[lab[jj]] += static_cast<double>(drow[jj]);
          }
        }
      }
      for (int64_t ii = 0; ii < ni; ++ii) {
        for (size_t l = 0; l < nl; ++l) {
          const double* acc = sums.data() + static_cast<size_t>(ii) * slots + offsets[l];
          out[l][static_cast<size_t>(i0 + ii)] =
              silhouette_of(acc, counts[l].data(), ks[l], labels[l][static_cast<size_t>(i0 + ii)]);
        }
      }
    }
  }
  return out;
}

}  // namespace segmint::detail
