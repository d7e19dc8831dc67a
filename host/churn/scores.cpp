#include "scores.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace segmint::churn {
namespace {

/// Indices by descending score, ties by index: one fixed order.
std::vector<size_t> by_descending_score(const std::vector<double>& score) {
  std::vector<size_t> order(score.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return score[a] > score[b]; });
  return order;
}

}  // namespace

double roc_auc(const std::vector<double>& score, const std::vector<int>& y) {
  const auto order = by_descending_score(score);
  double positives = 0, negatives = 0, above = 0;  // `above`: Σ over negatives of positives scoring higher (ties ½)
  for (size_t i = 0; i < order.size();) {
    size_t j = i;
    double pos = 0, neg = 0;
    while (j < order.size() && score[order[j]] == score[order[i]]) (y[order[j]] ? pos : neg) += 1, ++j;
    above += neg * (positives + 0.5 * pos);
    positives += pos;
    negatives += neg;
    i = j;
  }
  if (positives == 0 || negatives == 0) return std::numeric_limits<double>::quiet_NaN();
  return above / (positives * negatives);
}

double average_precision(const std::vector<double>& score, const std::vector<int>& y) {
  const auto order = by_descending_score(score);
  double total = 0;
  for (int v : y) total += v;
  if (total == 0) return std::numeric_limits<double>::quiet_NaN();
  double ap = 0, tp = 0, seen = 0, last_recall = 0;
  for (size_t i = 0; i < order.size();) {
    size_t j = i;
    while (j < order.size() && score[order[j]] == score[order[i]]) tp += y[order[j]], seen += 1, ++j;
    const double recall = tp / total;
    ap += (recall - last_recall) * (tp / seen);
    last_recall = recall;
    i = j;
  }
  return ap;
}

double brier_score(const std::vector<double>& p, const std::vector<int>& y) {
  double s = 0;
  for (size_t i = 0; i < p.size(); ++i) s += (p[i] - y[i]) * (p[i] - y[i]);
  return p.empty() ? std::numeric_limits<double>::quiet_NaN() : s / static_cast<double>(p.size());
}

std::vector<calibration_bin> calibration_table(const std::vector<double>& p, const std::vector<int>& y) {
  std::vector<calibration_bin> bins(10);
  for (size_t b = 0; b < bins.size(); ++b) bins[b].low = 0.1 * static_cast<double>(b), bins[b].high = 0.1 * static_cast<double>(b + 1);
  for (size_t i = 0; i < p.size(); ++i) {
    auto& b = bins[std::min<size_t>(9, static_cast<size_t>(p[i] * 10))];
    ++b.customers;
    b.mean_predicted += p[i];
    b.observed_rate += y[i];
  }
  std::vector<calibration_bin> out;
  for (auto& b : bins) {
    if (b.customers == 0) continue;
    b.mean_predicted /= static_cast<double>(b.customers);
    b.observed_rate /= static_cast<double>(b.customers);
    out.push_back(b);
  }
  return out;
}

std::vector<decile> decile_table(const std::vector<double>& score, const std::vector<int>& y) {
  const auto order = by_descending_score(score);
  const size_t n = order.size();
  double total = 0;
  for (int v : y) total += v;
  const double base = n > 0 ? total / static_cast<double>(n) : 0;
  std::vector<decile> out;
  double cumulative = 0;
  for (int d = 0; d < 10 && n > 0; ++d) {
    const size_t begin = n * static_cast<size_t>(d) / 10, end = n * static_cast<size_t>(d + 1) / 10;
    if (begin == end) continue;
    decile x;
    x.number = d + 1;
    x.customers = static_cast<int64_t>(end - begin);
    double positives = 0;
    for (size_t k = begin; k < end; ++k) positives += y[order[k]];
    cumulative += positives;
    x.rate = positives / static_cast<double>(x.customers);
    x.lift = base > 0 ? x.rate / base : 0;
    x.cumulative_gain = total > 0 ? cumulative / total : 0;
    out.push_back(x);
  }
  return out;
}

}  // namespace segmint::churn
