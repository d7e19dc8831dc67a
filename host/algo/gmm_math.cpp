#include "gmm_math.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "../cpu/small_linalg.hpp"
#include "segmint/error.hpp"

namespace segmint::detail {
namespace {

using gmm::covariance_type;
constexpr double eps = std::numeric_limits<double>::epsilon();

}  // namespace

gmm::mixture mixture_from_stats(const gmm_partials& s, covariance_type type, int k, int64_t d, int64_t n,
                                double reg_covar) {
  gmm::mixture m;
  m.type = type;
  m.k = k;
  m.d = d;
  std::vector<double> nk(static_cast<size_t>(k));
  for (int c = 0; c < k; ++c) nk[static_cast<size_t>(c)] = s.nk[static_cast<size_t>(c)] + 10 * eps;
  m.weights.resize(static_cast<size_t>(k));
  for (int c = 0; c < k; ++c) m.weights[static_cast<size_t>(c)] = nk[static_cast<size_t>(c)] / static_cast<double>(n);
  m.means.resize(static_cast<size_t>(k * d));
  for (int64_t j = 0; j < d; ++j)
    for (int c = 0; c < k; ++c)
      m.means[static_cast<size_t>(j * k + c)] = s.sums[static_cast<size_t>(j * k + c)] / nk[static_cast<size_t>(c)];
  auto mean = [&](int c, int64_t j) { return m.means[static_cast<size_t>(j * k + c)]; };
  auto sum = [&](int c, int64_t j) { return s.sums[static_cast<size_t>(j * k + c)]; };
  switch (type) {
    case covariance_type::full: {
      // Σ r(x−μ)(x−μ)ᵀ = Σ r x xᵀ − μ·Sᵀ − S·μᵀ + (Σ r)·μ μᵀ, over nk.
      m.covariances.resize(static_cast<size_t>(k * d * d));
      for (int c = 0; c < k; ++c) {
        const double* second = s.second.data() + static_cast<size_t>(c * d * d);
        double* cov = m.covariances.data() + static_cast<size_t>(c * d * d);
        const double r = s.nk[static_cast<size_t>(c)];
        for (int64_t b = 0; b < d; ++b)
          for (int64_t a = 0; a < d; ++a) {
            const double v = second[b * d + a] - mean(c, a) * sum(c, b) - sum(c, a) * mean(c, b) + r * mean(c, a) * mean(c, b);
            cov[b * d + a] = v / nk[static_cast<size_t>(c)] + (a == b ? reg_covar : 0.0);
          }
      }
      break;
    }
    case covariance_type::diag:
    case covariance_type::spherical: {
      // scikit-learn: avg_X2 − 2·avg_X_means + avg_means2 + reg_covar (spherical: the mean over features).
      std::vector<double> var(static_cast<size_t>(k * d));
      for (int64_t j = 0; j < d; ++j)
        for (int c = 0; c < k; ++c) {
          const double nkc = nk[static_cast<size_t>(c)];
          const double avg_x2 = s.second[static_cast<size_t>(j * k + c)] / nkc;
          const double avg_x_means = mean(c, j) * sum(c, j) / nkc;
          var[static_cast<size_t>(j * k + c)] = avg_x2 - 2 * avg_x_means + mean(c, j) * mean(c, j) + reg_covar;
        }
      if (type == covariance_type::diag) {
        m.covariances = std::move(var);
      } else {
        m.covariances.assign(static_cast<size_t>(k), 0.0);
        for (int c = 0; c < k; ++c) {
          for (int64_t j = 0; j < d; ++j) m.covariances[static_cast<size_t>(c)] += var[static_cast<size_t>(j * k + c)];
          m.covariances[static_cast<size_t>(c)] /= static_cast<double>(d);
        }
      }
      break;
    }
    case covariance_type::tied: {
      // scikit-learn: (XᵀX − Σ nk μ μᵀ) / Σ nk + reg_covar.
      m.covariances.assign(static_cast<size_t>(d * d), 0.0);
      double total = 0;
      for (int c = 0; c < k; ++c) total += nk[static_cast<size_t>(c)];
      for (int64_t b = 0; b < d; ++b)
        for (int64_t a = 0; a < d; ++a) {
          double v = s.second[static_cast<size_t>(b * d + a)];
          for (int c = 0; c < k; ++c) v -= nk[static_cast<size_t>(c)] * mean(c, a) * mean(c, b);
          m.covariances[static_cast<size_t>(b * d + a)] = v / total + (a == b ? reg_covar : 0.0);
        }
      break;
    }
  }
  return m;
}

gmm_estep_params estep_params(gmm::mixture& m, double reg_covar, int64_t& raises) {
  gmm_estep_params p;
  p.type = m.type;
  p.k = m.k;
  p.d = m.d;
  p.means = m.means;
  p.log_weights.resize(static_cast<size_t>(m.k));
  for (int c = 0; c < m.k; ++c) p.log_weights[static_cast<size_t>(c)] = std::log(m.weights[static_cast<size_t>(c)]);
  p.log_det.assign(static_cast<size_t>(m.k), 0.0);
  const int64_t d = m.d;
  // Policy for a covariance that is not positive definite: raise its diagonal by reg·10, reg·100, … (reg =
  // max(reg_covar, 1e-9·mean variance)), up to reg·1e6; then give up with a numerical error (exit 4).
  auto fail = [](const std::string& what) {
    throw numerical_error("Gaussian mixture: the covariance of " + what +
                          " is not positive definite even with its diagonal raised by 1e6·reg_covar; "
                          "try --reg-covar 1e-3, --covariance diag, or fewer segments");
  };
  auto factor = [&](double* cov, double* prec, const std::string& what) {
    if (precision_cholesky(cov, d, prec)) return;
    double trace = 0;
    std::vector<double> diag(static_cast<size_t>(d));
    for (int64_t j = 0; j < d; ++j) trace += (diag[static_cast<size_t>(j)] = cov[j * d + j]);
    const double base = std::max(reg_covar, 1e-9 * std::fabs(trace) / static_cast<double>(d));
    ++raises;
    for (int attempt = 1; attempt <= 6; ++attempt) {
      for (int64_t j = 0; j < d; ++j) cov[j * d + j] = diag[static_cast<size_t>(j)] + base * std::pow(10.0, attempt);
      if (precision_cholesky(cov, d, prec)) return;
    }
    fail(what);
  };
  auto positive = [&](double& var, const std::string& what) {
    if (var > 0 && std::isfinite(var)) return;
    if (!std::isfinite(var)) fail(what);
    ++raises;
    var = std::max(reg_covar, 1e-12) * 10;
  };
  switch (m.type) {
    case gmm::covariance_type::full:
      p.prec_chol.resize(static_cast<size_t>(m.k * d * d));
      for (int c = 0; c < m.k; ++c) {
        double* prec = p.prec_chol.data() + static_cast<size_t>(c * d * d);
        factor(m.covariances.data() + static_cast<size_t>(c * d * d), prec, "component " + std::to_string(c));
        for (int64_t j = 0; j < d; ++j) p.log_det[static_cast<size_t>(c)] += std::log(prec[j * d + j]);
      }
      break;
    case gmm::covariance_type::tied: {
      p.prec_chol.resize(static_cast<size_t>(d * d));
      factor(m.covariances.data(), p.prec_chol.data(), "the shared (tied) covariance");
      double log_det = 0;
      for (int64_t j = 0; j < d; ++j) log_det += std::log(p.prec_chol[static_cast<size_t>(j * d + j)]);
      p.log_det.assign(static_cast<size_t>(m.k), log_det);
      break;
    }
    case gmm::covariance_type::diag:
    case gmm::covariance_type::spherical: {
      const bool diag = m.type == gmm::covariance_type::diag;
      p.prec_chol.resize(m.covariances.size());
      for (size_t i = 0; i < m.covariances.size(); ++i) {
        positive(m.covariances[i], "component " + std::to_string(diag ? i % static_cast<size_t>(m.k) : i));
        p.prec_chol[i] = 1.0 / std::sqrt(m.covariances[i]);
      }
      for (int c = 0; c < m.k; ++c) {
        if (diag) {
          for (int64_t j = 0; j < d; ++j) p.log_det[static_cast<size_t>(c)] += std::log(p.prec_chol[static_cast<size_t>(j * m.k + c)]);
        } else {
          p.log_det[static_cast<size_t>(c)] = static_cast<double>(d) * std::log(p.prec_chol[static_cast<size_t>(c)]);
        }
      }
      break;
    }
  }
  return p;
}

}  // namespace segmint::detail
