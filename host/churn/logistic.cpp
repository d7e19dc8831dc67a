#include "logistic.hpp"

#include <Eigen/Dense>
#include <cmath>

#include "segmint/error.hpp"

namespace segmint::churn {
namespace {

double sigmoid(double t) { return t >= 0 ? 1 / (1 + std::exp(-t)) : std::exp(t) / (1 + std::exp(t)); }

}  // namespace

logistic_model fit_logistic(const std::vector<double>& rows, size_t d, const std::vector<int>& y, double c) {
  const size_t n = y.size();
  const auto k = static_cast<Eigen::Index>(d + 1);  // the weights, then the intercept
  Eigen::VectorXd beta = Eigen::VectorXd::Zero(k);
  logistic_model m;
  for (int it = 1; it <= 100; ++it) {
    Eigen::VectorXd gradient = Eigen::VectorXd::Zero(k);
    Eigen::MatrixXd hessian = Eigen::MatrixXd::Zero(k, k);
    Eigen::VectorXd x(k);
    for (size_t i = 0; i < n; ++i) {  // the loss is C Σ log-loss; its derivatives scale by C
      for (size_t j = 0; j < d; ++j) x(static_cast<Eigen::Index>(j)) = rows[i * d + j];
      x(k - 1) = 1;
      const double p = sigmoid(beta.dot(x));
      gradient += (c * (p - y[i])) * x;
      hessian.selfadjointView<Eigen::Lower>().rankUpdate(x, c * p * (1 - p));
    }
    hessian = hessian.selfadjointView<Eigen::Lower>();
    for (Eigen::Index j = 0; j + 1 < k; ++j) {  // ½‖w‖²: the intercept is not penalised
      gradient(j) += beta(j);
      hessian(j, j) += 1;
    }
    const Eigen::LDLT<Eigen::MatrixXd> ldlt(hessian);
    if (ldlt.info() != Eigen::Success) throw numerical_error("churn: the logistic regression's Hessian is singular");
    const Eigen::VectorXd step = ldlt.solve(gradient);
    beta -= step;
    m.iterations = it;
    if (step.cwiseAbs().maxCoeff() < 1e-12 * (1 + beta.cwiseAbs().maxCoeff())) {
      m.converged = true;
      break;
    }
  }
  if (!m.converged || !beta.allFinite()) throw numerical_error("churn: the logistic regression did not converge (separable data?)");
  m.weights.assign(beta.data(), beta.data() + d);
  m.intercept = beta(k - 1);
  return m;
}

std::vector<double> predict_logistic(const logistic_model& m, const std::vector<double>& rows, size_t d) {
  const size_t n = d == 0 ? 0 : rows.size() / d;
  std::vector<double> p(n);
  for (size_t i = 0; i < n; ++i) {
    double t = m.intercept;
    for (size_t j = 0; j < d; ++j) t += m.weights[j] * rows[i * d + j];
    p[i] = sigmoid(t);
  }
  return p;
}

}  // namespace segmint::churn
