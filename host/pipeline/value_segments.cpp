#include "value_segments.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <unordered_map>

#include "../algo/rng.hpp"
#include "../io/median.hpp"
#include "segmint/error.hpp"

namespace segmint::detail {
namespace {

/// The 2.5% and 97.5% quantiles of the mean of `values` over `resamples` seeded bootstrap draws.
std::pair<double, double> bootstrap_interval(const std::vector<double>& values, int resamples, uint64_t seed, uint64_t stream) {
  const auto n = static_cast<int64_t>(values.size());
  std::vector<double> means(static_cast<size_t>(resamples));
#pragma omp parallel for schedule(static)
  for (int b = 0; b < resamples; ++b) {
    double sum = 0;
    for (int64_t i = 0; i < n; ++i)
      sum += values[static_cast<size_t>(random_index(seed, rng_purpose::value_bootstrap, stream, static_cast<uint64_t>(b) * n + i, n))];
    means[static_cast<size_t>(b)] = sum / static_cast<double>(n);
  }
  std::sort(means.begin(), means.end());
  const auto at = [&](double q) { return means[static_cast<size_t>(std::floor(q * (resamples - 1) + 0.5))]; };
  return {at(0.025), at(0.975)};
}

}  // namespace

segment_assignment assign_segments(const std::string& run_dir, const std::vector<std::string>& ids) {
  const std::string path = (std::filesystem::path(run_dir) / "segments.csv").string();
  if (!std::filesystem::exists(path)) throw input_error("--segments " + run_dir + ": no segments.csv there (give a segmint run --out folder)");
  int segment_index = -1, name_index = -1;
  csv_options o;  // segmint writes segments.csv with commas and '.', whatever the summary's layout
  o.delimiter = ',';
  o.on_bad_row = bad_row_policy::fail;  // segmint's own file: any bad row means it is not one
  const raw_table raw = read_csv(path, o, [&](const std::vector<csv_column_info>& header) {
    for (const auto& c : header) {
      if (c.name == "segment") segment_index = c.index;
      if (c.name == "segment_name") name_index = c.index;
    }
    if (header.empty() || segment_index <= 0 || name_index <= 0)
      throw input_error(path + ": not a segmint segments.csv (it needs the id, segment and segment_name columns)");
    csv_plan plan;
    plan.numeric = {segment_index};
    plan.text = {header[0].index, name_index};
    plan.id = header[0].index;
    return plan;
  });
  const auto& seg = raw.columns[0].numbers;
  const auto& id = raw.columns[1].text;
  const auto& name = raw.columns[2].text;
  std::unordered_map<std::string_view, size_t> row_of;
  for (size_t i = 0; i < id.size(); ++i) row_of.emplace(id[i], i);
  segment_assignment a;
  a.segment_of.assign(ids.size(), -1);
  std::vector<char> matched(id.size(), 0);
  for (size_t i = 0; i < ids.size(); ++i) {
    const auto it = row_of.find(ids[i]);
    if (it == row_of.end()) continue;
    const auto s = static_cast<int32_t>(seg[it->second]);
    if (!(s >= 0 && s < 10000 && static_cast<float>(s) == seg[it->second])) throw input_error(path + ": segment numbers must be 0, 1, 2, …");
    a.segment_of[i] = s;
    matched[it->second] = 1;
    if (static_cast<size_t>(s) >= a.names.size()) a.names.resize(static_cast<size_t>(s) + 1);
    a.names[static_cast<size_t>(s)] = name[it->second];
  }
  for (char m : matched) a.without_value += m == 0;
  return a;
}

std::vector<segment_value> value_by_segment(const segment_assignment& a, const std::vector<double>& p_alive,
                                            const std::vector<double>& expected_purchases, const std::vector<double>& expected_spend,
                                            const std::vector<double>& clv, int resamples, uint64_t seed) {
  std::vector<segment_value> out(a.names.size());
  std::vector<std::vector<double>> alive(a.names.size()), lifetime(a.names.size());
  for (size_t i = 0; i < a.segment_of.size(); ++i) {  // in customer order: the same sums on any thread count
    const int32_t s = a.segment_of[i];
    if (s < 0) continue;
    segment_value& v = out[static_cast<size_t>(s)];
    ++v.customers;
    alive[static_cast<size_t>(s)].push_back(p_alive[i]);
    v.mean_p_alive += p_alive[i];
    v.expected_purchases += expected_purchases[i];
    if (!clv.empty()) {
      v.expected_spend += expected_spend[i];
      v.total_clv += clv[i];
      lifetime[static_cast<size_t>(s)].push_back(clv[i]);
    }
  }
  for (size_t s = 0; s < out.size(); ++s) {
    segment_value& v = out[s];
    v.segment = static_cast<int32_t>(s);
    v.name = a.names[s];
    if (v.customers == 0) continue;
    v.mean_p_alive /= static_cast<double>(v.customers);
    v.median_p_alive = median_in_place(alive[s]);
    if (!clv.empty()) {
      v.with_spend = true;
      v.mean_clv = v.total_clv / static_cast<double>(v.customers);
      std::tie(v.mean_clv_low, v.mean_clv_high) = bootstrap_interval(lifetime[s], resamples, seed, s);
    }
  }
  out.erase(std::remove_if(out.begin(), out.end(), [](const segment_value& v) { return v.customers == 0; }), out.end());
  return out;
}

}  // namespace segmint::detail
