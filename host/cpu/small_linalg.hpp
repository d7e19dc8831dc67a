#pragma once
// Small dense linear algebra for the drivers (d × d covariance matrices), backed by Eigen on the host.
#include <cstdint>
#include <vector>

namespace segmint::detail {

/// The upper-triangular precision Cholesky factor P of a symmetric d × d matrix a (column-major), with
/// a⁻¹ = P·Pᵀ (P = L⁻ᵀ where a = L·Lᵀ), as scikit-learn's _compute_precision_cholesky. Returns false when a
/// is not positive definite.
bool precision_cholesky(const double* a, int64_t d, double* p);

}  // namespace segmint::detail
