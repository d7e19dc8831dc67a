#pragma once
// Stability of one configuration at every k (Hennig's clusterboot, "subset" scheme): refit on random
// subsets of a sample and compare, on the subset's rows, with the configuration's own segments.
#include <cstdint>
#include <vector>

#include "fit_all_k.hpp"
#include "segmint/context.hpp"
#include "segmint/matrix.hpp"

namespace segmint::detail {

struct stability_settings {
  int resamples = 20;
  double fraction = 0.8;
  int seed_trials = 2;
  uint64_t seed = 0;
};

struct stability_at_k {
  double mean_ari = 0;
  double sd_ari = 0;
  std::vector<double> jaccard;  ///< per reference segment: mean best Jaccard over the resamples
  double seed_agreement = 0;
};

/// `reference[i]` holds the segments (0 = largest) at k = ks[i] of the rows of `sample`.
std::vector<stability_at_k> measure_stability(context& ctx, matrix_view sample, const std::vector<int>& ks,
                                              const std::vector<std::vector<int32_t>>& reference, const fit_settings& fit,
                                              const stability_settings& s);

}  // namespace segmint::detail
