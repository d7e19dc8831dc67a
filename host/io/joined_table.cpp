// Several sources about the same customers joined by id before the table is read (README "Joining sources").
#include <cmath>
#include <filesystem>
#include <limits>
#include <string_view>
#include <unordered_map>

#include "segmint/error.hpp"
#include "join_source.hpp"
#include "segmint/table.hpp"

namespace segmint {
namespace {

/// Every column of a CSV file: numbers where the sample says numeric or almost all numbers (at most 1 value in
/// 21 is text: a value that is not a number is then a bad row, as in a default run), text otherwise; the id
/// column (which must exist) as text.
struct read_file {
  raw_table raw;
  int id = -1;
};

read_file read_whole(const std::string& path, const std::string& id_name, const csv_options& csv) {
  if (std::filesystem::path(path).extension() == ".npy")
    throw input_error(path + ": --join reads CSV/TSV files (a .npy array has no id column)");
  read_file f;
  f.raw = read_csv(path, csv, [&](const std::vector<csv_column_info>& header) {
    csv_plan plan;
    for (const auto& c : header) {
      if (c.name == id_name && f.id < 0) {
        f.id = c.index;
        plan.text.push_back(c.index);
        plan.id = c.index;
      } else if (c.kind == column_kind::numeric || (c.kind == column_kind::text && c.sample_texts * 20 <= c.sample_numbers)) {
        plan.numeric.push_back(c.index);
      } else {
        plan.text.push_back(c.index);
      }
    }
    if (f.id < 0) throw input_error(path + ": --join needs the id column " + quote_value(id_name) + " in every file; this one has none");
    return plan;
  });
  return f;
}

const raw_column& column_at(const raw_table& raw, int index) {
  for (const auto& c : raw.columns)
    if (c.index == index) return c;
  throw error("internal error: column " + std::to_string(index) + " was not read");
}

/// A parsed column as an in-memory one (numbers in double precision, text as read).
column_table::column as_column(const raw_column& c) {
  column_table::column out;
  out.name = c.name;
  out.numeric = c.kind == column_kind::numeric;
  if (out.numeric) out.numbers.assign(c.numbers.begin(), c.numbers.end());
  else out.text = c.text;
  return out;
}

/// The base rows' columns as an in-memory table, in header order, remembering each row's line and number.
column_table base_columns(read_file& base) {
  column_table t;
  t.source = base.raw.source;
  for (const auto& info : base.raw.header) {
    t.columns.push_back(as_column(column_at(base.raw, info.index)));
  }
  t.lines = base.raw.lines;
  t.records = base.raw.records;
  return t;
}

/// Adds the columns of `source` to `table` by id: a left join on the base rows (keys in `base_row`).
join_summary join_one(column_table& table, const std::unordered_map<std::string, size_t>& base_row, size_t base_rows,
                      const detail::join_source& source, bad_row_policy policy) {
  join_summary s;
  s.file = source.file;
  s.rows_read = source.rows_read;
  s.rejected = source.rejected;
  s.policy = source.policy;
  std::vector<int64_t> row_of(base_rows, -1);  // base row → source row
  std::unordered_map<std::string, size_t> seen;  // source key → its first row
  for (size_t r = 0; r < source.ids.size(); ++r) {
    std::string key = detail::join_key(source.ids[r]);
    if (const auto [at, first] = seen.emplace(key, r); !first) {
      if (policy == bad_row_policy::fail)
        throw input_error(describe({s.file, source.lines[r], source.id_number, source.id_name},
                                   "repeated id " + quote_value(source.ids[r]) + " (first at line " +
                                       std::to_string(source.lines[at->second]) +
                                       "): a joined file needs one row per customer (--on-bad-row skip keeps the first)"));
      ++s.rejected["duplicate_id"];
      continue;
    }
    const auto b = base_row.find(key);
    if (b == base_row.end()) {
      ++s.not_in_base;
      continue;
    }
    row_of[b->second] = static_cast<int64_t>(r);
    ++s.matched;
  }
  if (s.matched == 0 && !source.ids.empty() && base_rows > 0)
    throw input_error(s.file + ": no id in column " + quote_value(source.id_name) + " is a customer of " + table.source +
                      " (ids such as " + quote_value(source.ids.front()) + " there): is --id the same customer id in both?");
  for (int64_t r : row_of) s.customers_without_row += r < 0;
  for (size_t j = 0; j < source.columns.size(); ++j) {
    const column_table::column& c = source.columns[j];
    for (const auto& existing : table.columns)
      if (existing.name == c.name)
        throw input_error(s.file + ": column " + quote_value(c.name) + " is also in " + table.source +
                          " (or an earlier source); " + source.on_clash);
    column_table::column out;
    out.name = c.name;
    out.numeric = c.numeric;
    for (int64_t r : row_of) {
      if (out.numeric) out.numbers.push_back(r < 0 ? source.absent_value[j] : c.numbers[static_cast<size_t>(r)]);
      else out.text.push_back(r < 0 ? std::string() : c.text[static_cast<size_t>(r)]);
    }
    s.columns.push_back(c.name);
    table.columns.push_back(std::move(out));
  }
  return s;
}

}  // namespace

namespace detail {

std::string join_key(std::string_view id) {
  size_t digits = 0;
  while (digits < id.size() && id[digits] >= '0' && id[digits] <= '9') ++digits;
  if (digits == 0) return std::string(id);
  size_t end = digits;
  if (end < id.size() && id[end] == '.') {
    size_t zeros = end + 1;
    while (zeros < id.size() && id[zeros] == '0') ++zeros;
    if (zeros != id.size()) return std::string(id);  // 42.5 or 42.0x: not a whole number
  } else if (end != id.size()) {
    return std::string(id);
  }
  size_t first = 0;
  while (first + 1 < digits && id[first] == '0') ++first;
  return std::string(id.substr(first, digits - first));
}

join_source join_source_from_file(const std::string& path, const std::string& id_name, const csv_options& csv) {
  read_file f = read_whole(path, id_name, csv);
  join_source s;
  s.file = f.raw.source;
  s.rows_read = f.raw.ledger.read;
  s.rejected = f.raw.ledger.rejected;
  s.id_name = id_name;
  s.id_number = f.id + 1;
  s.lines = f.raw.lines;
  s.policy = "left join on the input's customers by id; a customer without a row here has these columns missing (imputed)";
  for (const auto& info : f.raw.header) {
    const raw_column& c = column_at(f.raw, info.index);
    if (info.index == f.id) {
      s.ids = c.text;
      continue;
    }
    s.columns.push_back(as_column(c));
    s.absent_value.push_back(std::numeric_limits<double>::quiet_NaN());
  }
  return s;
}

namespace {

/// The base file's columns with every source's added, and what the reading of each file left behind.
struct joined_columns {
  column_table table;
  std::vector<join_summary> summaries;
  row_ledger base_ledger;
  int64_t base_blank = 0;
};

joined_columns join_columns(const std::string& path, const std::string& id, const csv_options& csv,
                            const std::vector<join_source>& sources) {
  read_file base = read_whole(path, id, csv);
  joined_columns j;
  j.table = base_columns(base);
  const raw_column& base_ids = column_at(base.raw, base.id);
  std::unordered_map<std::string, size_t> base_row;
  for (size_t i = 0; i < base_ids.text.size(); ++i) {
    const auto [at, first] = base_row.emplace(join_key(base_ids.text[i]), i);
    // The same text twice is the table reader's repeated-id error; two spellings of one number are not.
    if (!first && base_ids.text[at->second] != base_ids.text[i])
      throw input_error(describe({base.raw.source, base.raw.lines[i], base.id + 1, base_ids.name},
                                 "id " + quote_value(base_ids.text[i]) + " is the same number as " +
                                     quote_value(base_ids.text[at->second]) + " (line " +
                                     std::to_string(base.raw.lines[at->second]) + "): joined sources could not tell them apart"));
  }
  for (const auto& source : sources) j.summaries.push_back(join_one(j.table, base_row, base_ids.text.size(), source, csv.on_bad_row));
  j.base_ledger = base.raw.ledger;
  j.base_blank = base.raw.blank_lines;
  return j;
}

/// The joined table read, with the base file's own ledger: rows it rejected never reached the joined table.
feature_table with_base_ledger(feature_table t, const std::string& path, joined_columns& j) {
  t.ledger.read = j.base_ledger.read;
  for (const auto& [reason, count] : j.base_ledger.rejected) t.ledger.reject(reason, count);
  t.blank_lines = j.base_blank;
  t.source = path;
  t.joins = std::move(j.summaries);
  return t;
}

}  // namespace

feature_table load_joined_sources(const std::string& path, const std::vector<join_source>& sources, const table_params& p) {
  if (!p.id) throw input_error("--join needs --id COL: the customer id column, present in the input and in every joined file");
  joined_columns j = join_columns(path, *p.id, p.csv, sources);
  feature_table t = table_from_columns(std::move(j.table), p);
  return with_base_ledger(std::move(t), path, j);
}

void require_model_id(const table_schema& schema) {
  if (schema.id_column.empty())
    throw input_error("the model's ids were row numbers: joining sources by customer needs a model trained on a table with an id column");
}

feature_table load_joined_sources(const std::string& path, const std::vector<join_source>& sources, const table_schema& schema,
                                  const csv_options& csv) {
  require_model_id(schema);
  joined_columns j = join_columns(path, schema.id_column, csv, sources);
  feature_table t = table_from_columns(std::move(j.table), schema, csv.on_bad_row);
  return with_base_ledger(std::move(t), path, j);
}

}  // namespace detail

feature_table load_joined_table(const std::string& path, const std::vector<std::string>& joins, const table_params& p) {
  if (!p.id) throw input_error("--join needs --id COL: the customer id column, present in the input and in every joined file");
  std::vector<detail::join_source> sources;
  for (const auto& file : joins) sources.push_back(detail::join_source_from_file(file, *p.id, p.csv));
  return detail::load_joined_sources(path, sources, p);
}

feature_table load_joined_table(const std::string& path, const std::vector<std::string>& joins, const table_schema& schema,
                                const csv_options& csv) {
  detail::require_model_id(schema);
  std::vector<detail::join_source> sources;
  for (const auto& file : joins) sources.push_back(detail::join_source_from_file(file, schema.id_column, csv));
  return detail::load_joined_sources(path, sources, schema, csv);
}

}  // namespace segmint
