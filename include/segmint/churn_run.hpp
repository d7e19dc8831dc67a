#pragma once
// `segmint churn`: labelled churn from a transaction log. A customer who bought before the cutoff is churned
// when they make no purchase in the `window` days from the cutoff on; features come from before the cutoff only.
// A regularised logistic regression on log1p(recency, frequency, monetary, tenure) is trained on a seeded
// share of the customers and judged on the rest, beside BG/NBD's 1 − P(alive) as a second score.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "segmint/context.hpp"
#include "segmint/transactions.hpp"

namespace segmint {

struct churn_options {
  transaction_options transactions;  ///< as_of must be empty: the cutoff sets it
  std::string cutoff;                ///< YYYY-MM-DD: the first day not used for features
  int window_days = 90;
  double holdout_share = 0.3;
  uint64_t seed = 0;
  double c = 1.0;  ///< inverse regularisation strength, as scikit-learn's C
  context_options compute;  ///< where BG/NBD's likelihood passes run
  std::string out_dir;
  std::optional<std::string> export_features;  ///< CSV: id, the raw and model features, churned, holdout
  bool spreadsheet_safe = false;
};

struct churn_score_quality {
  double auc = 0, pr_auc = 0, brier = 0;  ///< on the holdout customers (brier: NaN for a non-probability)
};

struct churn_outcome {
  int64_t customers = 0, churned = 0, train = 0, holdout = 0;
  std::vector<std::string> features;
  std::vector<double> coefficients;  ///< per standardised feature
  double intercept = 0;
  churn_score_quality model;
  std::optional<churn_score_quality> bgnbd;  ///< 1 − P(alive), when BG/NBD could be fitted
  /// BG/NBD's expected purchases in the window, fewer = more likely churned (P(alive) is 1 for every one-time
  /// buyer under BG/NBD, so 1 − P(alive) ranks them as the safest: this score does not).
  std::optional<churn_score_quality> bgnbd_expected;
  std::vector<std::string> warnings;
  std::vector<std::string> files;
};

churn_outcome run_churn(const churn_options& options);

/// Scoring customers with a trained model (a churn.json), as `predict` scores with a model.json: features as
/// of `transactions.as_of` (default: the day after the log's last day), the probability of no purchase in the
/// model's window from then on. Writes id, churn_probability and the four raw features to `out_path`.
struct churn_score_options {
  std::string model_path;
  transaction_options transactions;
  std::string out_path;
  bool spreadsheet_safe = false;
};

struct churn_score_outcome {
  int64_t customers = 0;
  std::string as_of;
  int window_days = 0;
  double mean_probability = 0;
  transaction_summary lines;
  std::vector<std::string> warnings;
};

churn_score_outcome score_churn(const churn_score_options& options);

}  // namespace segmint
