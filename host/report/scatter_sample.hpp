#pragma once
// The data behind the report's customer map: a seeded sample of at most 5,000 rows of the model-space
// matrix, projected onto two principal components, with the segment centres. Built while the run still
// holds the matrix, so that run_outcome need not keep it.
#include <cstdint>
#include <string>
#include <vector>

#include "segmint/context.hpp"
#include "segmint/matrix.hpp"
#include "segmint/preprocess.hpp"
#include "segmint/segmentation.hpp"

namespace segmint::detail {

struct report_scatter {
  std::vector<float> x, y;
  std::vector<int32_t> segment;
  std::vector<std::string> ids;
  std::vector<double> centre_x, centre_y;
  std::string x_label, y_label;
  std::string projection;  ///< one sentence: what the axes are
  int64_t rows_total = 0;
};

/// Rows of a seeded sample without replacement (ascending), all rows when n ≤ size; draws are keyed by
/// (seed, rng_purpose::report_sample, index), so the sample is the same on every run and thread count.
std::vector<int64_t> report_sample_rows(int64_t n, int64_t size, uint64_t seed);

/// Samples and projects `z` (n × p, the matrix that was clustered). When the run used PCA, its first two
/// components are the axes; otherwise a 2-component PCA of `z` is fitted for the plot.
report_scatter make_report_scatter(context& ctx, matrix_view z, const segmentation& seg, const preprocess_model& pre,
                                   const std::vector<std::string>& ids, uint64_t seed, int64_t max_points = 5000);

}  // namespace segmint::detail
