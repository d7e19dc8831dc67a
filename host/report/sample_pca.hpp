#pragma once
// The two leading principal components of a small sample of wide data (many features), for the report's
// customer map. The full PCA forms the d × d covariance (d² memory, d³ time): fine for tens or hundreds of
// features, hopeless for tens of thousands. Here only the sample is touched, by subspace iteration.
#include "segmint/matrix.hpp"
#include "segmint/pca.hpp"

namespace segmint::detail {

/// Features above which the report's map uses sample_pca2 instead of pca::fit over all rows.
inline constexpr int64_t report_wide_features = 128;

/// PC1 and PC2 of `sample` (m × d, m ≥ 2): block power iteration (4 vectors) from a fixed start, to convergence (at
/// most 50 steps); deterministic; signs as pca::fit (largest loading positive); variances with divisor m − 1.
///   auto m = sample_pca2(sample.view());  auto xy = pca::transform(m, sample.view());
pca::model sample_pca2(matrix_view sample);

}  // namespace segmint::detail
