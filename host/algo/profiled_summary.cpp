// Per-segment descriptions of columns that were not clustered on (README "Profiling other columns").
#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "../io/median.hpp"
#include "segmint/profiled.hpp"
#include "stat_tests.hpp"

namespace segmint {
namespace {

constexpr const char* other_levels = "(other levels)";
constexpr size_t max_levels = 20;  // a crosstab wider than this is unreadable: the rarest levels are pooled

profiled_summary describe_numbers(const profiled_column& c, std::span<const int32_t> labels, int k) {
  profiled_summary s;
  s.column = c.name;
  s.why = c.why;
  s.numeric = true;
  const auto kk = static_cast<size_t>(k);
  std::vector<std::vector<float>> values(kk);
  std::vector<double> sums(kk, 0.0);
  double total = 0;
  int64_t present = 0;
  for (size_t i = 0; i < c.numbers.size(); ++i) {
    if (std::isnan(c.numbers[i])) continue;
    const auto seg = static_cast<size_t>(labels[i]);
    values[seg].push_back(static_cast<float>(c.numbers[i]));
    sums[seg] += c.numbers[i];
    total += c.numbers[i];
    ++present;
  }
  s.overall_mean = present > 0 ? total / static_cast<double>(present) : std::nan("");
  for (size_t seg = 0; seg < kk; ++seg) {
    profiled_segment p;
    const auto n_in = static_cast<int64_t>(values[seg].size());
    const int64_t n_out = present - n_in;
    p.present = n_in;
    p.mean = n_in > 0 ? sums[seg] / static_cast<double>(n_in) : std::nan("");
    const double mean_out = n_out > 0 ? (total - sums[seg]) / static_cast<double>(n_out) : std::nan("");
    double ss_in = 0, ss_out = 0;  // second pass around each group's own mean
    for (size_t i = 0; i < c.numbers.size(); ++i) {
      if (std::isnan(c.numbers[i])) continue;
      if (static_cast<size_t>(labels[i]) == seg) ss_in += (c.numbers[i] - p.mean) * (c.numbers[i] - p.mean);
      else ss_out += (c.numbers[i] - mean_out) * (c.numbers[i] - mean_out);
    }
    p.p_value = detail::welch_p_value(n_in, p.mean, n_in > 1 ? ss_in / static_cast<double>(n_in - 1) : 0.0, n_out, mean_out,
                                      n_out > 1 ? ss_out / static_cast<double>(n_out - 1) : 0.0);
    p.median = detail::median_in_place(values[seg]);
    s.segments.push_back(std::move(p));
  }
  return s;
}

profiled_summary describe_levels(const profiled_column& c, std::span<const int32_t> labels, int k) {
  profiled_summary s;
  s.column = c.name;
  s.why = c.why;
  std::map<std::string, int64_t> frequency;
  for (const auto& v : c.text) ++frequency[v.empty() ? missing_level : v];
  std::vector<std::pair<std::string, int64_t>> by_count(frequency.begin(), frequency.end());
  std::stable_sort(by_count.begin(), by_count.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
  const bool pooled = by_count.size() > max_levels;
  const size_t named = pooled ? max_levels - 1 : by_count.size();
  std::set<std::string> kept;  // the most frequent levels, shown in sorted order
  for (size_t r = 0; r < named; ++r) kept.insert(by_count[r].first);
  std::map<std::string, size_t> index;  // level → its column
  for (const auto& level : kept) {
    index[level] = s.levels.size();
    s.levels.push_back(level);
  }
  if (pooled) {
    for (size_t r = named; r < by_count.size(); ++r) index[by_count[r].first] = s.levels.size();
    s.levels.push_back(other_levels);
  }
  const auto kk = static_cast<size_t>(k);
  std::vector<std::vector<int64_t>> counts(kk, std::vector<int64_t>(s.levels.size(), 0));
  std::vector<int64_t> sizes(kk, 0), overall(s.levels.size(), 0);
  for (size_t i = 0; i < c.text.size(); ++i) {
    const size_t level = index.at(c.text[i].empty() ? missing_level : c.text[i]);
    ++counts[static_cast<size_t>(labels[i])][level];
    ++sizes[static_cast<size_t>(labels[i])];
    ++overall[level];
  }
  const auto n = static_cast<double>(c.text.size());
  for (int64_t o : overall) s.overall_shares.push_back(n > 0 ? static_cast<double>(o) / n : 0.0);
  for (size_t seg = 0; seg < kk; ++seg) {
    profiled_segment p;
    p.present = sizes[seg];
    for (int64_t count : counts[seg])
      p.shares.push_back(sizes[seg] > 0 ? static_cast<double>(count) / static_cast<double>(sizes[seg]) : 0.0);
    p.mean = p.median = std::nan("");
    s.segments.push_back(std::move(p));
  }
  const auto test = detail::chi_square_independence(counts);
  s.chi_square = test.statistic;
  s.dof = test.dof;
  s.p_value = test.p_value;
  return s;
}

}  // namespace

std::vector<profiled_summary> describe_profiled(const feature_table& t, std::span<const int32_t> labels, int k) {
  std::vector<profiled_summary> out;
  for (const auto& c : t.profiled) out.push_back(c.numeric ? describe_numbers(c, labels, k) : describe_levels(c, labels, k));
  return out;
}

}  // namespace segmint
