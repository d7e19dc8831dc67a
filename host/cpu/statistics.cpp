// Column moments (for standardisation checks, PCA and Calinski-Harabasz) and per-cluster dispersion. Built
// with -ffp-contract=off (host/CMakeLists.txt): the dispersion's squared distances are the bits of
// kernels/kmeans.cu's dispersion_labels (products and sums rounded separately).
#include <Eigen/Dense>
#include <algorithm>
#include <cmath>

#include "cpu_backend.hpp"
#include "segmint/error.hpp"

namespace segmint::detail {

moments cpu_backend::column_moments() {
  const int64_t d = x_.cols;
  const int64_t nb = blocks_.count();
  moments m;
  m.rows = x_.rows;
  m.mean.assign(static_cast<size_t>(d), 0.0);
  m.covariance.assign(static_cast<size_t>(d * d), 0.0);
  if (x_.rows == 0) return m;
  // Two passes (mean, then centred cross-products) avoid the cancellation of E[xx'] − μμ'.
  std::vector<double> col_sums(static_cast<size_t>(nb * d), 0.0);
#pragma omp parallel for num_threads(threads_) schedule(static)
  for (int64_t b = 0; b < nb; ++b) {
    for (int64_t j = 0; j < d; ++j) {
      double s = 0;
      for (int64_t i = blocks_.begin(b); i < blocks_.end(b); ++i) s += static_cast<double>(x_(i, j));
      col_sums[static_cast<size_t>(b * d + j)] = s;
    }
  }
  for (int64_t b = 0; b < nb; ++b)
    for (int64_t j = 0; j < d; ++j) m.mean[static_cast<size_t>(j)] += col_sums[static_cast<size_t>(b * d + j)];
  for (auto& v : m.mean) v /= static_cast<double>(x_.rows);

  std::vector<Eigen::MatrixXd> parts(static_cast<size_t>(nb));
#pragma omp parallel for num_threads(threads_) schedule(static)
  for (int64_t b = 0; b < nb; ++b) {
    const int64_t lo = blocks_.begin(b);
    const int64_t rows = blocks_.end(b) - lo;
    Eigen::MatrixXd centred(rows, d);
    for (int64_t j = 0; j < d; ++j)
      for (int64_t i = 0; i < rows; ++i)
        centred(i, j) = static_cast<double>(x_(lo + i, j)) - m.mean[static_cast<size_t>(j)];
    parts[static_cast<size_t>(b)] = centred.transpose() * centred;
  }
  Eigen::Map<Eigen::MatrixXd> cov(m.covariance.data(), d, d);
  for (const auto& p : parts) cov += p;
  cov /= static_cast<double>(x_.rows);
  return m;
}

assign_partials cpu_backend::cluster_sums(std::span<const int32_t> labels, int64_t k) {
  if (static_cast<int64_t>(labels.size()) != x_.rows) throw error("internal error: cluster_sums shape mismatch");
  const int64_t d = x_.cols;
  const int64_t nb = blocks_.count();
  std::vector<assign_partials> parts(static_cast<size_t>(nb));
#pragma omp parallel for num_threads(threads_) schedule(static)
  for (int64_t b = 0; b < nb; ++b) {
    auto& p = parts[static_cast<size_t>(b)];
    p.sums.assign(static_cast<size_t>(k * d), 0.0);
    p.counts.assign(static_cast<size_t>(k), 0);
    for (int64_t i = blocks_.begin(b); i < blocks_.end(b); ++i) {
      const int32_t l = labels[static_cast<size_t>(i)];
      if (l < 0 || l >= k) continue;
      ++p.counts[static_cast<size_t>(l)];
      for (int64_t j = 0; j < d; ++j) p.sums[static_cast<size_t>(j * k + l)] += static_cast<double>(x_(i, j));
    }
  }
  assign_partials out;
  out.sums.assign(static_cast<size_t>(k * d), 0.0);
  out.counts.assign(static_cast<size_t>(k), 0);
  for (const auto& p : parts) {
    for (size_t i = 0; i < out.sums.size(); ++i) out.sums[i] += p.sums[i];
    for (size_t c = 0; c < out.counts.size(); ++c) out.counts[c] += p.counts[c];
  }
  return out;
}

dispersion_partials cpu_backend::dispersion(std::span<const int32_t> labels, matrix_view centres) {
  if (static_cast<int64_t>(labels.size()) != x_.rows || centres.cols != x_.cols)
    throw error("internal error: dispersion shape mismatch");
  const auto k = static_cast<size_t>(centres.rows);
  const int64_t nb = blocks_.count();
  std::vector<dispersion_partials> parts(static_cast<size_t>(nb));
#pragma omp parallel num_threads(threads_)
  {
    std::vector<float> acc(static_cast<size_t>(blocks_.size));
#pragma omp for schedule(static)
    for (int64_t b = 0; b < nb; ++b) {
      const int64_t lo = blocks_.begin(b);
      const int64_t hi = blocks_.end(b);
      auto& p = parts[static_cast<size_t>(b)];
      p.dist_sums.assign(k, 0.0);
      p.sq_dist_sums.assign(k, 0.0);
      p.counts.assign(k, 0);
      std::fill(acc.begin(), acc.end(), 0.0f);
      for (int64_t j = 0; j < x_.cols; ++j) {
        const float* xj = x_.col(j);
        for (int64_t i = lo; i < hi; ++i) {
          const int32_t l = labels[static_cast<size_t>(i)];
          if (l < 0 || static_cast<size_t>(l) >= k) continue;
          const float diff = xj[i] - centres(l, j);
          acc[static_cast<size_t>(i - lo)] += diff * diff;
        }
      }
      for (int64_t i = lo; i < hi; ++i) {
        const int32_t l = labels[static_cast<size_t>(i)];
        if (l < 0 || static_cast<size_t>(l) >= k) continue;
        const float sq = acc[static_cast<size_t>(i - lo)];
        p.sq_dist_sums[static_cast<size_t>(l)] += static_cast<double>(sq);
        p.dist_sums[static_cast<size_t>(l)] += std::sqrt(static_cast<double>(sq));
        ++p.counts[static_cast<size_t>(l)];
      }
    }
  }
  dispersion_partials out;
  out.dist_sums.assign(k, 0.0);
  out.sq_dist_sums.assign(k, 0.0);
  out.counts.assign(k, 0);
  for (const auto& p : parts) {
    for (size_t c = 0; c < k; ++c) {
      out.dist_sums[c] += p.dist_sums[c];
      out.sq_dist_sums[c] += p.sq_dist_sums[c];
      out.counts[c] += p.counts[c];
    }
  }
  return out;
}

}  // namespace segmint::detail
