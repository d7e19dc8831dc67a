#include "minimize.hpp"

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "segmint/error.hpp"

namespace segmint::value::detail {
namespace {

double max_abs(const Eigen::VectorXd& v) { return v.size() == 0 ? 0.0 : v.cwiseAbs().maxCoeff(); }

Eigen::VectorXd as_eigen(const std::vector<double>& v) { return Eigen::Map<const Eigen::VectorXd>(v.data(), static_cast<Eigen::Index>(v.size())); }

std::vector<double> as_vector(const Eigen::VectorXd& v) { return {v.data(), v.data() + v.size()}; }

}  // namespace

maximum maximise(const objective& f, std::vector<double> start, double gradient_tolerance, int max_iterations) {
  const auto n = static_cast<Eigen::Index>(start.size());
  std::vector<double> g_buf(start.size());
  Eigen::VectorXd x = as_eigen(start);
  double fx = f(start, g_buf);
  Eigen::VectorXd g = as_eigen(g_buf);
  Eigen::MatrixXd h = Eigen::MatrixXd::Identity(n, n);  // approximates minus the inverse Hessian
  maximum m;
  if (!std::isfinite(fx)) return {start, fx, 0, false};
  constexpr double max_step = 2.0;  // in log units: parameters change at most e² per iteration
  for (int it = 1; it <= max_iterations; ++it) {
    m.iterations = it;
    if (max_abs(g) < gradient_tolerance) {
      m.converged = true;
      break;
    }
    Eigen::VectorXd d = h * g;
    if (d.dot(g) <= 0) {  // not an ascent direction: restart from steepest ascent
      h.setIdentity();
      d = g;
    }
    if (const double big = max_abs(d); big > max_step) d *= max_step / big;
    double step = 1;
    double f_new = -std::numeric_limits<double>::infinity();
    Eigen::VectorXd x_new;
    bool accepted = false;
    // Changes of f within a few ulps are rounding (sums over many customers): no gain, and near the top no
    // shorter step can show one either, so the search ends there instead of halving forty times.
    const double resolution = 16 * std::numeric_limits<double>::epsilon() * std::abs(fx);
    const bool near_top = max_abs(g) < 1e3 * gradient_tolerance;
    for (int tries = 0; tries < 40 && !accepted; ++tries, step *= 0.5) {
      x_new = x + step * d;
      f_new = f(as_vector(x_new), g_buf);
      // Armijo's sufficient increase, and a real one: below f's resolution a "gain" is rounding.
      accepted = std::isfinite(f_new) && f_new - fx > resolution && f_new - fx >= 1e-4 * step * d.dot(g);
      if (!accepted && near_top && std::abs(f_new - fx) <= resolution) break;
    }
    if (!accepted) {
      if (!h.isIdentity()) {  // a stale curvature estimate: retry once from steepest ascent
        h.setIdentity();
        continue;
      }
      // No step along the gradient improves f at double precision: f is at its top within rounding.
      m.converged = max_abs(g) < 1e3 * gradient_tolerance;
      break;
    }
    const Eigen::VectorXd g_new = as_eigen(g_buf);
    const Eigen::VectorXd s = x_new - x;
    const Eigen::VectorXd y = g - g_new;  // of -f, whose Hessian BFGS approximates
    if (const double sy = s.dot(y); sy > 1e-300) {
      const Eigen::VectorXd hy = h * y;
      h += ((sy + y.dot(hy)) / (sy * sy)) * (s * s.transpose()) - (hy * s.transpose() + s * hy.transpose()) / sy;
    }
    x = x_new;
    g = g_new;
    fx = f_new;
  }
  m.x = as_vector(x);
  m.value = fx;
  return m;
}

std::vector<double> standard_errors(const objective& f, const std::vector<double>& x_at_maximum) {
  const size_t n = x_at_maximum.size();
  Eigen::MatrixXd hessian(static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(n));
  std::vector<double> g_plus(n), g_minus(n);
  const auto natural_gradient = [&](std::vector<double> x, std::vector<double>& g) {
    f(x, g);
    for (size_t i = 0; i < n; ++i) g[i] /= std::exp(x[i]);  // d/dp = (d/dx) / p for p = e^x
  };
  for (size_t j = 0; j < n; ++j) {
    const double p = std::exp(x_at_maximum[j]);
    const double h = 1e-5 * p;
    std::vector<double> x = x_at_maximum;
    x[j] = std::log(p + h);
    natural_gradient(x, g_plus);
    x[j] = std::log(p - h);
    natural_gradient(x, g_minus);
    for (size_t i = 0; i < n; ++i)
      hessian(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) = (g_plus[i] - g_minus[i]) / (2 * h);
  }
  const Eigen::MatrixXd information = -0.5 * (hessian + hessian.transpose());
  const Eigen::LDLT<Eigen::MatrixXd> ldlt(information);
  std::vector<double> se(n, std::numeric_limits<double>::quiet_NaN());
  if (ldlt.info() != Eigen::Success || !ldlt.isPositive() || ldlt.vectorD().minCoeff() <= 0) return se;
  const Eigen::MatrixXd covariance = ldlt.solve(Eigen::MatrixXd::Identity(static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(n)));
  for (size_t i = 0; i < n; ++i) se[i] = std::sqrt(covariance(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(i)));
  return se;
}

std::vector<double> ordered_sum(size_t n, size_t width, const std::function<void(size_t, double*)>& add_row) {
  constexpr size_t block = 2048;
  const size_t blocks = (n + block - 1) / block;
  std::vector<double> partial(blocks * width, 0.0);
#pragma omp parallel for schedule(static)
  for (int64_t b = 0; b < static_cast<int64_t>(blocks); ++b) {
    double* acc = partial.data() + static_cast<size_t>(b) * width;
    const size_t end = std::min(n, static_cast<size_t>(b + 1) * block);
    for (size_t i = static_cast<size_t>(b) * block; i < end; ++i) add_row(i, acc);
  }
  std::vector<double> total(width, 0.0);
  for (size_t b = 0; b < blocks; ++b)
    for (size_t k = 0; k < width; ++k) total[k] += partial[b * width + k];
  return total;
}

fit_report finish_fit(const objective& f, const maximum& m, int64_t customers, const fit_wording& wording) {
  if (!m.converged)
    throw numerical_error("value: the " + wording.model + " fit did not converge in " + std::to_string(m.iterations) + " iterations (" +
                          wording.parameters + "): " + wording.not_converged_hint);
  for (const double x : m.x)
    if (const double p = std::exp(x); !(p > 1e-8 && p < 1e8))
      throw numerical_error("value: the " + wording.model + " fit ran to the edge of its parameters (" + wording.parameters + "): " +
                            wording.edge_hint);
  const auto n = static_cast<double>(customers);
  fit_report r;
  r.log_likelihood = m.value * n;
  r.iterations = m.iterations;
  r.converged = true;
  r.customers = customers;
  r.standard_errors = standard_errors(f, m.x);
  for (double& se : r.standard_errors) se /= std::sqrt(n);  // the information of the total, not the mean
  return r;
}

}  // namespace segmint::value::detail
