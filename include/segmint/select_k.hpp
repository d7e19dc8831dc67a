#pragma once
// Choosing k: fit each k of a range and score it (inertia / elbow, silhouette, Calinski-Harabasz,
// Davies-Bouldin). Rule: the k with the highest silhouette; the elbow (Kneedle) is reported beside it.
#include <optional>
#include <string>
#include <vector>

#include "segmint/kmeans.hpp"
#include "segmint/metrics.hpp"

namespace segmint::select_k {

struct params {
  int k_min = 2;
  int k_max = 10;
  kmeans::params base;  ///< k is overwritten per fit
  metrics::silhouette_params silhouette;
};

struct k_score {
  int k = 0;
  double inertia = 0;
  metrics::scores scores;
  int iterations = 0;
  bool converged = false;
};

struct result {
  std::vector<k_score> per_k;
  int chosen_k = 0;
  std::optional<int> elbow_k;
  std::string reason;  ///< one sentence
  kmeans::result chosen;
  std::vector<std::string> warnings;
};

/// Knee of a decreasing convex curve (Kneedle, Satopää et al. 2011): the point farthest below the chord
/// from the first to the last point after normalising both axes; none when the curve has no knee.
std::optional<int> kneedle(const std::vector<int>& ks, const std::vector<double>& values);

/// The choice among scored candidates (consecutive k, ascending).
struct choice {
  size_t index = 0;  ///< into per_k
  std::optional<int> elbow_k;
  std::string reason;  ///< one sentence
};

/// The rule every algorithm that scores a k range uses: the highest silhouette (ties: the smaller k);
/// without silhouettes the inertia elbow, else the smallest k. The elbow is reported either way.
///   auto c = segmint::select_k::choose(per_k);
choice choose(const std::vector<k_score>& per_k);

/// Fits and scores every k in [k_min, k_max] (k values above the number of distinct rows are skipped
/// with a warning) and picks one.
result sweep(context& ctx, matrix_view x, const params& p);

}  // namespace segmint::select_k
