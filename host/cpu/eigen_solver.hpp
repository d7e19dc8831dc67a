#pragma once
// Symmetric eigen-decomposition (Eigen's self-adjoint solver) of the small d × d matrices (covariances, PCA).
#include <cstdint>
#include <vector>

namespace segmint::detail {

/// Eigenvalues in decreasing order and the matching unit eigenvectors (column-major d × d) of a
/// symmetric column-major d × d matrix. Throws numerical_error if the solver does not converge.
void symmetric_eigen(const std::vector<double>& a, int64_t d, std::vector<double>& values, std::vector<double>& vectors);

}  // namespace segmint::detail
