// Several sources about the same customers joined by id before the table is read (README "Joining sources").
#include <cmath>
#include <filesystem>
#include <limits>
#include <string_view>
#include <unordered_map>

#include "segmint/error.hpp"
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

/// The base rows' columns as an in-memory table, in header order, remembering each row's line and number.
column_table base_columns(read_file& base) {
  column_table t;
  t.source = base.raw.source;
  for (const auto& info : base.raw.header) {
    const raw_column& c = column_at(base.raw, info.index);
    column_table::column out;
    out.name = c.name;
    out.numeric = c.kind == column_kind::numeric;
    if (out.numeric) out.numbers.assign(c.numbers.begin(), c.numbers.end());
    else out.text = c.text;
    t.columns.push_back(std::move(out));
  }
  t.lines = base.raw.lines;
  t.records = base.raw.records;
  return t;
}

/// Adds the columns of `source` to `table` by id: a left join on the base rows (ids in `base_ids`).
join_summary join_one(column_table& table, const std::vector<std::string>& base_ids, read_file& source, bad_row_policy policy) {
  join_summary s;
  s.file = source.raw.source;
  s.rows_read = source.raw.ledger.read;
  s.rejected = source.raw.ledger.rejected;
  const raw_column& ids = column_at(source.raw, source.id);
  std::unordered_map<std::string_view, size_t> base_row;
  for (size_t i = 0; i < base_ids.size(); ++i) base_row.emplace(base_ids[i], i);
  std::vector<int64_t> row_of(base_ids.size(), -1);  // base row → source row
  std::unordered_map<std::string_view, size_t> seen;  // source id → its first row
  for (size_t r = 0; r < ids.text.size(); ++r) {
    if (const auto [at, first] = seen.emplace(ids.text[r], r); !first) {
      if (policy == bad_row_policy::fail)
        throw input_error(describe({s.file, source.raw.lines[r], source.id + 1, ids.name},
                                   "repeated id " + quote_value(ids.text[r]) + " (first at line " +
                                       std::to_string(source.raw.lines[at->second]) +
                                       "): a joined file needs one row per customer (--on-bad-row skip keeps the first)"));
      ++s.rejected["duplicate_id"];
      continue;
    }
    const auto b = base_row.find(ids.text[r]);
    if (b == base_row.end()) {
      ++s.not_in_base;
      continue;
    }
    row_of[b->second] = static_cast<int64_t>(r);
    ++s.matched;
  }
  for (int64_t r : row_of) s.customers_without_row += r < 0;
  for (const auto& info : source.raw.header) {
    if (info.index == source.id) continue;
    for (const auto& existing : table.columns)
      if (existing.name == info.name)
        throw input_error(s.file + ": column " + quote_value(info.name) + " is also in " + table.source +
                          " (or an earlier --join file); rename it in one of them");
    const raw_column& c = column_at(source.raw, info.index);
    column_table::column out;
    out.name = c.name;
    out.numeric = c.kind == column_kind::numeric;
    for (int64_t r : row_of) {
      if (out.numeric) out.numbers.push_back(r < 0 ? std::numeric_limits<double>::quiet_NaN() : c.numbers[static_cast<size_t>(r)]);
      else out.text.push_back(r < 0 ? std::string() : c.text[static_cast<size_t>(r)]);
    }
    s.columns.push_back(c.name);
    table.columns.push_back(std::move(out));
  }
  return s;
}

}  // namespace

feature_table load_joined_table(const std::string& path, const std::vector<std::string>& joins, const table_params& p) {
  if (!p.id) throw input_error("--join needs --id COL: the customer id column, present in the input and in every joined file");
  read_file base = read_whole(path, *p.id, p.csv);
  column_table table = base_columns(base);
  // A copy: joining appends columns. A repeated base id is reported by the table reader's id check below.
  const std::vector<std::string> base_ids = table.columns.at(static_cast<size_t>(base.id)).text;
  std::vector<join_summary> summaries;
  for (const auto& file : joins) {
    read_file source = read_whole(file, *p.id, p.csv);
    summaries.push_back(join_one(table, base_ids, source, p.csv.on_bad_row));
  }
  const row_ledger base_ledger = base.raw.ledger;
  const int64_t base_blank = base.raw.blank_lines;
  feature_table t = table_from_columns(std::move(table), p);
  // The base file's own ledger: rows it rejected while reading never reached the joined table.
  t.ledger.read = base_ledger.read;
  for (const auto& [reason, count] : base_ledger.rejected) t.ledger.reject(reason, count);
  t.blank_lines = base_blank;
  t.source = path;
  t.joins = std::move(summaries);
  return t;
}

}  // namespace segmint
