#pragma once
// k-means++ seeding (Arthur & Vassilvitskii 2007) in scikit-learn's greedy form: each new centre is the
// best of 2 + ⌊ln k⌋ candidates drawn with probability ∝ D², judged by the potential they leave.
#include <cstdint>

#include "backend.hpp"

namespace segmint::detail {

/// k initial centroids (k × d) drawn from the resident data; `restart` separates the n_init streams.
/// Throws input_error when the data has fewer than k distinct rows.
matrix kmeans_plus_plus(backend& be, int k, uint64_t seed, uint64_t restart);

}  // namespace segmint::detail
