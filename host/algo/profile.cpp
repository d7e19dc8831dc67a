#include "segmint/profile.hpp"

#include <algorithm>
#include <cmath>

namespace segmint {
namespace {

constexpr double driver_min_abs_z = 0.25;

double median_in_place(std::vector<float>& v) {
  if (v.empty()) return std::nan("");
  const size_t mid = v.size() / 2;
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(mid), v.end());
  const double hi = v[mid];
  if (v.size() % 2 == 1) return hi;
  return (static_cast<double>(*std::max_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(mid))) + hi) / 2.0;
}

/// Per categorical column (one-hot features sharing a source, in table order), the level with the largest
/// excess share over the population; the first such level on ties, so the choice is deterministic.
std::vector<category_highlight> category_highlights(const segment_profile& s) {
  std::vector<category_highlight> out;
  for (size_t j = 0; j < s.features.size(); ++j) {
    const feature_profile& f = s.features[j];
    if (f.kind != feature_kind::one_hot || std::isnan(f.mean)) continue;
    const auto excess = f.mean - f.population_mean;
    if (out.empty() || out.back().column != f.source) {
      out.push_back({f.source, f.level, static_cast<int>(j), f.mean, f.population_mean});
    } else if (excess > out.back().share - out.back().overall_share) {
      out.back() = {f.source, f.level, static_cast<int>(j), f.mean, f.population_mean};
    }
  }
  return out;
}

}  // namespace

std::vector<segment_profile> profile_segments(const feature_table& t, std::span<const int32_t> labels, int k) {
  const int64_t n = t.rows();
  const auto d = static_cast<int64_t>(t.features.size());
  std::vector<segment_profile> segs(static_cast<size_t>(k));
  for (int c = 0; c < k; ++c) segs[static_cast<size_t>(c)].id = c;
  for (int64_t i = 0; i < n; ++i) ++segs[static_cast<size_t>(labels[static_cast<size_t>(i)])].size;
  for (auto& s : segs) {
    s.share = n > 0 ? static_cast<double>(s.size) / static_cast<double>(n) : 0.0;
    s.features.resize(static_cast<size_t>(d));
  }
#pragma omp parallel
  {
    std::vector<std::vector<float>> by_segment(static_cast<size_t>(k));
#pragma omp for schedule(dynamic, 1)
    for (int64_t j = 0; j < d; ++j) {
      const float* x = t.values.col(j);
      double sum = 0;
      for (int64_t i = 0; i < n; ++i) sum += x[i];
      const double mean = n > 0 ? sum / static_cast<double>(n) : 0.0;
      double ss = 0;
      for (int64_t i = 0; i < n; ++i) ss += (x[i] - mean) * (x[i] - mean);
      const double sd = n > 0 ? std::sqrt(ss / static_cast<double>(n)) : 0.0;
      for (auto& v : by_segment) v.clear();
      for (int64_t i = 0; i < n; ++i) by_segment[static_cast<size_t>(labels[static_cast<size_t>(i)])].push_back(x[i]);
      for (int c = 0; c < k; ++c) {
        auto& values = by_segment[static_cast<size_t>(c)];
        feature_profile& f = segs[static_cast<size_t>(c)].features[static_cast<size_t>(j)];
        const feature_info& info = t.features[static_cast<size_t>(j)];
        f.name = info.name;
        f.kind = info.kind;
        f.source = info.source;
        f.level = info.level;
        double s = 0;
        for (float v : values) s += v;
        f.mean = values.empty() ? std::nan("") : s / static_cast<double>(values.size());
        f.median = median_in_place(values);
        f.population_mean = mean;
        f.population_sd = sd;
        f.z = sd > 0 && !values.empty() ? (f.mean - mean) / sd : 0.0;
      }
    }
  }
  for (auto& s : segs) {
    std::vector<int> order(static_cast<size_t>(d));
    for (int j = 0; j < static_cast<int>(d); ++j) order[static_cast<size_t>(j)] = j;
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
      return std::fabs(s.features[static_cast<size_t>(a)].z) > std::fabs(s.features[static_cast<size_t>(b)].z);
    });
    for (int j : order) {
      if (s.drivers.size() == 3 || std::fabs(s.features[static_cast<size_t>(j)].z) < driver_min_abs_z) break;
      s.drivers.push_back(j);
    }
  }
  for (auto& s : segs) s.categories = category_highlights(s);
  return segs;
}

}  // namespace segmint
