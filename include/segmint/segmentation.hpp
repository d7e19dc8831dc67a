#pragma once
// The algorithm-independent result of segmenting the model-space matrix: what the outputs, the profiles,
// the report and `segmint predict` need, whichever algorithm (K-Means, GMM, Ward) produced it.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "segmint/gmm.hpp"
#include "segmint/linkage.hpp"
#include "segmint/matrix.hpp"
#include "segmint/metrics.hpp"

namespace segmint {

/// Scores of one candidate k.
struct candidate_score {
  int k = 0;
  double inertia = 0;                   ///< within-cluster sum of squared distances of the fitted model
  metrics::scores scores;               ///< silhouette, Calinski-Harabasz, Davies-Bouldin
  std::map<std::string, double> extra;  ///< algorithm-specific, e.g. "bic", "aic", "log_likelihood"
  int iterations = 0;
  bool converged = true;
};

struct segmentation {
  std::string algorithm;  ///< "kmeans", "gmm" or "ward"
  int k = 0;
  std::vector<int32_t> labels;     ///< per row; 0 = the largest segment
  std::vector<float> distance;     ///< per row: Euclidean distance to its segment centre (model space)
  std::vector<float> probability;  ///< per row, GMM only: probability of the assigned segment
  matrix centres;                  ///< k × p in model space, in segment order
  std::optional<gmm::mixture> mixture;  ///< GMM: the fitted mixture, components in segment order
  std::vector<float> responsibilities;  ///< GMM with --probabilities: n × k column-major
  std::vector<int64_t> sizes;
  std::vector<candidate_score> per_k;  ///< one per k tried, ascending k
  std::optional<int> elbow_k;
  std::string rule;    ///< how k is chosen
  std::string reason;  ///< why this k, one sentence
  std::map<std::string, double> facts;  ///< e.g. inertia, iterations, n_init (recorded in run.json)
  /// Ward only (empty otherwise): the dendrogram in SciPy's linkage format, increasing height, written to
  /// linkage.csv. Its leaves are the rows, or in two-stage mode the micro-clusters (facts "two_stage",
  /// "leaves"); the segments are its cut at k, and segment s is the subtree under node linkage_cut[s].
  std::vector<linkage_step> linkage;
  std::vector<int64_t> linkage_cut;
  std::vector<std::string> warnings;

  /// The scores of the chosen k.
  [[nodiscard]] const candidate_score& chosen() const;
};

}  // namespace segmint
