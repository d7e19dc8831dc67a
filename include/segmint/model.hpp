#pragma once
// The saved model (model.json): everything `segmint predict` needs to score new customers exactly as the
// training rows were scored. Versioned and schema-checked; loading it executes nothing.
#include <cstdint>
#include <string>
#include <vector>

#include <optional>

#include "segmint/gmm.hpp"
#include "segmint/matrix.hpp"
#include "segmint/preprocess.hpp"
#include "segmint/table.hpp"

namespace segmint {

struct segment_summary {
  int id = 0;
  std::string name;
  std::string reason;
  int64_t size = 0;
  double share = 0;
};

struct segment_model {
  static constexpr int format_version = 1;
  std::string algorithm = "kmeans";
  std::string segmint_version;
  std::string trained_on;  ///< input file name
  uint64_t seed = 0;
  table_schema schema;
  preprocess_model preprocess;
  matrix centroids;  ///< k × p, in model space (after standardisation and PCA); GMM: the component means
  std::optional<gmm::mixture> mixture;  ///< algorithm "gmm": weights, means and covariances in model space
  /// Share of the training rows that predict (nearest centroid) puts back in their training segment:
  /// 1 for K-Means; below 1 for Ward, whose segments are not nearest-centre (Voronoi) cells.
  double training_agreement = 1.0;
  std::vector<segment_summary> segments;
};

/// Serialises the model as pretty-printed JSON (doubles round-trip exactly).
std::string model_to_json(const segment_model& m);

/// Parses and validates model JSON; errors name `source` and the JSON path, e.g. "$.centroids[2]".
segment_model model_from_json(const std::string& text, const std::string& source);

/// Reads and validates a model file.
segment_model load_model(const std::string& path);

}  // namespace segmint
