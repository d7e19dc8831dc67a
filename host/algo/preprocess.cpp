// Fitting and applying the preprocessing. The transform of one value is a fixed sequence of double
// operations, so training and `segmint predict` produce bit-identical model-space rows.
#include "segmint/preprocess.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <set>
#include <string_view>
#include <unordered_map>

#include "../dist/communicator.hpp"
#include "segmint/error.hpp"

namespace segmint {
namespace {

struct column_stats {
  double mean = 0;
  double sd = 0;
  double skewness = 0;
  double min = 0;
  bool constant = true;
  bool binary = true;  ///< at most two distinct values (e.g. 0/1 flags): never log-transformed automatically
};

inline double forward(float x, bool log1p) {
  const double v = static_cast<double>(x);
  return log1p ? std::log1p(v) : v;
}

/// Up to two distinct values seen (for the constant / binary tests), combined over processes.
struct distinct_pair {
  int32_t count = 0;
  float a = 0;
  float b = 0;
  void add(float v) {
    if (count == 0) {
      a = v;
      count = 1;
    } else if (v != a && (count == 1 || v != b)) {
      if (count == 1) {
        b = v;
        count = 2;
      } else {
        count = 3;  // three or more
      }
    }
  }
};

/// Mean, population standard deviation and (biased, Fisher-Pearson) skewness, in fixed row order and, for a
/// data-parallel run, over all processes (sums added in rank order).
column_stats stats_of(const float* x, int64_t n, bool log1p, const detail::communicator& comm) {
  column_stats s;
  double sum = 0;
  double min = std::numeric_limits<double>::infinity();
  distinct_pair seen;
  for (int64_t i = 0; i < n; ++i) {
    sum += forward(x[i], log1p);
    min = std::min(min, static_cast<double>(x[i]));
    if (seen.count < 3) seen.add(x[i]);
  }
  const int64_t total = comm.sum(n);
  if (total == 0) return s;
  sum = comm.sum(sum);
  s.min = comm.min(min);
  if (comm.size() > 1) {
    std::string mine(reinterpret_cast<const char*>(&seen), sizeof seen);
    distinct_pair all;
    for (const auto& b : comm.allgather(mine)) {
      distinct_pair p;
      std::memcpy(&p, b.data(), sizeof p);
      if (p.count >= 1) all.add(p.a);
      if (p.count >= 2) all.add(p.b);
      if (p.count >= 3) all.count = 3;
    }
    seen = all;
  }
  s.constant = seen.count <= 1;
  s.binary = seen.count <= 2;
  s.mean = sum / static_cast<double>(total);
  double m[2] = {0, 0};
  for (int64_t i = 0; i < n; ++i) {
    const double dv = forward(x[i], log1p) - s.mean;
    m[0] += dv * dv;
    m[1] += dv * dv * dv;
  }
  comm.sum(std::span<double>(m, 2));
  const double m2 = m[0] / static_cast<double>(total);
  const double m3 = m[1] / static_cast<double>(total);
  s.sd = std::sqrt(m2);
  s.skewness = m2 > 0 ? m3 / std::pow(m2, 1.5) : 0.0;
  return s;
}

std::string fmt(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", v);
  return buf;
}

/// Feature name → column, built once per call site (a per-name scan is quadratic on wide tables).
std::unordered_map<std::string_view, int64_t> column_index(const feature_table& t) {
  std::unordered_map<std::string_view, int64_t> index;
  for (size_t j = 0; j < t.features.size(); ++j) index.emplace(t.features[j].name, static_cast<int64_t>(j));
  return index;
}

int64_t column_of(const feature_table& t, const std::unordered_map<std::string_view, int64_t>& index,
                  const std::string& name) {
  if (const auto it = index.find(name); it != index.end()) return it->second;
  throw input_error(t.source + ": the model needs feature " + quote_value(name) + ", which this table does not have");
}

}  // namespace

std::vector<std::string> preprocess_model::output_names() const {
  std::vector<std::string> names;
  if (pca) {
    for (int64_t q = 0; q < pca->components.cols(); ++q) names.push_back("PC" + std::to_string(q + 1));
  } else {
    for (const auto& c : columns) names.push_back(c.name);
  }
  return names;
}

preprocess_model fit_preprocess(context& ctx, const feature_table& t, const preprocess_params& p,
                                std::vector<std::string>& warnings) {
  preprocess_model m;
  const std::set<std::string> log_set(p.log_columns.begin(), p.log_columns.end());
  std::string logged;
  std::vector<std::string> skewed;  // advise_log: "'Fresh' (2.55)"
  const auto index = column_index(t);
  for (const auto& name : p.log_columns) {
    const int64_t j = column_of(t, index, name);
    if (t.features[static_cast<size_t>(j)].kind != feature_kind::numeric)
      throw input_error("--log: " + quote_value(name) + " is not a numeric feature");
  }
  for (size_t j = 0; j < t.features.size(); ++j) {
    const feature_info& f = t.features[j];
    const float* x = t.values.col(static_cast<int64_t>(j));
    const column_stats raw = stats_of(x, t.rows(), false, ctx.comm());
    if (raw.constant) {
      m.dropped_constant.push_back(f.name);
      warnings.push_back("dropped constant column " + quote_value(f.name) + " (every value is the same)");
      continue;
    }
    column_transform c;
    c.name = f.name;
    if (log_set.count(f.name)) {
      if (raw.min < 0)
        throw input_error("--log: column " + quote_value(f.name) + " has negative values (min " + fmt(raw.min) + "); log1p needs values ≥ 0");
      c.log1p = true;
    } else if (p.log_auto && f.kind == feature_kind::numeric && !raw.binary && raw.min >= 0 &&
               raw.skewness > p.log_auto_skewness) {
      c.log1p = true;
      m.log_auto_selected.push_back(f.name);
      logged += (logged.empty() ? "" : ", ") + quote_value(f.name) + " (" + fmt(raw.skewness) + ")";
    } else if (p.advise_log && log_set.empty() && !p.log_auto && f.kind == feature_kind::numeric && !raw.binary &&
               raw.min >= 0 && raw.skewness > 2.0) {
      skewed.push_back(quote_value(f.name) + " (" + fmt(raw.skewness) + ")");
    }
    const column_stats s = c.log1p ? stats_of(x, t.rows(), true, ctx.comm()) : raw;
    c.mean = p.standardize ? s.mean : 0.0;
    c.scale = p.standardize && s.sd > 0 ? s.sd : 1.0;
    // A categorical column weighs one feature whatever its levels (docs/architecture.md, "Categorical
    // weight"): two customers with different levels differ in two indicators, each scaled by √2, so the
    // squared distance is 1, as for a one-standard-deviation difference in a numeric feature (k-prototypes'
    // γ = σ, Huang 1998). Scaling each indicator by its own standard deviation instead would put a rare
    // level tens of standard deviations away and let a column with many levels outweigh the rest.
    if (p.standardize && f.kind == feature_kind::one_hot) c.scale = std::sqrt(2.0);
    c.skewness = s.skewness;
    m.columns.push_back(c);
  }
  if (!logged.empty())
    warnings.push_back("--log auto: log1p applied to " + std::to_string(m.log_auto_selected.size()) +
                       (m.log_auto_selected.size() == 1 ? " skewed column" : " skewed columns") + " (skewness > " + fmt(p.log_auto_skewness) + "): " + logged);
  if (!skewed.empty()) {
    std::string list;
    for (size_t i = 0; i < skewed.size() && i < 4; ++i) list += (i == 0 ? "" : ", ") + skewed[i];
    if (skewed.size() > 4) list += " and " + std::to_string(skewed.size() - 4) + " more";
    warnings.push_back(std::to_string(skewed.size()) + (skewed.size() == 1 ? " column is" : " columns are") +
                       " strongly skewed (skewness > 2): " + list +
                       "; a few customers with the largest values can decide the segments: --log auto log-transforms them");
  }
  if (m.columns.empty()) throw input_error(t.source + ": every feature column is constant; there is nothing to segment on");
  if (p.pca) {
    const matrix z = standardize(m, t);
    m.pca = pca::fit(ctx, z.view(), *p.pca);
    ctx.unload();  // z dies here
  }
  return m;
}

matrix standardize(const preprocess_model& m, const feature_table& t) {
  matrix z(t.rows(), static_cast<int64_t>(m.columns.size()));
  const auto index = column_index(t);
  for (size_t q = 0; q < m.columns.size(); ++q) {
    const column_transform& c = m.columns[q];
    const float* x = t.values.col(column_of(t, index, c.name));
    float* out = z.col(static_cast<int64_t>(q));
    for (int64_t i = 0; i < t.rows(); ++i) {
      out[i] = static_cast<float>((forward(x[i], c.log1p) - c.mean) / c.scale);
      if (!std::isfinite(out[i])) {
        throw input_error(describe({t.file_of(static_cast<size_t>(i)), t.lines[static_cast<size_t>(i)], 0, ""},
                                   "column " + quote_value(c.name) + ": value " + std::to_string(x[i]) +
                                       (c.log1p ? " cannot be log-transformed (log1p needs values > -1)" : " overflows after scaling")));
      }
    }
  }
  return z;
}

matrix apply_preprocess(const preprocess_model& m, const feature_table& t) {
  matrix z = standardize(m, t);
  if (!m.pca) return z;
  return pca::transform(*m.pca, z.view());
}

}  // namespace segmint
