#include "sample_pca.hpp"

#include <Eigen/Dense>
#include <cmath>

namespace segmint::detail {

pca::model sample_pca2(matrix_view sample) {
  using Eigen::Index;
  const Index m = sample.rows;
  const Index d = sample.cols;
  const Eigen::Map<const Eigen::MatrixXf> x(sample.data, m, d);
  Eigen::VectorXd mean(d);
  double total = 0;  // Σ of the column variances: the trace of the covariance
  for (Index j = 0; j < d; ++j) {
    mean[j] = x.col(j).cast<double>().mean();
    total += (x.col(j).cast<double>().array() - mean[j]).square().sum();
  }
  total /= static_cast<double>(m - 1);

  // X_c·V and X_cᵀ·U without forming X_c or a double copy (the sample may be thousands × tens of
  // thousands); float products are ample for a picture.
  auto times = [&](const Eigen::MatrixXd& v) -> Eigen::MatrixXd {
    Eigen::MatrixXd u = (x * v.cast<float>()).cast<double>();
    u.rowwise() -= (mean.transpose() * v);
    return u;
  };
  auto times_t = [&](const Eigen::MatrixXd& u) -> Eigen::MatrixXd {
    Eigen::MatrixXd v = (x.transpose() * u.cast<float>()).cast<double>();
    v -= mean * u.colwise().sum();
    return v;
  };
  // Two wanted components and two extra vectors: convergence then goes as (λ5/λ2)^steps instead of
  // (λ3/λ2)^steps. A picture needs no more than 50 steps.
  const Index p = std::min<Index>(2, d);
  const Index block = std::min<Index>(4, d);
  Eigen::MatrixXd v(d, block);  // a fixed, dense, non-degenerate start
  for (Index j = 0; j < d; ++j)
    for (Index q = 0; q < block; ++q)
      v(j, q) = std::cos(0.7 * static_cast<double>(j + 1) * static_cast<double>(q + 1)) + (q == 0 ? 1.0 : 0.0);
  auto orthonormal = [&](const Eigen::MatrixXd& w) -> Eigen::MatrixXd {
    Eigen::HouseholderQR<Eigen::MatrixXd> qr(w);
    return qr.householderQ() * Eigen::MatrixXd::Identity(d, block);
  };
  v = orthonormal(v);
  for (int step = 0; step < 50; ++step) {
    Eigen::MatrixXd next = orthonormal(times_t(times(v)));
    // Converged when the leading directions stay put (|v_q · v'_q| ≈ 1).
    const double change = 1.0 - (v.leftCols(p).transpose() * next.leftCols(p)).diagonal().cwiseAbs().minCoeff();
    v = std::move(next);
    if (change < 1e-9) break;
  }
  // Rayleigh–Ritz inside the span: the components in order of variance.
  const Eigen::MatrixXd u = times(v);
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> small(u.transpose() * u);
  const Eigen::MatrixXd comps = (v * small.eigenvectors().rowwise().reverse()).leftCols(p);
  const Eigen::VectorXd lambda = small.eigenvalues().reverse().head(p) / static_cast<double>(m - 1);

  pca::model out;
  out.mean.assign(mean.data(), mean.data() + d);
  out.components = matrix(d, p);
  for (Index q = 0; q < p; ++q) {
    Index big = 0;
    comps.col(q).cwiseAbs().maxCoeff(&big);
    const double sign = comps(big, q) < 0 ? -1.0 : 1.0;
    for (Index j = 0; j < d; ++j) out.components(j, q) = static_cast<float>(sign * comps(j, q));
    out.explained_variance.push_back(std::max(0.0, lambda[q]));
    out.explained_variance_ratio.push_back(total > 0 ? std::max(0.0, lambda[q]) / total : 0.0);
  }
  out.total_variance = total;
  return out;
}

}  // namespace segmint::detail
