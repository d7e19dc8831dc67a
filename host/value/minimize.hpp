#pragma once
// A small deterministic maximiser for the value models' likelihoods: BFGS on unconstrained (log)
// parameters with a backtracking line search. A few parameters and one data pass per evaluation, so the
// data pass dominates and the optimiser needs no library.
#include <functional>
#include <string>
#include <vector>

#include "segmint/value.hpp"

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

/// How a fit is named in its errors: "Pareto/NBD", "r = 0.55, alpha = 10.6, ...", and what to suspect when it
/// does not converge and when a parameter runs to the edge.
struct fit_wording {
  std::string model;
  std::string parameters;
  std::string not_converged_hint;
  std::string edge_hint;
};

/// The report of a maximised mean log-likelihood `f` over `customers`: throws numerical_error when `m` did not
/// converge or a parameter exp(x) left (1e-8, 1e8); else the total log-likelihood, iterations and the standard
/// errors (of the total over the customers).
fit_report finish_fit(const objective& f, const maximum& m, int64_t customers, const fit_wording& wording);

/// Sum over n rows of `add_row(i, acc)` (acc: value then gradient, `width` doubles) in fixed blocks of rows
/// added in block order, so the result has the same bits on any thread count.
std::vector<double> ordered_sum(size_t n, size_t width, const std::function<void(size_t, double*)>& add_row);

}  // namespace segmint::value::detail
