#pragma once
// L2-regularised logistic regression, fitted by Newton's method: scikit-learn's LogisticRegression objective
// (½‖w‖² + C Σ log-loss, intercept not penalised), deterministic (sums in row order).
#include <cstddef>
#include <vector>

namespace segmint::churn {

struct logistic_model {
  std::vector<double> weights;  ///< one per feature
  double intercept = 0;
  int iterations = 0;
  bool converged = false;
};

/// rows: n × d row-major features; y: 0/1 labels. Throws numerical_error when Newton's method fails.
logistic_model fit_logistic(const std::vector<double>& rows, std::size_t d, const std::vector<int>& y, double c);

/// P(y = 1) for each row.
std::vector<double> predict_logistic(const logistic_model& m, const std::vector<double>& rows, std::size_t d);

}  // namespace segmint::churn
