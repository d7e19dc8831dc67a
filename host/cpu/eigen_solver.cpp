#include "eigen_solver.hpp"

#include <Eigen/Dense>

#include "segmint/error.hpp"

namespace segmint::detail {

void symmetric_eigen(const std::vector<double>& a, int64_t d, std::vector<double>& values, std::vector<double>& vectors) {
  const Eigen::Map<const Eigen::MatrixXd> m(a.data(), d, d);
  const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> solver(m);
  if (solver.info() != Eigen::Success) throw numerical_error("eigen-decomposition of the covariance did not converge");
  values.resize(static_cast<size_t>(d));
  vectors.resize(static_cast<size_t>(d * d));
  // Eigen returns increasing eigenvalues: reverse to decreasing.
  for (int64_t q = 0; q < d; ++q) {
    const int64_t src = d - 1 - q;
    values[static_cast<size_t>(q)] = solver.eigenvalues()(src);
    for (int64_t j = 0; j < d; ++j) vectors[static_cast<size_t>(q * d + j)] = solver.eigenvectors()(j, src);
  }
}

}  // namespace segmint::detail
