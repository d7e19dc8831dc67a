// From a parsed CSV to the feature table: column roles, id checks, median imputation, one-hot encoding.
#include <algorithm>
#include <cstdio>
#include <cmath>
#include <filesystem>
#include <iterator>
#include <limits>
#include <map>
#include <memory>
#include <set>
#include <span>
#include <string_view>
#include <unordered_map>

#include "median.hpp"
#include "../dist/collectives.hpp"
#include "csv_shard.hpp"
#include "duplicates.hpp"
#include "gzip.hpp"
#include "header_lookup.hpp"
#include "number_parse.hpp"
#include "input_files.hpp"
#include "column_names.hpp"
#include "role_plan.hpp"
#include "scaled_columns.hpp"
#include "segmint/error.hpp"
#include "segmint/table.hpp"

namespace segmint {
namespace {

using detail::header_lookup;

constexpr const char* other_level = "(other)";  // rare levels pooled (README "Categorical columns")

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

std::vector<std::string> names_of(const std::vector<csv_column_info>& header) {
  std::vector<std::string> names;
  for (const auto& c : header) names.push_back(c.name);
  return names;
}

/// Float32 values (the table stores them) with their 7 significant digits: 47.8, not 47.799999.
std::string short_number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.7g", v);
  return buf;
}

/// Rows whose id repeats an earlier row's id: an error, or (skip policy) rejected as duplicate_id.
std::vector<bool> check_unique_ids(const raw_table& raw, const raw_column& id, bool fail) {
  const std::vector<int64_t> first = detail::earlier_duplicates(id.text);
  std::vector<bool> keep(id.text.size(), true);
  for (size_t i = 0; i < first.size(); ++i) {
    if (first[i] < 0) continue;
    if (fail) {
      const auto f = static_cast<size_t>(first[i]);
      throw input_error(describe({raw.file_of(i), raw.lines[i], id.index + 1, id.name},
                                 "duplicate id " + quote_value(id.text[i]) + " (first on line " +
                                     std::to_string(raw.lines[f]) +
                                     (raw.file_of(f) != raw.file_of(i) ? " of " + raw.file_of(f) : std::string()) +
                                     "); ids must be unique (--on-bad-row skip keeps the first)"));
    }
    keep[i] = false;
  }
  return keep;
}

bool all_unique(const raw_column& c) {
  for (int64_t f : detail::earlier_duplicates(c.text))
    if (f >= 0) return false;
  return true;
}

/// check_unique_ids over all processes: ids compared by 128-bit hash at the process owning the hash; the
/// first repeat in file order (the lowest rank's) is the error every process raises.
std::vector<bool> check_unique_ids_sharded(const raw_table& raw, const raw_column& id, bool fail,
                                           const detail::communicator& comm) {
  const int64_t first_row = comm.exclusive_prefix(static_cast<int64_t>(id.text.size()));
  const std::vector<int64_t> earlier = detail::global_earlier_duplicates(id.text, first_row, comm);
  std::vector<bool> keep(id.text.size(), true);
  std::string failure;
  for (size_t i = 0; i < earlier.size(); ++i) {
    if (earlier[i] < 0) continue;
    keep[i] = false;
    if (fail && failure.empty())
      failure = describe({raw.file_of(i), raw.lines[i], id.index + 1, id.name},
                         "duplicate id " + quote_value(id.text[i]) + " (first at data row " + std::to_string(earlier[i] + 1) +
                             "); ids must be unique (--on-bad-row skip keeps the first) [found by rank " +
                             std::to_string(comm.rank()) + "]");
  }
  for (const auto& f : comm.allgather(failure)) {
    if (f.empty()) continue;
    input_error e(f);
    e.mark_collective();
    throw e;
  }
  return keep;
}

bool all_unique_sharded(const raw_column& c, const detail::communicator& comm) {
  const int64_t first_row = comm.exclusive_prefix(static_cast<int64_t>(c.text.size()));
  int64_t repeats = 0;
  for (int64_t f : detail::global_earlier_duplicates(c.text, first_row, comm)) repeats += f >= 0;
  return comm.sum(repeats) == 0;
}


/// Reads the scaled text columns as numbers; a column no scale fits leaves the features with its reason.
/// Every feature read from text remembers its scale (the model applies it to new rows).
std::map<std::string, detail::text_scale> read_scales(raw_table& raw, detail::role_plan& roles, char decimal, bool fail,
                                                      std::vector<bool>& keep, feature_table& t,
                                                      const detail::communicator& comm) {
  std::map<std::string, detail::text_scale> by_name;
  if (roles.scaled.empty()) return by_name;
  const auto used = detail::read_scaled_columns(raw, roles.scale_requests(), decimal, fail, keep, t.ledger, comm);
  for (size_t r = 0; r < used.size(); ++r) {
    const int j = roles.scaled[r].request.column;
    const std::string& name = raw.header[static_cast<size_t>(j)].name;
    if (used[r]) {
      if (!used[r]->rule.empty()) by_name[name] = *used[r];
      continue;
    }
    roles.numeric.erase(std::find(roles.numeric.begin(), roles.numeric.end(), j));
    t.skipped_columns.push_back(name + " (" + roles.scaled[r].unscaled_reason + ")");
    const auto& c = raw.header[static_cast<size_t>(j)];
    if (c.sample_numbers > c.sample_texts)
      t.warnings.push_back("column " + quote_value(c.name) + " was not used: mostly numbers, but line " +
                           std::to_string(c.first_text_line) + " has " + quote_value(c.first_text) +
                           " (name it in --features to use it; such rows are then bad rows)");
  }
  return by_name;
}

/// Default features: a numeric column named like a code ("Channel", "Region") that holds a few whole
/// numbers is a label, not an amount; it leaves the features with the way to use it as a category.
void drop_code_columns(const raw_table& raw, detail::role_plan& roles, feature_table& t, const detail::communicator& comm) {
  for (const auto& c : raw.columns) {
    if (c.kind != column_kind::numeric || !detail::looks_like_code(c.name)) continue;
    const auto it = std::find(roles.numeric.begin(), roles.numeric.end(), c.index);
    if (it == roles.numeric.end()) continue;
    if (std::any_of(roles.scaled.begin(), roles.scaled.end(), [&](const auto& r) { return r.request.column == c.index; })) continue;
    if (!detail::holds_integer_codes(c, comm)) continue;
    roles.numeric.erase(it);
    t.skipped_columns.push_back(c.name + " (integer codes, labels rather than amounts: --categorical uses them)");
  }
}

/// The profiled columns of the used rows: numbers when every value present is one, text otherwise.
void fill_profiled(const raw_table& raw, const detail::role_plan& roles, const std::vector<bool>& keep, char decimal, feature_table& t) {
  for (const auto& [j, why] : roles.profiled) {
    const raw_column* c = nullptr;
    for (const auto& col : raw.columns)
      if (col.index == j && col.kind == column_kind::text) c = &col;
    if (c == nullptr) continue;
    profiled_column p{c->name, why, true, {}, {}};
    for (size_t i = 0; i < c->text.size(); ++i) {
      if (!keep[i]) continue;
      float v = 0;
      const auto status = detail::parse_number(c->text[i], decimal, v);
      if (status == detail::number_status::ok) p.numbers.push_back(v);
      else if (status == detail::number_status::missing) p.numbers.push_back(std::numeric_limits<double>::quiet_NaN());
      else p.numeric = false;
      p.text.push_back(detail::is_missing_token(c->text[i]) ? std::string() : c->text[i]);
    }
    if (p.numeric) p.text.clear();
    else p.numbers.clear();
    t.profiled.push_back(std::move(p));
  }
}

void remember_scales(const std::map<std::string, detail::text_scale>& scales, std::vector<feature_info>& features) {
  for (auto& f : features)
    if (const auto it = scales.find(f.source); it != scales.end() && f.kind == feature_kind::numeric) {
      f.text_rule = it->second.rule;
      f.text_values = it->second.values;
    }
}

/// Data-parallel imputation: the missing counts summed and the medians taken over every process's rows.
/// " (values such as '2,5' ...)" when a text column's first value is a number written with a decimal comma.
std::string decimal_comma_hint(const std::vector<csv_column_info>& header, char decimal) {
  if (decimal == ',') return "";
  for (const auto& c : header) {
    const std::string& v = c.first_text;
    const size_t comma = v.find(',');
    if (c.kind != column_kind::text || comma == std::string::npos || comma == 0 || comma + 1 >= v.size()) continue;
    const bool digits = std::all_of(v.begin(), v.end(), [](char ch) { return (ch >= '0' && ch <= '9') || ch == ',' || ch == '-'; });
    if (digits && v.find(',', comma + 1) == std::string::npos)
      return "; column " + quote_value(c.name) + " holds values such as " + quote_value(v) +
             ", written with a decimal comma: add --decimal ,";
  }
  return "";
}

/// Rows with no value in any feature column would become customers made entirely of imputed values: an
/// error naming the line (fail policy), or rejected as no_feature_values (skip). Every process reports the
/// first such row in file order when the table is sharded.
void reject_rows_without_values(const raw_table& raw, const detail::role_plan& roles, bool fail, std::vector<bool>& keep,
                                row_ledger& ledger, const detail::communicator& comm) {
  std::vector<const raw_column*> numeric;
  std::vector<const raw_column*> text;
  for (const auto& c : raw.columns) {
    if (c.kind == column_kind::numeric && std::find(roles.numeric.begin(), roles.numeric.end(), c.index) != roles.numeric.end())
      numeric.push_back(&c);
    if (c.kind == column_kind::text &&
        std::find(roles.categorical.begin(), roles.categorical.end(), c.index) != roles.categorical.end())
      text.push_back(&c);
  }
  if (numeric.empty() && text.empty()) return;
  std::string failure;
  int64_t rejected = 0;
  for (size_t i = 0; i < keep.size(); ++i) {
    if (!keep[i]) continue;
    bool any = false;
    for (const raw_column* c : numeric) any = any || !std::isnan(c->numbers[i]);
    for (const raw_column* c : text) any = any || !c->text[i].empty();
    if (any) continue;
    keep[i] = false;
    ++rejected;
    if (fail && failure.empty()) {
      const raw_column& first = numeric.empty() ? *text.front() : *numeric.front();
      failure = describe({raw.file_of(i), raw.lines[i], first.index + 1, first.name},
                         "no value in any feature column: the customer would be made of imputed values only "
                         "(--on-bad-row skip rejects such rows)");
    }
  }
  if (rejected > 0) ledger.reject("no_feature_values", rejected);
  detail::raise_first_failure(failure, comm);
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

/// Appends the rows of `part` (file number `file` of several, parsed with the same plan) to `all`.
void append_rows(raw_table& all, raw_table&& part, uint32_t file, int64_t records_before) {
  const size_t rows = part.lines.size();
  if (file == 0) {
    all = std::move(part);
    all.file_of_row.assign(rows, 0);
    return;
  }
  for (size_t k = 0; k < all.columns.size(); ++k) {
    auto& dst = all.columns[k];
    auto& src = part.columns[k];
    dst.numbers.insert(dst.numbers.end(), src.numbers.begin(), src.numbers.end());
    std::move(src.text.begin(), src.text.end(), std::back_inserter(dst.text));
    dst.missing += src.missing;
  }
  all.lines.insert(all.lines.end(), part.lines.begin(), part.lines.end());
  for (int64_t r : part.records) all.records.push_back(records_before + r);
  all.file_of_row.insert(all.file_of_row.end(), rows, file);
  all.ledger.read += part.ledger.read;
  all.ledger.used += part.ledger.used;
  for (const auto& [reason, count] : part.ledger.rejected) all.ledger.reject(reason, count);
  all.blank_lines += part.blank_lines;
  all.had_bom = all.had_bom || part.had_bom;
}

/// Reads one CSV/TSV file, or several with the same header as one table (rows in file order; each row
/// remembers its file and line). Data-parallel: the processes split the concatenation of the files into
/// equal byte shares at record boundaries, so rank order is file order.
raw_table read_inputs(const std::vector<std::string>& paths, const csv_options& csv,
                      const std::function<csv_plan(const std::vector<csv_column_info>&)>& plan,
                      const detail::communicator& comm) {
  if (paths.size() == 1 && comm.size() == 1) return read_csv(paths.front(), csv, plan);
  std::vector<std::unique_ptr<detail::text_file>> files;
  size_t total = 0;
  for (const auto& path : paths) {
    files.push_back(std::make_unique<detail::text_file>(path));
    total += files.back()->bytes().size();
  }
  std::vector<std::string> first_header;
  csv_plan first_plan;
  raw_table all;
  size_t offset = 0;
  int64_t records_before = 0;  // data rows of the earlier files
  for (size_t f = 0; f < paths.size(); ++f) {
    auto plan_file = [&](const std::vector<csv_column_info>& header) {
      const std::vector<std::string> names = names_of(header);
      if (f == 0) {
        first_header = names;
        first_plan = plan(header);
        return first_plan;
      }
      if (names != first_header) {
        const size_t j = static_cast<size_t>(
            std::mismatch(names.begin(), names.end(), first_header.begin(), first_header.end()).first - names.begin());
        auto at = [&](const std::vector<std::string>& h) { return j < h.size() ? quote_value(h[j]) : "nothing"; };
        throw input_error(describe({paths[f], 1, static_cast<int64_t>(j) + 1, ""},
                                   "the header differs from " + paths.front() + "'s: " + at(names) + " where it has " +
                                       at(first_header) + " (several input files must have the same columns in the same order)"));
      }
      return first_plan;
    };
    const std::string_view bytes = files[f]->bytes();
    raw_table part = detail::read_csv_shard(bytes, paths[f], csv, plan_file, comm, {offset, total});
    offset += bytes.size();
    files[f].reset();  // the parsed rows own their data; unmap (or free) as we go
    const int64_t part_reads = comm.sum(part.ledger.read);  // over every process: row numbers run on across files
    append_rows(all, std::move(part), static_cast<uint32_t>(f), records_before);
    records_before += part_reads;
  }
  if (paths.size() == 1) {
    all.file_of_row.clear();
  } else {
    all.files = paths;
  }
  return all;
}

/// Fills ids, lines, features and values of `t` from `raw` (whose id text and lines it may move out),
/// keeping rows where keep[i] is true.
void build_table(raw_table& raw, const detail::role_plan& roles, const std::vector<bool>& keep,
                 const std::map<std::string, std::vector<std::string>>* fixed_levels,
                 const std::vector<feature_info>* fixed_numeric, feature_table& t,
                 const detail::communicator& comm = *detail::single_process()) {
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
      const bool missing_is_level = info.level == missing_level;
      if (info.level == other_level) {  // every value that is none of the column's other levels
        const auto& named = t.categorical_levels.at(info.source);
        const std::set<std::string> known(named.begin(), named.end());
        for (int64_t r = 0; r < n; ++r) {
          const std::string& v = src.text[rows[static_cast<size_t>(r)]];
          dst[r] = v == info.level || !known.count(v.empty() ? std::string(missing_level) : v) ? 1.0f : 0.0f;
        }
        continue;
      }
      for (int64_t r = 0; r < n; ++r) {
        const std::string& v = src.text[rows[static_cast<size_t>(r)]];
        dst[r] = (v.empty() ? missing_is_level : v == info.level) ? 1.0f : 0.0f;
      }
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
    // Ids are data row numbers, rejected rows counted, so segments join back to the input by row number.
    const int64_t first = comm.exclusive_prefix(static_cast<int64_t>(rows.size()));
    t.ids.resize(rows.size());
    for (size_t r = 0; r < rows.size(); ++r)
      t.ids[r] = std::to_string(raw.records.size() == n_raw ? raw.records[rows[r]] : first + static_cast<int64_t>(r) + 1);
  }
}

using plan_fn = std::function<csv_plan(const std::vector<csv_column_info>&)>;
using raw_reader = std::function<raw_table(const plan_fn&)>;
feature_table table_from_reader(const std::string& path, const table_params& p, const detail::communicator& comm,
                                const raw_reader& read);
feature_table schema_table_from_reader(const std::string& path, const table_schema& schema, bad_row_policy on_bad_row,
                                       const raw_reader& read);

}  // namespace

std::vector<std::string> feature_table::feature_names() const {
  std::vector<std::string> names;
  for (const auto& f : features) names.push_back(f.name);
  return names;
}

feature_table load_feature_table(const std::string& path, const table_params& p) {
  return load_feature_table(std::vector<std::string>{path}, p, *detail::single_process());
}

feature_table load_feature_table(const std::string& path, const table_params& p, const detail::communicator& comm) {
  return load_feature_table(std::vector<std::string>{path}, p, comm);
}

feature_table load_feature_table(const std::vector<std::string>& paths, const table_params& p,
                                 const detail::communicator& comm) {
  if (paths.empty()) throw input_error("no input file");
  const std::string& path = paths.front();
  const bool sharded = comm.size() > 1;
  feature_table t;
  t.source = path;
  const auto is_npy = [](const std::string& f) { return std::filesystem::path(f).extension() == ".npy"; };
  if (paths.size() > 1 && std::any_of(paths.begin(), paths.end(), is_npy))
    throw input_error(*std::find_if(paths.begin(), paths.end(), is_npy) +
                      ": several input files must all be CSV/TSV tables (a .npy input comes alone)");
  if (is_npy(path)) {
    if (sharded) throw input_error(path + ": data-parallel runs read CSV/TSV input; convert the .npy or run one process");
    t.values = read_npy(path);
    t.id_column = "row";
    t.id_generated = true;
    for (int64_t j = 0; j < t.values.cols(); ++j) {
      feature_info f;
      f.name = f.source = "f" + std::to_string(j);
      t.features.push_back(f);
    }
    for (int64_t i = 0; i < t.values.rows(); ++i) {
      t.ids.push_back(std::to_string(i + 1));
      t.lines.push_back(i + 1);
    }
    t.ledger.read = t.ledger.used = t.values.rows();
    if (t.values.rows() == 0) throw input_error(path + ": the array has no rows");
    return t;
  }
  detail::refuse_repeated_files(paths);
  return table_from_reader(path, p, comm, [&](const plan_fn& plan) { return read_inputs(paths, p.csv, plan, comm); });
}

feature_table table_from_columns(column_table columns, const table_params& p) {
  std::string source = columns.source;
  return table_from_reader(source, p, *detail::single_process(),
                           [&](const plan_fn& plan) { return read_columns(std::move(columns), p.csv.on_bad_row, plan); });
}

namespace {

/// The table from whatever reader parses the planned columns (files, or columns in memory): column roles,
/// id checks, rejected rows, imputation and one-hot encoding are the same for every source.
feature_table table_from_reader(const std::string& path, const table_params& p, const detail::communicator& comm,
                                const raw_reader& read) {
  const bool sharded = comm.size() > 1;
  feature_table t;
  t.source = path;
  detail::role_plan roles;
  auto plan = [&](const std::vector<csv_column_info>& header) {
    roles = detail::plan_roles(path, header, p, sharded, t.skipped_columns);
    return roles.reader_plan();
  };
  raw_table raw = read(plan);
  std::vector<bool> keep(raw.lines.size(), true);
  t.ledger = raw.ledger;
  const auto scales = read_scales(raw, roles, p.csv.decimal, p.csv.on_bad_row == bad_row_policy::fail, keep, t, comm);
  for (const auto& r : roles.scaled)
    if (r.required && std::find(roles.numeric.begin(), roles.numeric.end(), r.request.column) == roles.numeric.end())
      throw input_error(r.unscaled_reason);
  if (p.features.empty()) {
    std::sort(roles.numeric.begin(), roles.numeric.end());  // table order
    drop_code_columns(raw, roles, t, comm);
  }
  if (roles.numeric.empty() && roles.categorical.empty())
    throw input_error(path + ": no numeric feature columns found (name them with --features, or text ones with --categorical)" +
                      decimal_comma_hint(raw.header, p.csv.decimal));
  if (roles.id) {
    const raw_column& id = *std::find_if(raw.columns.begin(), raw.columns.end(),
                                         [&](const raw_column& c) { return c.index == *roles.id && c.kind == column_kind::text; });
    if (roles.id_explicit) {
      keep = sharded ? check_unique_ids_sharded(raw, id, p.csv.on_bad_row == bad_row_policy::fail, comm)
                     : check_unique_ids(raw, id, p.csv.on_bad_row == bad_row_policy::fail);
      const auto dropped = std::count(keep.begin(), keep.end(), false);
      if (dropped > 0) t.ledger.reject("duplicate_id", dropped);
    } else if (!(sharded ? all_unique_sharded(id, comm) : all_unique(id))) {
      t.warnings.push_back("column " + quote_value(id.name) + " looks like an id but its values repeat; rows are identified by number");
      t.skipped_columns.push_back(id.name + " (looks like an identifier)");
      roles.id.reset();
    }
  }
  reject_rows_without_values(raw, roles, p.csv.on_bad_row == bad_row_policy::fail, keep, t.ledger, comm);
  t.id_column = roles.id ? raw.header[static_cast<size_t>(*roles.id)].name : "row";
  t.id_generated = !roles.id;
  t.blank_lines = comm.sum(raw.blank_lines);
  build_table(raw, roles, keep, nullptr, nullptr, t, comm);
  remember_scales(scales, t.features);
  fill_profiled(raw, roles, keep, p.csv.decimal, t);
  t.ledger.used = t.values.rows();
  t.rank_rows = comm.allgather(t.values.rows());
  if (sharded) t.ledger = detail::global_ledger(t.ledger, comm);
  if (t.ledger.used == 0) {
    input_error e(path + ": no usable rows (every row was rejected; see --on-bad-row)");
    if (sharded) e.mark_collective();
    throw e;
  }
  for (const auto& f : t.features)
    if (f.kind == feature_kind::numeric && f.imputed > 0)
      t.warnings.push_back("imputed " + std::to_string(f.imputed) + " missing values of " + quote_value(f.name) +
                           " with the median " + short_number(f.impute_value));
  return t;
}

feature_table schema_table_from_reader(const std::string& path, const table_schema& schema, bad_row_policy on_bad_row,
                                       const raw_reader& read) {
  feature_table t;
  t.source = path;
  std::vector<feature_info> numeric;
  std::map<std::string, std::vector<std::string>> levels;
  std::vector<std::string> categorical_order;
  for (const auto& f : schema.features) {
    if (f.kind == feature_kind::numeric) {
      numeric.push_back(f);
    } else {
      if (!levels.count(f.source)) categorical_order.push_back(f.source);
      levels[f.source].push_back(f.level);
    }
  }
  detail::role_plan roles;
  auto plan = [&](const std::vector<csv_column_info>& header) {
    const header_lookup find_column(path, header);
    if (!schema.id_column.empty()) {
      for (const auto& c : header)
        if (c.name == schema.id_column) roles.id = c.index;
    }
    for (const auto& f : numeric) {
      const auto& c = find_column(f.source, "the model");
      roles.numeric.push_back(c.index);
      if (!f.text_rule.empty()) {
        roles.add_scaled(c.index, detail::text_scale{f.text_rule, f.text_values}, false, "", true);
      }
    }
    for (const auto& name : categorical_order) roles.categorical.push_back(find_column(name, "the model").index);
    return roles.reader_plan();
  };
  raw_table raw = read(plan);
  std::vector<bool> keep(raw.lines.size(), true);
  t.ledger = raw.ledger;
  const auto scales = read_scales(raw, roles, '.', on_bad_row == bad_row_policy::fail, keep, t, *detail::single_process());
  t.blank_lines = raw.blank_lines;
  t.id_column = roles.id ? schema.id_column : "row";
  t.id_generated = !roles.id;
  if (!schema.id_column.empty() && !roles.id)
    t.warnings.push_back("id column " + quote_value(schema.id_column) + " is not in " + path + "; rows are identified by number");
  reject_rows_without_values(raw, roles, on_bad_row == bad_row_policy::fail, keep, t.ledger, *detail::single_process());
  build_table(raw, roles, keep, &levels, &numeric, t);
  remember_scales(scales, t.features);
  // A feature with no value at all in this file: every customer gets the training median for it.
  for (const auto& f : t.features)
    if (f.kind == feature_kind::numeric && t.values.rows() > 0 && f.imputed == t.values.rows())
      t.warnings.push_back("column " + quote_value(f.name) + " has no value in " + path + ": every customer gets the " +
                           "training median for it, so it does not tell them apart");
  // Levels unseen in training encode as all zeros: count them so the user knows.
  for (const auto& [source, lv] : levels) {
    const raw_column* c = raw.find(source);
    if (c == nullptr) continue;
    int64_t unseen = 0;
    for (const auto& v : c->text)
      if (std::find(lv.begin(), lv.end(), v.empty() ? std::string(missing_level) : v) == lv.end()) ++unseen;
    const bool pooled = std::find(lv.begin(), lv.end(), std::string(other_level)) != lv.end();
    if (unseen > 0)
      t.warnings.push_back(std::to_string(unseen) + (unseen == 1 ? " row has" : " rows have") + " a level of " + quote_value(source) +
                           " not seen in training; they are encoded as " + (pooled ? "'(other)'" : "no level"));
  }
  t.ledger.used = t.values.rows();
  return t;
}

}  // namespace

feature_table load_with_schema(const std::string& path, const table_schema& schema, const csv_options& csv) {
  if (std::filesystem::path(path).extension() == ".npy") {
    size_t numeric = 0;
    for (const auto& f : schema.features) {
      if (f.kind != feature_kind::numeric)
        throw input_error(path + ": the model has categorical features; a .npy input cannot provide them");
      ++numeric;
    }
    feature_table t = load_feature_table(path, table_params{});
    if (t.values.cols() != static_cast<int64_t>(numeric))
      throw input_error(path + ": the model expects " + std::to_string(numeric) + " features, the array has " +
                        std::to_string(t.values.cols()));
    for (size_t j = 0; j < numeric; ++j) t.features[j] = schema.features[j];
    return t;
  }
  return schema_table_from_reader(path, schema, csv.on_bad_row, [&](const plan_fn& plan) { return read_csv(path, csv, plan); });
}

feature_table table_from_columns(column_table columns, const table_schema& schema, bad_row_policy on_bad_row) {
  std::string source = columns.source;
  return schema_table_from_reader(source, schema, on_bad_row,
                                  [&](const plan_fn& plan) { return read_columns(std::move(columns), on_bad_row, plan); });
}

}  // namespace segmint
