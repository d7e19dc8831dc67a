#pragma once
// The K-Means assignment kernel for one block of rows: nearest centroid (ties → lower index), squared
// distance, changed-label count, and the block's per-centroid sums (double) and counts.
#include <cstdint>
#include <vector>

#include "segmint/matrix.hpp"

namespace segmint::detail {

struct block_assign_result {
  std::vector<double> sums;  ///< k × d column-major: CHANGE of the per-centroid sums (rows in minus rows out)
  std::vector<int64_t> counts;  ///< CHANGE of the rows per centroid
  double inertia = 0;
  int64_t changed = 0;
};

/// Rows [begin, end) of `x`; `labels` (previous labels in, new out; −1 = none) and `sq_dist` are
/// full-length arrays updated in that range. Squared distances are computed directly as Σ_j (x_j − c_j)²,
/// features in order, in float. Sums and counts are returned as deltas so that passes where few rows
/// move cost little more than the distances.
void assign_block(matrix_view x, matrix_view centroids, int64_t begin, int64_t end, int32_t* labels,
                  float* sq_dist, block_assign_result& out);

/// Squared distances of rows [begin, end) to one point p (d values), written to out[0 .. end-begin).
/// Same arithmetic as assign_block, so the two agree bit for bit.
void sq_dist_to_point(matrix_view x, const float* p, int64_t begin, int64_t end, float* out);

}  // namespace segmint::detail
