#include "segmint/pca.hpp"

#include <algorithm>
#include <cmath>

#include "../cpu/eigen_solver.hpp"
#include "backend.hpp"
#include "segmint/error.hpp"

namespace segmint::pca {

model fit(context& ctx, matrix_view x, const params& p) {
  const int64_t d = x.cols;
  ctx.load(x);
  if (ctx.total_rows() < 2) throw input_error("PCA needs at least 2 rows");
  if (p.components && (*p.components < 1 || *p.components > d))
    throw input_error("--pca " + std::to_string(*p.components) + ": must be between 1 and the number of features (" +
                      std::to_string(d) + ")");
  if (p.variance_fraction && !(*p.variance_fraction > 0 && *p.variance_fraction <= 1))
    throw input_error("--pca fraction must be in (0, 1]");
  ctx.load(x);
  const detail::moments mom = ctx.backend().column_moments();
  std::vector<double> values;
  std::vector<double> vectors;
  detail::symmetric_eigen(mom.covariance, d, values, vectors);
  for (auto& v : values) v = std::max(v, 0.0);  // tiny negative eigenvalues are rounding
  model m;
  m.mean = mom.mean;
  for (double v : values) m.total_variance += v;
  int64_t keep = d;
  if (p.components) {
    keep = *p.components;
  } else if (p.variance_fraction) {
    double acc = 0;
    keep = 0;
    while (keep < d && (m.total_variance == 0 || acc / m.total_variance < *p.variance_fraction - 1e-12)) acc += values[static_cast<size_t>(keep++)];
    keep = std::max<int64_t>(keep, 1);
  }
  const double ddof_scale = static_cast<double>(mom.rows) / static_cast<double>(mom.rows - 1);
  m.components = matrix(d, keep);
  for (int64_t q = 0; q < keep; ++q) {
    const double* v = vectors.data() + q * d;
    int64_t arg = 0;
    for (int64_t j = 1; j < d; ++j)
      if (std::fabs(v[j]) > std::fabs(v[arg])) arg = j;
    const double sign = v[arg] < 0 ? -1.0 : 1.0;
    for (int64_t j = 0; j < d; ++j) m.components(j, q) = static_cast<float>(sign * v[j]);
    m.explained_variance.push_back(values[static_cast<size_t>(q)] * ddof_scale);
    m.explained_variance_ratio.push_back(m.total_variance > 0 ? values[static_cast<size_t>(q)] / m.total_variance : 0.0);
  }
  m.total_variance *= ddof_scale;
  return m;
}

matrix transform(const model& m, matrix_view x) {
  const int64_t d = m.components.rows();
  const int64_t p = m.components.cols();
  if (x.cols != d) throw input_error("PCA expects " + std::to_string(d) + " features, got " + std::to_string(x.cols));
  matrix out(x.rows, p);
  constexpr int64_t block = 1024;
#pragma omp parallel
  {
    std::vector<double> acc(block);
#pragma omp for schedule(static)
    for (int64_t i0 = 0; i0 < x.rows; i0 += block) {
      const int64_t ni = std::min(block, x.rows - i0);
      for (int64_t q = 0; q < p; ++q) {
        std::fill(acc.begin(), acc.begin() + ni, 0.0);
        for (int64_t j = 0; j < d; ++j) {
          const double w = m.components(j, q);
          const double mu = m.mean[static_cast<size_t>(j)];
          const float* xj = x.col(j) + i0;
          for (int64_t i = 0; i < ni; ++i) acc[static_cast<size_t>(i)] += (static_cast<double>(xj[i]) - mu) * w;
        }
        float* o = out.col(q) + i0;
        for (int64_t i = 0; i < ni; ++i) o[i] = static_cast<float>(acc[static_cast<size_t>(i)]);
      }
    }
  }
  return out;
}

}  // namespace segmint::pca
