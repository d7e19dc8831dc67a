#pragma once
// Principal component analysis on the covariance matrix (the data is standardised before, in segmint).
#include <optional>
#include <vector>

#include "segmint/context.hpp"
#include "segmint/matrix.hpp"

namespace segmint::pca {

struct params {
  std::optional<int> components;           ///< keep this many components, or
  std::optional<double> variance_fraction;  ///< the fewest components explaining at least this fraction
};

struct model {
  std::vector<double> mean;                      ///< d
  matrix components;                             ///< d × p: column q is component q (unit length)
  std::vector<double> explained_variance;        ///< p, with divisor n − 1 like scikit-learn
  std::vector<double> explained_variance_ratio;  ///< p
  double total_variance = 0;
};

/// Fits PCA. Sign convention: the largest-magnitude loading of each component is positive
/// (scikit-learn ≥ 1.5's svd_flip on the components).
///   auto m = segmint::pca::fit(ctx, x, {.variance_fraction = 0.95});
model fit(context& ctx, matrix_view x, const params& p);

/// (x − mean) · components, as float32 (n × p).
matrix transform(const model& m, matrix_view x);

}  // namespace segmint::pca
