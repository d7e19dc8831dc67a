#pragma once
// The churn model's features, the same at training (churn_job.cpp) and scoring (churn_score_job.cpp): log1p of
// four customer features from the transaction engine, negative values clipped to 0.
#include <algorithm>
#include <array>
#include <cmath>
#include <vector>

#include "segmint/transactions.hpp"

namespace segmint::detail {

inline const std::array<const char*, 4> churn_raw_features = {"recency_days", "frequency", "monetary_total", "tenure_days"};

/// n × 4 row-major: log1p(max(0, feature)) per customer of `t`.
inline std::vector<double> churn_feature_rows(const customer_table& t) {
  const size_t n = t.ids.size(), d = churn_raw_features.size();
  std::vector<double> rows(n * d);
  for (size_t j = 0; j < d; ++j) {
    const std::vector<double>& column = *t.find(churn_raw_features[j]);
    for (size_t i = 0; i < n; ++i) rows[i * d + j] = std::log1p(std::max(0.0, column[i]));
  }
  return rows;
}

}  // namespace segmint::detail
