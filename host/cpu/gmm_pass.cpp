// GMM E-step and sufficient statistics on the CPU: each fixed row block is converted to double and handled
// with Eigen (Mahalanobis terms as a block × d by d × d product per component, second moments as Xᵀ·diag(r)·X),
// then block partials are combined in block order.
#include <Eigen/Dense>
#include <cmath>
#include <limits>

#include "../algo/rng.hpp"
#include "cpu_backend.hpp"
#include "segmint/error.hpp"

namespace segmint::detail {
namespace {

using gmm::covariance_type;
using Eigen::ArrayXd;
using Eigen::MatrixXd;
using Eigen::VectorXd;

constexpr double log_2pi = 1.8378770664093454835606594728112;

MatrixXd block_as_double(matrix_view x, int64_t lo, int64_t rows) {
  MatrixXd b(rows, x.cols);
  for (int64_t j = 0; j < x.cols; ++j)
    for (int64_t i = 0; i < rows; ++i) b(i, j) = static_cast<double>(x(lo + i, j));
  return b;
}

/// log(w_c) + log N(x_i | c) for every row of the block and component (rows × k).
MatrixXd weighted_log_prob(const MatrixXd& xb, const gmm_estep_params& m) {
  const int64_t d = m.d;
  const int k = m.k;
  MatrixXd out(xb.rows(), k);
  for (int c = 0; c < k; ++c) {
    VectorXd mu(d);
    for (int64_t j = 0; j < d; ++j) mu(j) = m.means[static_cast<size_t>(j * k + c)];
    ArrayXd quad;
    switch (m.type) {
      case covariance_type::full:
      case covariance_type::tied: {
        const double* p = m.prec_chol.data() + (m.type == covariance_type::full ? static_cast<size_t>(c) * d * d : 0);
        const Eigen::Map<const MatrixXd> P(p, d, d);
        // y = x·P − μ·P, as scikit-learn computes it (the same rounding, to the last bits where it matters).
        const MatrixXd y = (xb * P).rowwise() - (mu.transpose() * P);
        quad = y.rowwise().squaredNorm().array();
        break;
      }
      case covariance_type::diag: {
        ArrayXd prec(d);
        for (int64_t j = 0; j < d; ++j) prec(j) = m.prec_chol[static_cast<size_t>(j * k + c)];
        const MatrixXd y = (xb.array().rowwise() * prec.transpose()).matrix().rowwise() - (mu.array() * prec).matrix().transpose();
        quad = y.rowwise().squaredNorm().array();
        break;
      }
      case covariance_type::spherical: {
        const double prec = m.prec_chol[static_cast<size_t>(c)];
        quad = (xb.rowwise() - mu.transpose()).rowwise().squaredNorm().array() * (prec * prec);
        break;
      }
    }
    out.col(c) = (-0.5 * (static_cast<double>(d) * log_2pi + quad) + m.log_det[static_cast<size_t>(c)] +
                  m.log_weights[static_cast<size_t>(c)]).matrix();
  }
  return out;
}

/// Row-wise log-sum-exp (stable: the row maximum is factored out).
VectorXd log_sum_exp(const MatrixXd& a) {
  VectorXd out(a.rows());
  for (Eigen::Index i = 0; i < a.rows(); ++i) {
    const double mx = a.row(i).maxCoeff();
    out(i) = std::isfinite(mx) ? mx + std::log((a.row(i).array() - mx).exp().sum()) : mx;
  }
  return out;
}

/// The block's responsibilities (rows × k) from the chosen source; fills ll/least-likely for kind::model.
MatrixXd responsibilities(const gmm_responsibilities& r, const MatrixXd& xb, int64_t lo, int k, double& ll,
                          int64_t& least_row, double& least_ll) {
  const auto rows = xb.rows();
  MatrixXd resp = MatrixXd::Zero(rows, k);
  switch (r.source) {
    case gmm_responsibilities::kind::model: {
      const MatrixXd lp = weighted_log_prob(xb, *r.model);
      const VectorXd norm = log_sum_exp(lp);
      for (Eigen::Index i = 0; i < rows; ++i) {
        ll += norm(i);
        if (norm(i) < least_ll) {
          least_ll = norm(i);
          least_row = lo + i;
        }
      }
      resp = (lp.colwise() - norm).array().exp().matrix();
      break;
    }
    case gmm_responsibilities::kind::labels:
      for (Eigen::Index i = 0; i < rows; ++i) {
        const int32_t l = r.labels[static_cast<size_t>(lo + i)];
        if (l >= 0 && l < k) resp(i, l) = 1.0;
      }
      break;
    case gmm_responsibilities::kind::random:
      for (Eigen::Index i = 0; i < rows; ++i) {
        double s = 0;
        for (int c = 0; c < k; ++c) {
          resp(i, c) = random_uniform(r.seed, rng_purpose::gmm_init, r.row_offset + static_cast<uint64_t>(lo + i),
                                      static_cast<uint64_t>(c));
          s += resp(i, c);
        }
        resp.row(i) /= s;
      }
      break;
  }
  return resp;
}

}  // namespace

gmm_partials cpu_backend::gmm_pass(const gmm_responsibilities& r, gmm::covariance_type stats, int k) {
  if (r.source == gmm_responsibilities::kind::model && (r.model == nullptr || r.model->d != x_.cols || r.model->k != k))
    throw error("internal error: gmm_pass parameters do not match the data");
  const int64_t d = x_.cols;
  const int64_t nb = blocks_.count();
  const size_t second_size = stats == covariance_type::full ? static_cast<size_t>(k * d * d)
                             : stats == covariance_type::tied ? static_cast<size_t>(d * d)
                                                              : static_cast<size_t>(k * d);
  std::vector<gmm_partials> parts(static_cast<size_t>(nb));
  std::vector<double> least_ll(static_cast<size_t>(nb), std::numeric_limits<double>::infinity());
#pragma omp parallel for num_threads(threads_) schedule(static)
  for (int64_t b = 0; b < nb; ++b) {
    const int64_t lo = blocks_.begin(b);
    const MatrixXd xb = block_as_double(x_, lo, blocks_.end(b) - lo);
    gmm_partials& p = parts[static_cast<size_t>(b)];
    const MatrixXd resp = responsibilities(r, xb, lo, k, p.log_likelihood, p.least_likely_row, least_ll[static_cast<size_t>(b)]);
    p.nk.resize(static_cast<size_t>(k));
    Eigen::Map<VectorXd>(p.nk.data(), k) = resp.colwise().sum().transpose();
    p.sums.resize(static_cast<size_t>(k * d));
    Eigen::Map<MatrixXd>(p.sums.data(), k, d) = resp.transpose() * xb;
    p.second.assign(second_size, 0.0);
    if (stats == covariance_type::full) {
      for (int c = 0; c < k; ++c)
        Eigen::Map<MatrixXd>(p.second.data() + static_cast<size_t>(c * d * d), d, d) =
            xb.transpose() * (xb.array().colwise() * resp.col(c).array()).matrix();
    } else if (stats == covariance_type::tied) {
      Eigen::Map<MatrixXd>(p.second.data(), d, d) = xb.transpose() * xb;
    } else {
      Eigen::Map<MatrixXd>(p.second.data(), k, d) = resp.transpose() * xb.array().square().matrix();
    }
  }
  gmm_partials out;
  out.nk.assign(static_cast<size_t>(k), 0.0);
  out.sums.assign(static_cast<size_t>(k * d), 0.0);
  out.second.assign(second_size, 0.0);
  double least = std::numeric_limits<double>::infinity();
  for (size_t b = 0; b < parts.size(); ++b) {  // block order: deterministic for any thread count
    const auto& p = parts[b];
    for (size_t i = 0; i < out.nk.size(); ++i) out.nk[i] += p.nk[i];
    for (size_t i = 0; i < out.sums.size(); ++i) out.sums[i] += p.sums[i];
    for (size_t i = 0; i < out.second.size(); ++i) out.second[i] += p.second[i];
    out.log_likelihood += p.log_likelihood;
    if (least_ll[b] < least) {
      least = least_ll[b];
      out.least_likely_row = p.least_likely_row;
      out.least_likelihood = least;
    }
  }
  return out;
}

double cpu_backend::gmm_score(const gmm_estep_params& m, std::span<int32_t> labels, std::span<float> probability,
                              std::span<float> responsibilities_out) {
  if (m.d != x_.cols) throw error("internal error: gmm_score dimension mismatch");
  const int64_t nb = blocks_.count();
  std::vector<double> ll(static_cast<size_t>(nb), 0.0);
#pragma omp parallel for num_threads(threads_) schedule(static)
  for (int64_t b = 0; b < nb; ++b) {
    const int64_t lo = blocks_.begin(b);
    const MatrixXd xb = block_as_double(x_, lo, blocks_.end(b) - lo);
    const MatrixXd lp = weighted_log_prob(xb, m);
    const VectorXd norm = log_sum_exp(lp);
    for (Eigen::Index i = 0; i < xb.rows(); ++i) {
      ll[static_cast<size_t>(b)] += norm(i);
      Eigen::Index best = 0;
      lp.row(i).maxCoeff(&best);  // first maximum: ties go to the lower component
      if (!labels.empty()) labels[static_cast<size_t>(lo + i)] = static_cast<int32_t>(best);
      if (!probability.empty()) probability[static_cast<size_t>(lo + i)] = static_cast<float>(std::exp(lp(i, best) - norm(i)));
      if (!responsibilities_out.empty())
        for (int c = 0; c < m.k; ++c)
          responsibilities_out[static_cast<size_t>(c * x_.rows + lo + i)] = static_cast<float>(std::exp(lp(i, c) - norm(i)));
    }
  }
  double total = 0;
  for (double v : ll) total += v;
  return total;
}

}  // namespace segmint::detail
