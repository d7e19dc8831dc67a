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
#include "id_checks.hpp"
#include "role_plan.hpp"
#include "table_build.hpp"
#include "table_inputs.hpp"
#include "scaled_columns.hpp"
#include "segmint/error.hpp"
#include "segmint/table.hpp"

namespace segmint {
namespace {

using detail::build_table;
using detail::header_lookup;
using detail::other_level;


/// Float32 values (the table stores them) with their 7 significant digits: 47.8, not 47.799999.
std::string short_number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.7g", v);
  return buf;
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
  return table_from_reader(path, p, comm, [&](const plan_fn& plan) { return detail::read_inputs(paths, p.csv, plan, comm); });
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
      keep = sharded ? detail::check_unique_ids_sharded(raw, id, p.csv.on_bad_row == bad_row_policy::fail, comm)
                     : detail::check_unique_ids(raw, id, p.csv.on_bad_row == bad_row_policy::fail);
      const auto dropped = std::count(keep.begin(), keep.end(), false);
      if (dropped > 0) t.ledger.reject("duplicate_id", dropped);
    } else if (!(sharded ? detail::all_unique_sharded(id, comm) : detail::all_unique(id))) {
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
