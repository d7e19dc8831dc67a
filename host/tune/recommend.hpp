#pragma once
// How `segmint tune` chooses: each configuration's own k from the stable ones by a vote of the indices,
// then the configuration with the strongest evidence (stability first). Thresholds are fpc's clusterboot
// ones; docs/architecture.md and the README state the rule in words.
#include "segmint/tune.hpp"

namespace segmint::detail {

constexpr double stable_ari = 0.75;        ///< mean ARI of the refits: stable at or above
constexpr double dissolved_jaccard = 0.5;  ///< a segment whose best Jaccard is at or below this dissolves
constexpr double firmly_stable = 0.85;     ///< what a larger k needs to replace k = 2 (with Jaccard ≥ 0.75)
constexpr double log_preference = 0.05;    ///< added to the evidence of logged configurations of skewed data
constexpr double full_space_preference = 0.02;  ///< added to the evidence of configurations without PCA

/// Sets c.best_k and c.best_k_reason from the stable k of c (the gap curve of its preprocessing helps vote).
void choose_own_k(tune::configuration_result& c, const tune::gap_curve& gap);

/// The recommendation over every configuration of `t` (gaps and best_k filled in).
tune::recommendation recommend(const tune::outcome& t, const tune::params& p);

}  // namespace segmint::detail
