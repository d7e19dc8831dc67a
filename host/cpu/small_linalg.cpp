#include "small_linalg.hpp"

#include <Eigen/Dense>
#include <cmath>

namespace segmint::detail {

bool precision_cholesky(const double* a, int64_t d, double* p) {
  const Eigen::Map<const Eigen::MatrixXd> m(a, d, d);
  const Eigen::LLT<Eigen::MatrixXd> llt(m);
  if (llt.info() != Eigen::Success) return false;
  const Eigen::MatrixXd l = llt.matrixL();
  for (int64_t i = 0; i < d; ++i)
    if (!(l(i, i) > 0) || !std::isfinite(l(i, i))) return false;
  // Solve L·Y = I for Y = L⁻¹ (lower), then P = Yᵀ.
  const Eigen::MatrixXd y = l.triangularView<Eigen::Lower>().solve(Eigen::MatrixXd::Identity(d, d));
  Eigen::Map<Eigen::MatrixXd>(p, d, d) = y.transpose();
  return true;
}

}  // namespace segmint::detail
