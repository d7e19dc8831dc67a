#include "segmint/profile.hpp"

#include <algorithm>
#include <cmath>

#include "../dist/collectives.hpp"
#include "../io/median.hpp"

namespace segmint {
namespace {

constexpr double driver_min_abs_z = 0.25;

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

void finish_profiles(std::vector<segment_profile>& segs, int64_t d);

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
      int64_t not_zero_one = 0;
      for (int64_t i = 0; i < n; ++i) {
        sum += x[i];
        not_zero_one += x[i] != 0.0f && x[i] != 1.0f;
      }
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
        f.median = detail::median_in_place(values);
        f.population_mean = mean;
        f.population_sd = sd;
        f.z = sd > 0 && !values.empty() ? (f.mean - mean) / sd : 0.0;
        f.yes_no = info.kind == feature_kind::numeric && not_zero_one == 0;
      }
    }
  }
  finish_profiles(segs, d);
  return segs;
}

std::vector<segment_profile> profile_segments(const feature_table& t, std::span<const int32_t> labels, int k,
                                              const detail::communicator& comm) {
  if (comm.size() == 1) return profile_segments(t, labels, k);
  // Data-parallel: every statistic over all processes' rows (sums in rank order, medians exact).
  const int64_t n_local = t.rows();
  const auto d = static_cast<int64_t>(t.features.size());
  std::vector<int64_t> sizes(static_cast<size_t>(k), 0);
  for (int64_t i = 0; i < n_local; ++i) ++sizes[static_cast<size_t>(labels[static_cast<size_t>(i)])];
  comm.sum(std::span<int64_t>(sizes));
  int64_t n = 0;
  for (int64_t s : sizes) n += s;
  // sums: [0, d) column totals, then k × d per-segment totals (segment c, feature j at d + c·d + j)
  std::vector<double> sums(static_cast<size_t>(d + k * d), 0.0);
  std::vector<int64_t> not_zero_one(static_cast<size_t>(d), 0);
  for (int64_t j = 0; j < d; ++j) {
    const float* x = t.values.col(j);
    for (int64_t i = 0; i < n_local; ++i) {
      not_zero_one[static_cast<size_t>(j)] += x[i] != 0.0f && x[i] != 1.0f;
      sums[static_cast<size_t>(j)] += x[i];
      sums[static_cast<size_t>(d + labels[static_cast<size_t>(i)] * d + j)] += x[i];
    }
  }
  comm.sum(std::span<double>(sums));
  comm.sum(std::span<int64_t>(not_zero_one));
  std::vector<double> ss(static_cast<size_t>(d), 0.0);
  for (int64_t j = 0; j < d; ++j) {
    const double mean = n > 0 ? sums[static_cast<size_t>(j)] / static_cast<double>(n) : 0.0;
    const float* x = t.values.col(j);
    for (int64_t i = 0; i < n_local; ++i) ss[static_cast<size_t>(j)] += (x[i] - mean) * (x[i] - mean);
  }
  comm.sum(std::span<double>(ss));
  std::vector<std::vector<float>> sets(static_cast<size_t>(k * d));  // segment c, feature j at c·d + j
  for (int64_t j = 0; j < d; ++j) {
    const float* x = t.values.col(j);
    for (int64_t i = 0; i < n_local; ++i) sets[static_cast<size_t>(labels[static_cast<size_t>(i)] * d + j)].push_back(x[i]);
  }
  const std::vector<double> medians = detail::global_medians(sets, comm);
  std::vector<segment_profile> segs(static_cast<size_t>(k));
  for (int c = 0; c < k; ++c) {
    segment_profile& s = segs[static_cast<size_t>(c)];
    s.id = c;
    s.size = sizes[static_cast<size_t>(c)];
    s.share = n > 0 ? static_cast<double>(s.size) / static_cast<double>(n) : 0.0;
    s.features.resize(static_cast<size_t>(d));
    for (int64_t j = 0; j < d; ++j) {
      feature_profile& f = s.features[static_cast<size_t>(j)];
      const feature_info& info = t.features[static_cast<size_t>(j)];
      const double mean = n > 0 ? sums[static_cast<size_t>(j)] / static_cast<double>(n) : 0.0;
      const double sd = n > 0 ? std::sqrt(ss[static_cast<size_t>(j)] / static_cast<double>(n)) : 0.0;
      f.name = info.name;
      f.kind = info.kind;
      f.source = info.source;
      f.level = info.level;
      f.mean = s.size > 0 ? sums[static_cast<size_t>(d + c * d + j)] / static_cast<double>(s.size) : std::nan("");
      f.median = medians[static_cast<size_t>(c * d + j)];
      f.population_mean = mean;
      f.population_sd = sd;
      f.z = sd > 0 && s.size > 0 ? (f.mean - mean) / sd : 0.0;
      f.yes_no = info.kind == feature_kind::numeric && not_zero_one[static_cast<size_t>(j)] == 0;
    }
  }
  finish_profiles(segs, d);
  return segs;
}

void rescore_on_log_scale(std::vector<segment_profile>& segments, const feature_table& t, std::span<const int32_t> labels,
                          const std::vector<std::string>& logged, const detail::communicator& comm) {
  if (logged.empty() || segments.empty()) return;
  const auto k = segments.size();
  for (size_t j = 0; j < t.features.size(); ++j) {
    if (std::find(logged.begin(), logged.end(), t.features[j].name) == logged.end()) continue;
    const float* x = t.values.col(static_cast<int64_t>(j));
    // sums[c] per segment, sums[k] overall; counts alike; then the overall sum of squares (two passes: exact).
    std::vector<double> sums(k + 1, 0.0);
    std::vector<int64_t> counts(k + 1, 0);
    for (int64_t i = 0; i < t.rows(); ++i) {
      const double v = std::log1p(static_cast<double>(x[i]));
      sums[static_cast<size_t>(labels[static_cast<size_t>(i)])] += v;
      ++counts[static_cast<size_t>(labels[static_cast<size_t>(i)])];
      sums[k] += v;
      ++counts[k];
    }
    comm.sum(std::span<double>(sums));
    comm.sum(std::span<int64_t>(counts));
    if (counts[k] == 0) continue;
    const double mean = sums[k] / static_cast<double>(counts[k]);
    double ss = 0;
    for (int64_t i = 0; i < t.rows(); ++i) {
      const double dv = std::log1p(static_cast<double>(x[i])) - mean;
      ss += dv * dv;
    }
    ss = comm.sum(ss);
    const double sd = std::sqrt(ss / static_cast<double>(counts[k]));
    for (size_t c = 0; c < k; ++c) {
      feature_profile& f = segments[c].features[j];
      f.z = sd > 0 && counts[c] > 0 ? (sums[c] / static_cast<double>(counts[c]) - mean) / sd : 0.0;
      f.log_scale = true;
    }
  }
  for (auto& s : segments) s.drivers.clear();
  finish_profiles(segments, static_cast<int64_t>(t.features.size()));
}

namespace {

void finish_profiles(std::vector<segment_profile>& segs, int64_t d) {
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
}

}  // namespace

}  // namespace segmint
