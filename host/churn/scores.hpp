#pragma once
// How well a score ranks and predicts a 0/1 outcome: ROC AUC, average precision (PR-AUC), Brier score, a
// calibration table and decile lift/gain, as scikit-learn's roc_auc_score, average_precision_score and
// brier_score_loss define them.
#include <cstdint>
#include <vector>

namespace segmint::churn {

/// Probability that a random positive scores above a random negative (ties count half). NaN without both classes.
double roc_auc(const std::vector<double>& score, const std::vector<int>& y);

/// Σ_n (R_n − R_{n−1}) P_n over the distinct score thresholds, highest first.
double average_precision(const std::vector<double>& score, const std::vector<int>& y);

/// Mean of (p − y)²; `score` must be a probability.
double brier_score(const std::vector<double>& p, const std::vector<int>& y);

struct calibration_bin {
  double low = 0, high = 0;  ///< predicted probability range [low, high)
  int64_t customers = 0;
  double mean_predicted = 0, observed_rate = 0;
};
/// Ten equal-width bins of the predicted probability (empty bins left out).
std::vector<calibration_bin> calibration_table(const std::vector<double>& p, const std::vector<int>& y);

struct decile {
  int number = 0;  ///< 1 = the highest scores
  int64_t customers = 0;
  double rate = 0;             ///< of positives in the decile
  double lift = 0;             ///< rate / overall rate
  double cumulative_gain = 0;  ///< share of all positives in deciles 1..number
};
/// Customers sorted by descending score (ties by position), cut into ten near-equal groups.
std::vector<decile> decile_table(const std::vector<double>& score, const std::vector<int>& y);

}  // namespace segmint::churn
