// In-memory tables (the Python package's DataFrames) through the same column plan as a CSV file.
#include <charconv>
#include <cmath>
#include <cstdint>
#include <string>

#include "number_parse.hpp"
#include "segmint/error.hpp"
#include "segmint/io.hpp"
#include "text_encoding.hpp"

namespace segmint {
namespace {

/// A number used as text (an id, a category level) as a file would hold it: an integer in digits (100000, never
/// to_chars' shorter "1e+05"), anything else in its shortest exact form.
std::string shortest_text(double v) {
  if (std::isnan(v)) return {};
  if (v == std::trunc(v) && std::fabs(v) < 9007199254740992.0) return std::to_string(static_cast<int64_t>(v));
  char buf[32];
  const auto end = std::to_chars(buf, buf + sizeof buf, v).ptr;
  return {buf, end};
}

}  // namespace

raw_table read_columns(column_table table, bad_row_policy on_bad_row,
                       const std::function<csv_plan(const std::vector<csv_column_info>&)>& plan_columns) {
  raw_table raw;
  raw.source = table.source;
  if (table.columns.empty()) throw input_error(table.source + ": the table has no columns");
  const size_t n = table.columns.front().size();
  for (size_t j = 0; j < table.columns.size(); ++j) {
    column_table::column& c = table.columns[j];
    if (c.size() != n)
      throw input_error(table.source + ": column " + quote_value(c.name) + " has " + std::to_string(c.size()) +
                        " values, the first column " + std::to_string(n));
    csv_column_info info;
    info.name = c.name;
    info.index = static_cast<int>(j);
    if (c.numeric) {
      info.kind = column_kind::numeric;
      info.sample_numbers = static_cast<int64_t>(n);
    } else {
      for (auto& v : c.text) v = detail::to_utf8(detail::trim_blanks(v));
      for (size_t i = 0; i < n; ++i) {
        if (c.text[i].empty()) continue;
        if (info.sample_texts++ == 0) {
          info.first_text = c.text[i];
          info.first_text_line = table.lines.empty() ? static_cast<int64_t>(i) + 1 : table.lines[i];
        }
      }
      info.kind = info.sample_texts == 0 ? column_kind::empty : column_kind::text;
    }
    raw.header.push_back(info);
  }
  if (n == 0) throw input_error(table.source + ": the table has no rows");
  const csv_plan plan = plan_columns(raw.header);
  const auto take = [&](int index, column_kind kind) {
    column_table::column& c = table.columns.at(static_cast<size_t>(index));
    raw_column out;
    out.name = c.name;
    out.index = index;
    out.kind = kind;
    if (kind == column_kind::numeric) {
      if (!c.numeric)
        throw input_error(table.source + ": column " + quote_value(c.name) + " holds text, not numbers (" +
                          quote_value(raw.header[static_cast<size_t>(index)].first_text) + "); use it as a categorical column");
      out.numbers.reserve(n);
      for (double v : c.numbers) {
        out.numbers.push_back(static_cast<float>(v));
        out.missing += std::isnan(v) ? 1 : 0;
      }
    } else if (c.numeric) {  // a numeric column used as text (an id, a category)
      out.text.reserve(n);
      for (double v : c.numbers) out.text.push_back(shortest_text(v));
    } else {
      out.text = std::move(c.text);
    }
    return out;
  };
  for (int j : plan.numeric) raw.columns.push_back(take(j, column_kind::numeric));
  for (int j : plan.text) raw.columns.push_back(take(j, column_kind::text));
  table.columns.clear();  // what was not planned is not needed any more
  std::vector<bool> keep(n, true);
  raw.ledger.read = static_cast<int64_t>(n);
  if (plan.id) {
    const raw_column* id = nullptr;
    for (const auto& c : raw.columns)
      if (c.index == *plan.id && c.kind == column_kind::text) id = &c;
    for (size_t i = 0; id != nullptr && i < n; ++i) {
      if (!detail::is_missing_token(id->text[i])) continue;
      if (on_bad_row == bad_row_policy::fail)
        throw input_error(describe({table.source, table.lines.empty() ? static_cast<int64_t>(i) + 1 : table.lines[i], *plan.id + 1, id->name},
                                   "missing id: " + quote_value(id->text[i])));
      keep[i] = false;
      raw.ledger.reject("missing_id");
    }
  }
  for (size_t i = 0; i < n; ++i)
    if (keep[i]) {
      raw.lines.push_back(table.lines.empty() ? static_cast<int64_t>(i) + 1 : table.lines[i]);
      raw.records.push_back(table.records.empty() ? static_cast<int64_t>(i) + 1 : table.records[i]);
    }
  if (raw.lines.size() != n) {
    for (auto& c : raw.columns) {
      size_t w = 0;
      for (size_t i = 0; i < n; ++i) {
        if (!keep[i]) continue;
        if (w != i) {  // never a self-move: it may leave the string empty
          if (c.kind == column_kind::numeric) c.numbers[w] = c.numbers[i];
          else c.text[w] = std::move(c.text[i]);
        }
        ++w;
      }
      if (c.kind == column_kind::numeric) c.numbers.resize(w);
      else c.text.resize(w);
    }
  }
  raw.ledger.used = static_cast<int64_t>(raw.lines.size());
  return raw;
}

}  // namespace segmint
