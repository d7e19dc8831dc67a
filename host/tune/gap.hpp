#pragma once
// The gap statistic (Tibshirani, Walther & Hastie 2001) with K-Means, references drawn uniformly over the
// box of the data's principal components (their method "b"), and the 1-SE rule for k.
#include <cstdint>

#include "segmint/context.hpp"
#include "segmint/matrix.hpp"
#include "segmint/tune.hpp"

namespace segmint::detail {

struct gap_settings {
  int k_min = 1;
  int k_max = 12;
  int references = 10;
  int kmeans_restarts = 3;
  uint64_t seed = 0;
};

/// The gap curve of the rows of x (already sampled: every row is used).
tune::gap_curve gap_statistic(context& ctx, matrix_view x, const gap_settings& s);

/// The smallest k with gap(k) ≥ gap(k+1) − se(k+1); the largest k when none is.
int one_se_rule(const tune::gap_curve& g);

}  // namespace segmint::detail
