#pragma once
// A small deterministic maximiser for the value models' likelihoods: BFGS on unconstrained (log)
// parameters with a backtracking line search. A few parameters and one data pass per evaluation, so the
// data pass dominates and the optimiser needs no library.
#include <functional>
#include <vector>

namespace segmint::value::detail {

/// f(x) and its gradient at x (both of the function to MAXIMISE).
using objective = std::function<double(const std::vector<double>& x, std::vector<double>& gradient)>;

struct maximum {
  std::vector<double> x;
  double value = 0;
  int iterations = 0;
  bool converged = false;
};

/// Maximises f from `start` until every gradient component is below `gradient_tolerance` in magnitude
/// (callers scale f per customer), or no step improves f any more at that precision.
maximum maximise(const objective& f, std::vector<double> start, double gradient_tolerance, int max_iterations = 2000);

/// The observed information (minus the Hessian of f) in the natural parameters p = exp(x) by central
/// differences of the analytic gradient, inverted: the standard errors (NaN when it is singular).
std::vector<double> standard_errors(const objective& f, const std::vector<double>& x_at_maximum);

/// Sum over n rows of `add_row(i, acc)` (acc: value then gradient, `width` doubles) in fixed blocks of rows
/// added in block order, so the result has the same bits on any thread count.
std::vector<double> ordered_sum(size_t n, size_t width, const std::function<void(size_t, double*)>& add_row);

}  // namespace segmint::value::detail
