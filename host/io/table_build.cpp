#include "table_build.hpp"

#include <algorithm>
#include <cmath>
#include <set>
#include <span>

#include "../dist/collectives.hpp"
#include "median.hpp"
#include "segmint/error.hpp"

namespace segmint::detail {
namespace {

/// The levels of a categorical column at fit time, sorted, with the rare ones (each under 1% of the rows,
/// two or more of them) pooled into "(other)": a level held by a handful of customers cannot make a
/// segment, and one column per such level only adds dimensions. Counts are over every process.
std::vector<std::string> fitted_levels(const raw_column& c, const std::vector<size_t>& rows, const detail::communicator& comm) {
  std::map<std::string, int64_t> local;
  for (size_t r : rows) ++local[c.text[r].empty() ? missing_level : c.text[r]];
  std::vector<std::string> levels;
  for (const auto& [level, count] : local) levels.push_back(level);
  if (comm.size() > 1) levels = detail::global_union(levels, comm);
  std::vector<int64_t> counts(levels.size(), 0);
  for (size_t i = 0; i < levels.size(); ++i)
    if (const auto it = local.find(levels[i]); it != local.end()) counts[i] = it->second;
  comm.sum(std::span<int64_t>(counts));
  int64_t total = 0;
  for (int64_t n : counts) total += n;
  std::vector<std::string> kept;
  size_t rare = 0;
  for (size_t i = 0; i < levels.size(); ++i) {
    if (counts[i] * 100 < total && levels[i] != missing_level) ++rare;
    else kept.push_back(levels[i]);
  }
  if (rare < 2 || kept.empty()) return levels;
  // A level written "(other)" in the data is the same group as the pooled rare levels.
  if (std::find(kept.begin(), kept.end(), other_level) == kept.end()) kept.push_back(other_level);
  std::sort(kept.begin(), kept.end());
  return kept;
}

void impute_with_global_medians(std::vector<feature_info>& features, const std::vector<std::vector<float>>& presents,
                                bool compute_medians, matrix& values, const detail::communicator& comm,
                                std::vector<char>& nothing_to_impute) {
  std::vector<int64_t> missing;
  std::vector<std::vector<float>> sets;
  std::vector<size_t> numeric;
  for (size_t f = 0; f < features.size(); ++f) {
    if (features[f].kind != feature_kind::numeric) continue;
    numeric.push_back(f);
    missing.push_back(features[f].imputed);
    sets.push_back(presents[f]);
  }
  const std::vector<int64_t> local_missing = missing;
  comm.sum(std::span<int64_t>(missing));
  const std::vector<double> medians = compute_medians ? detail::global_medians(sets, comm) : std::vector<double>();
  for (size_t i = 0; i < numeric.size(); ++i) {
    feature_info& info = features[numeric[i]];
    info.imputed = missing[i];
    if (compute_medians) info.impute_value = medians[i];
    if (missing[i] > 0 && std::isnan(info.impute_value)) nothing_to_impute[numeric[i]] = 1;
    if (local_missing[i] == 0 || std::isnan(info.impute_value)) continue;
    float* dst = values.col(static_cast<int64_t>(numeric[i]));
    for (int64_t r = 0; r < values.rows(); ++r)
      if (std::isnan(dst[r])) dst[r] = static_cast<float>(info.impute_value);
  }
}

/// The features in order — numeric columns as planned, then one level per indicator of each categorical
/// column (levels fitted here, or a model's) — with the parsed column each one reads.
void lay_out_features(const raw_table& raw, const role_plan& roles, const std::vector<size_t>& rows,
                      const std::map<std::string, std::vector<std::string>>* fixed_levels, feature_table& t,
                      const communicator& comm, std::vector<feature_info>& features, std::vector<const raw_column*>& sources) {
  // (header index, kind) → parsed column: one lookup per role column, not a scan (tables can be 10^5 wide).
  std::map<std::pair<int, column_kind>, const raw_column*> parsed;
  for (const auto& c : raw.columns) parsed.emplace(std::pair{c.index, c.kind}, &c);
  for (int j : roles.numeric) {
    if (const auto it = parsed.find({j, column_kind::numeric}); it != parsed.end()) {
      const raw_column& c = *it->second;
      feature_info f;
      f.name = c.name;
      f.source = c.name;
      features.push_back(f);
      sources.push_back(&c);
    }
  }
  for (int j : roles.categorical) {
    if (const auto it = parsed.find({j, column_kind::text}); it != parsed.end()) {
      const raw_column& c = *it->second;
      std::vector<std::string> levels;
      if (fixed_levels != nullptr) {
        levels = fixed_levels->at(c.name);
      } else {
        levels = fitted_levels(c, rows, comm);
      }
      t.categorical_levels[c.name] = levels;
      // One level per customer (an id, a free-text answer) becomes one feature per customer: say so.
      const auto n_rows = static_cast<double>(std::max<size_t>(rows.size(), 1));
      if (fixed_levels == nullptr && levels.size() > 50 && static_cast<double>(levels.size()) > 0.5 * n_rows)
        t.warnings.push_back("--categorical " + quote_value(c.name) + " has " + std::to_string(levels.size()) +
                             " levels for " + std::to_string(rows.size()) +
                             " rows (one feature each): it looks like an id or free text, not a category");
      for (const auto& level : levels) {
        feature_info f;
        f.name = c.name + "=" + level;
        f.source = c.name;
        f.kind = feature_kind::one_hot;
        f.level = level;
        features.push_back(f);
        sources.push_back(&c);
      }
    }
  }
}

/// The 0/1 column of one level; "(other)" is every value that is none of the column's other levels.
void fill_indicator(const feature_info& info, const raw_column& src, const std::vector<size_t>& rows,
                    const std::vector<std::string>& levels, float* dst) {
  const auto n = static_cast<int64_t>(rows.size());
  if (info.level == other_level) {
    const std::set<std::string> known(levels.begin(), levels.end());
    for (int64_t r = 0; r < n; ++r) {
      const std::string& v = src.text[rows[static_cast<size_t>(r)]];
      dst[r] = v == info.level || !known.count(v.empty() ? std::string(missing_level) : v) ? 1.0f : 0.0f;
    }
    return;
  }
  const bool missing_is_level = info.level == missing_level;
  for (int64_t r = 0; r < n; ++r) {
    const std::string& v = src.text[rows[static_cast<size_t>(r)]];
    dst[r] = (v.empty() ? missing_is_level : v == info.level) ? 1.0f : 0.0f;
  }
}

/// Ids, lines and files of the rows kept (moved out of `raw` when every row is kept); without an id column
/// the ids are data row numbers, rejected rows counted, so segments join back to the input by row number.
void fill_row_identities(raw_table& raw, const role_plan& roles, const std::vector<size_t>& rows, bool all_kept, feature_table& t,
                         const communicator& comm) {
  const size_t n_raw = raw.lines.size();
  raw_column* id_col = nullptr;
  for (auto& c : raw.columns)
    if (roles.id && c.index == *roles.id && c.kind == column_kind::text) id_col = &c;
  t.files = raw.files;
  if (all_kept) {
    t.lines = std::move(raw.lines);
    t.file_of_row = std::move(raw.file_of_row);
    if (id_col != nullptr) t.ids = std::move(id_col->text);
  } else {
    t.lines.clear();
    t.file_of_row.clear();
    for (size_t r : rows) t.lines.push_back(raw.lines[r]);
    if (!raw.file_of_row.empty())
      for (size_t r : rows) t.file_of_row.push_back(raw.file_of_row[r]);
    if (id_col != nullptr)
      for (size_t r : rows) t.ids.push_back(id_col->text[r]);
  }
  if (id_col == nullptr) {
    const int64_t first = comm.exclusive_prefix(static_cast<int64_t>(rows.size()));
    t.ids.resize(rows.size());
    for (size_t r = 0; r < rows.size(); ++r)
      t.ids[r] = std::to_string(raw.records.size() == n_raw ? raw.records[rows[r]] : first + static_cast<int64_t>(r) + 1);
  }
}

}  // namespace

void build_table(raw_table& raw, const detail::role_plan& roles, const std::vector<bool>& keep,
                 const std::map<std::string, std::vector<std::string>>* fixed_levels,
                 const std::vector<feature_info>* fixed_numeric, feature_table& t,
                 const detail::communicator& comm) {
  const bool sharded = comm.size() > 1;
  const size_t n_raw = raw.lines.size();
  const bool all_kept = std::find(keep.begin(), keep.end(), false) == keep.end();
  std::vector<size_t> rows;
  for (size_t i = 0; i < n_raw; ++i)
    if (keep[i]) rows.push_back(i);
  const auto n = static_cast<int64_t>(rows.size());

  // Feature layout: numeric columns (in input order), then one-hot levels of each categorical column.
  std::vector<feature_info> features;
  std::vector<const raw_column*> sources;
  lay_out_features(raw, roles, rows, fixed_levels, t, comm, features, sources);
  std::vector<size_t> numeric_index(features.size(), 0);
  for (size_t f = 0, seen = 0; f < features.size(); ++f)
    if (features[f].kind == feature_kind::numeric) numeric_index[f] = seen++;

  t.values = matrix(n, static_cast<int64_t>(features.size()));
  std::vector<char> nothing_to_impute(features.size(), 0);
  std::vector<std::vector<float>> presents(sharded ? features.size() : 0);  // sharded: medians after the loop
  const auto nf = static_cast<int64_t>(features.size());
#pragma omp parallel for schedule(dynamic, 1)
  for (int64_t f = 0; f < nf; ++f) {
    feature_info& info = features[static_cast<size_t>(f)];
    float* dst = t.values.col(f);
    const raw_column& src = *sources[static_cast<size_t>(f)];
    if (info.kind == feature_kind::one_hot) {
      fill_indicator(info, src, rows, t.categorical_levels.at(info.source), dst);
      continue;
    }
    std::vector<float> present;
    if (fixed_numeric == nullptr) present.reserve(static_cast<size_t>(n));
    int64_t missing = 0;
    for (int64_t r = 0; r < n; ++r) {
      const float v = src.numbers[rows[static_cast<size_t>(r)]];
      dst[r] = v;
      if (std::isnan(v)) ++missing;
      else if (fixed_numeric == nullptr) present.push_back(v);
    }
    info.imputed = missing;
    if (sharded && fixed_numeric == nullptr) {
      presents[static_cast<size_t>(f)] = std::move(present);
      continue;
    }
    const double fill = fixed_numeric != nullptr ? (*fixed_numeric)[numeric_index[static_cast<size_t>(f)]].impute_value
                                                 : detail::median_in_place(present);
    info.impute_value = fill;
    if (missing > 0 && std::isnan(fill)) {
      nothing_to_impute[static_cast<size_t>(f)] = 1;
      continue;
    }
    if (missing > 0)
      for (int64_t r = 0; r < n; ++r)
        if (std::isnan(dst[r])) dst[r] = static_cast<float>(fill);
  }
  if (sharded) impute_with_global_medians(features, presents, fixed_numeric == nullptr, t.values, comm, nothing_to_impute);
  for (size_t f = 0; f < features.size(); ++f) {
    if (nothing_to_impute[f])
      throw input_error(raw.source + ": column " + quote_value(features[f].source) + " has no values to impute its " +
                        std::to_string(features[f].imputed) + " missing entries from");
  }
  t.features = std::move(features);

  fill_row_identities(raw, roles, rows, all_kept, t, comm);
}

}  // namespace segmint::detail
