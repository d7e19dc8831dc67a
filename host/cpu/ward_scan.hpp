#pragma once
// The two kernels of the Ward nearest-neighbour scan over structure-of-arrays clusters (coordinate j of
// position p at [j·stride + p]; a NaN size marks a hole, whose cost is NaN and never compares lower):
//  - scan_exact: the backend's cost in double (see backend.hpp), four lanes;
//  - scan_filtered: the same cost in float from a float copy of the centroids (half the bytes, twice the
//    lanes), with a rigorous bound on its error, keeping every position that might hold the exact
//    minimum; the caller then computes those few costs exactly. The answer is the exact scan's.
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace segmint::detail {

/// The columns the kernels read.
struct ward_columns {
  const double* coords = nullptr;  ///< d × stride, double
  const double* sizes = nullptr;   ///< stride, NaN = hole
  const float* fcoords = nullptr;  ///< d × stride, float of (centroid − centre)
  const float* fsizes = nullptr;   ///< stride, NaN = hole
  int64_t d = 0;
  int64_t stride = 0;
};

/// Positions per pass of both kernels: ranges are multiples of this.
constexpr int64_t ward_scan_width = 32;

struct ward_exact_best {
  double cost;
  int64_t position;  ///< −1 when the range holds only holes
};

/// Lowest double cost to the cluster at `query_pos` over positions [lo, hi) (the query's own size must
/// be a hole), the earliest position on ties.
ward_exact_best ward_scan_exact(const ward_columns& c, int64_t lo, int64_t hi, int64_t query_pos, double query_size);

/// The cost of the pair at positions (pa, pb) by ward_scan_exact's arithmetic (pa plays the query).
double ward_pair_cost(const ward_columns& c, int64_t pa, int64_t pb);

struct ward_filter_result {
  float bound = 0;  ///< an upper bound on the exact minimum cost over the range (+inf if none)
  /// (lower bound on the exact cost, position): includes every position whose exact cost can be ≤ bound
  std::vector<std::pair<float, int64_t>> candidates;
  bool overflow = false;  ///< more than `cap` candidates: use ward_scan_exact on the range instead
};

/// Float pass over [lo, hi). The float cost c̃ of a pair is within f̃·abs_error + c̃·rel_error of the exact
/// cost (f̃ the float size factor); see ward_search.cpp for the derivation of the two constants.
ward_filter_result ward_scan_filtered(const ward_columns& c, int64_t lo, int64_t hi, int64_t query_pos, float query_size,
                                      float abs_error, float rel_error, size_t cap);

}  // namespace segmint::detail
