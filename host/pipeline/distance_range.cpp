#include "distance_range.hpp"

#include <cfloat>
#include <cmath>
#include <cstdio>

#include "segmint/error.hpp"

namespace segmint::detail {

void check_distances_fit(matrix_view z, const std::vector<std::string>& names, bool standardized,
                         const communicator& comm) {
  // Squared distances are summed over rows in double but formed in float: keep every one 1000× below
  // FLT_MAX, so sums of squares of centred values (Σ over a cluster) stay finite in the float passes too.
  constexpr double limit = FLT_MAX / 1000.0;
  double total = 0.0;
  double widest = 0.0;
  int64_t widest_col = -1;
  for (int64_t j = 0; j < z.cols; ++j) {
    double lo = INFINITY;
    double hi = -INFINITY;
    const float* col = z.col(j);
    for (int64_t i = 0; i < z.rows; ++i) {
      lo = std::min(lo, static_cast<double>(col[i]));
      hi = std::max(hi, static_cast<double>(col[i]));
    }
    hi = comm.max(hi);
    lo = -comm.max(-lo);
    const double range = hi - lo;
    if (!std::isfinite(range)) continue;  // no rows here: nothing to check
    total += range * range;
    if (range > widest) {
      widest = range;
      widest_col = j;
    }
  }
  if (total <= limit || widest_col < 0) return;
  char span[32];
  std::snprintf(span, sizeof span, "%.3g", widest);
  const std::string name = static_cast<size_t>(widest_col) < names.size() ? "'" + names[static_cast<size_t>(widest_col)] + "'"
                                                                           : "number " + std::to_string(widest_col + 1);
  throw input_error("feature " + name + " spans " + span + ": squared distances between customers would overflow "
                    "32-bit floats (largest 3.4e+38); " +
                    (standardized ? std::string("rescale the column (e.g. divide it by a power of ten)")
                                  : std::string("drop --no-standardize, or rescale the column (e.g. divide it by a power of ten)")));
}

}  // namespace segmint::detail
