#pragma once
// Preprocessing fitted on the training table and stored in the model: optional log1p, standardisation
// (z-score with the population standard deviation, like scikit-learn's StandardScaler), constant columns
// dropped, optional PCA.
#include <optional>
#include <string>
#include <vector>

#include "segmint/context.hpp"
#include "segmint/pca.hpp"
#include "segmint/table.hpp"

namespace segmint {

struct preprocess_params {
  std::vector<std::string> log_columns;  ///< log1p these (they must be ≥ 0)
  bool log_auto = false;                  ///< log1p every non-negative column with skewness > log_auto_skewness
  double log_auto_skewness = 1.0;
  bool standardize = true;
  /// Without any --log: warn about strongly skewed non-negative columns (skewness > 2) and advise --log auto.
  bool advise_log = false;
  std::optional<pca::params> pca;
};

struct column_transform {
  std::string name;  ///< feature name in the table
  bool log1p = false;
  double mean = 0;
  double scale = 1;  ///< population standard deviation (1 when not standardising)
  double skewness = 0;  ///< of the (logged) column, as measured at fit time
};

struct preprocess_model {
  std::vector<column_transform> columns;  ///< the kept features, in model order
  std::vector<std::string> dropped_constant;
  std::vector<std::string> log_auto_selected;
  std::optional<pca::model> pca;

  /// Names of the model-space dimensions: the features, or PC1..PCp.
  [[nodiscard]] std::vector<std::string> output_names() const;
};

/// Fits the preprocessing on `t`. Warnings (dropped columns, log choices) are appended to `warnings`.
preprocess_model fit_preprocess(context& ctx, const feature_table& t, const preprocess_params& p,
                                std::vector<std::string>& warnings);

/// Applies a fitted preprocessing to a table holding at least the model's columns (by name).
matrix apply_preprocess(const preprocess_model& m, const feature_table& t);

/// The standardised values of the kept columns before PCA (n × columns.size()).
matrix standardize(const preprocess_model& m, const feature_table& t);

}  // namespace segmint
