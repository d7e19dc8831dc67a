// CSV/TSV reader: memory-mapped file, header + dialect detection, type inference on a sample, then a
// parallel parse of record-aligned chunks whose results are concatenated in file order.
#include <omp.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <set>

#include "../dist/communicator.hpp"
#include "csv_header.hpp"
#include "csv_layout.hpp"
#include "csv_record.hpp"
#include "csv_shard.hpp"
#include "delimiter.hpp"
#include "gzip.hpp"
#include "number_parse.hpp"
#include "segmint/error.hpp"
#include "segmint/io.hpp"
#include "text_encoding.hpp"

namespace segmint {

int64_t row_ledger::rejected_total() const {
  int64_t total = 0;
  for (const auto& [reason, count] : rejected) total += count;
  return total;
}

const raw_column* raw_table::find(const std::string& name) const {
  for (const auto& c : columns)
    if (c.name == name) return &c;
  return nullptr;
}

namespace detail {
namespace {

struct pending_error {
  int64_t rel_line = 0;
  int64_t column = 0;  // 1-based; 0 when the error is about the whole row
  std::string column_name;
  std::string message;
};

struct chunk_output {
  std::vector<std::vector<float>> numbers;
  std::vector<std::vector<std::string>> text;
  std::vector<int64_t> rel_lines;
  std::vector<int64_t> rel_records;  // 1-based record number within the chunk (rejected records counted)
  std::vector<int64_t> missing;  // per numeric plan column, used rows only
  int64_t read = 0;
  int64_t blank = 0;
  int64_t newlines = 0;
  std::map<std::string, int64_t> rejected;
  std::optional<pending_error> error;
};

struct parse_setup {
  char delim = ',';
  char decimal = '.';
  bad_row_policy policy = bad_row_policy::fail;
  const std::vector<csv_column_info>* header = nullptr;
  const csv_plan* plan = nullptr;
};

const char* number_problem(number_status s, const char** reason) {
  switch (s) {
    case number_status::not_a_number: *reason = "not_a_number"; return "not a number: ";
    case number_status::non_finite: *reason = "non_finite_value"; return "infinite value (not allowed in a feature): ";
    case number_status::out_of_range: *reason = "out_of_float32_range"; return "value outside the float32 range (|x| > 3.4e38): ";
    default: *reason = "not_a_number"; return "not a number: ";
  }
}

class chunk_parser {
 public:
  chunk_parser(const parse_setup& setup, chunk_output& out) : s_(setup), out_(out) {
    out_.numbers.resize(s_.plan->numeric.size());
    out_.text.resize(s_.plan->text.size());
    out_.missing.assign(s_.plan->numeric.size(), 0);
    values_.resize(s_.plan->numeric.size());
  }

  /// Parses [p, end); stops early at the first bad row under the fail policy.
  void run(const char* p, const char* end) {
    std::vector<csv_field> fields;
    record_status st;
    int64_t line = 0;
    while (p < end) {
      const char* start = p;
      p = parse_record(p, end, s_.delim, fields, st);
      if (is_blank_record(fields) && !st.unterminated) {
        ++out_.blank;
      } else {
        ++out_.read;
        const size_t rejected_before = total_rejected();
        consume(fields, st, line);
        if (out_.error) {
          if (st.newlines > 1)
            out_.error->message += spanned_lines_hint(st);
          return;
        }
        if (st.newlines > 1 && total_rejected() > rejected_before) {
          // A bad record whose quote spans lines: only its first line is rejected, the lines after it are read
          // as the rows they are (resynchronised), so no row vanishes inside a stray quote.
          p = static_cast<const char*>(std::memchr(start, '\n', static_cast<size_t>(p - start))) + 1;
          line += 1;
          continue;
        }
      }
      line += st.newlines;
    }
    out_.newlines = line;
  }

 private:
  [[nodiscard]] size_t total_rejected() const {
    size_t n = 0;
    for (const auto& [reason, count] : out_.rejected) n += static_cast<size_t>(count);
    return n;
  }

  void bad(const char* reason, int64_t rel_line, int64_t column, std::string message) {
    if (s_.policy == bad_row_policy::skip) {
      ++out_.rejected[reason];
      return;
    }
    const std::string name = column > 0 ? (*s_.header)[static_cast<size_t>(column - 1)].name : std::string();
    out_.error = pending_error{rel_line, column, name, std::move(message)};
  }

  void consume(const std::vector<csv_field>& f, const record_status& st, int64_t line) {
    const auto& plan = *s_.plan;
    if (st.unterminated || st.malformed) {
      const auto j = static_cast<size_t>(st.bad_field);
      const bool named = st.bad_field >= 0 && j < s_.header->size() && j < f.size();
      return bad("malformed_quotes", line, named ? st.bad_field + 1 : 0, quote_problem(st, f, named));
    }
    if (st.newlines > 1) {
      if (const int j = field_swallowing_records(f, s_.delim, s_.header->size()); j >= 0)
        return bad("malformed_quotes", line, static_cast<size_t>(j) < s_.header->size() ? j + 1 : 0, swallowed_records_problem(f, j));
    }
    const size_t ncols = s_.header->size();
    if (!f.empty() && trim_blanks(field_value(f[0])) == (*s_.header)[0].name && repeats_header(f, *s_.header))
      return bad("repeated_header", line, 0,
                 "this line repeats the header (files joined with their headers?): remove it, or give the files "
                 "separately (segmint run a.csv b.csv)");
    if (f.size() != ncols) {
      return bad("wrong_field_count", line, 0,
                 "expected " + std::to_string(ncols) + " fields (as in the header), found " + std::to_string(f.size()));
    }
    size_t missing_mask_count = 0;
    for (size_t k = 0; k < plan.numeric.size(); ++k) {
      const csv_field& field = f[static_cast<size_t>(plan.numeric[k])];
      const std::string unescaped = field.escaped ? field_value(field) : std::string();
      const std::string_view text = field.escaped ? std::string_view(unescaped) : field.text;
      float v = 0;
      const number_status status = parse_number(text, s_.decimal, v);
      if (status == number_status::ok) {
        values_[k] = v;
      } else if (status == number_status::missing) {
        values_[k] = std::numeric_limits<float>::quiet_NaN();
        ++missing_mask_count;
      } else {
        const char* reason = nullptr;
        const char* what = number_problem(status, &reason);
        return bad(reason, line, plan.numeric[k] + 1, what + quote_value(text));
      }
    }
    if (plan.id && is_missing_token(f[static_cast<size_t>(*plan.id)].text)) {
      return bad("missing_id", line, *plan.id + 1, "missing id: " + quote_value(f[static_cast<size_t>(*plan.id)].text));
    }
    for (size_t k = 0; k < plan.numeric.size(); ++k) {
      out_.numbers[k].push_back(values_[k]);
      if (missing_mask_count > 0 && std::isnan(values_[k])) ++out_.missing[k];
    }
    for (size_t k = 0; k < plan.text.size(); ++k) {
      out_.text[k].push_back(to_utf8(trim_blanks(field_value(f[static_cast<size_t>(plan.text[k])]))));
    }
    out_.rel_lines.push_back(line);
    out_.rel_records.push_back(out_.read);
  }

  const parse_setup& s_;
  chunk_output& out_;
  std::vector<float> values_;
};

void check_plan(const std::string& path, const csv_plan& plan, size_t ncols) {
  std::set<int> used;
  auto check = [&](int j) {
    if (j < 0 || static_cast<size_t>(j) >= ncols || !used.insert(j).second)
      throw error(path + ": internal error: bad column plan (column " + std::to_string(j) + ")");
  };
  for (int j : plan.numeric) check(j);
  for (int j : plan.text) check(j);
}

}  // namespace
}  // namespace detail

raw_table read_csv(const std::string& path, const csv_options& options,
                   const std::function<csv_plan(const std::vector<csv_column_info>&)>& plan_columns) {
  const detail::text_file file(path);  // customers.csv.gz is inflated in memory, then read the same way
  return read_csv_buffer(file.bytes(), path, options, plan_columns);
}

raw_table read_csv_buffer(std::string_view bytes, const std::string& path, const csv_options& options,
                          const std::function<csv_plan(const std::vector<csv_column_info>&)>& plan_columns) {
  return detail::read_csv_shard(bytes, path, options, plan_columns, *detail::single_process());
}

namespace detail {

raw_table read_csv_shard(std::string_view bytes, const std::string& path, const csv_options& options,
                         const std::function<csv_plan(const std::vector<csv_column_info>&)>& plan_columns,
                         const communicator& comm, const shard_span& span) {
  if (options.decimal != '.' && options.decimal != ',') throw input_error("--decimal must be '.' or ','");
  if (options.delimiter && (*options.delimiter == '"' || *options.delimiter == '\n' || *options.delimiter == '\r'))
    throw input_error("--delimiter cannot be a quote or a line break");
  if (options.delimiter && *options.delimiter == options.decimal)
    throw input_error("--delimiter and --decimal cannot both be " + quote_value(std::string(1, options.decimal)));

  std::string_view all = bytes;
  raw_table table;
  table.source = path;
  if (all.substr(0, 3) == "\xEF\xBB\xBF") {
    all.remove_prefix(3);
    table.had_bom = true;
  }
  check_text_encoding(path, all);
  // Blank lines before the header are skipped, keeping count of lines for positions.
  int64_t header_line = 1;
  while (!all.empty()) {
    const size_t nl = all.find('\n');
    if (trim_blanks(all.substr(0, nl)).empty() && nl != std::string_view::npos) {
      all.remove_prefix(nl + 1);
      ++header_line;
    } else {
      break;
    }
  }
  if (trim_blanks(all).empty()) throw input_error(path + ": empty file (a header row and data rows are required)");

  const char delim = options.delimiter.value_or(detect_delimiter(all, options.decimal));
  table.delimiter = delim;
  std::vector<csv_field> fields;
  record_status st;
  const char* body_begin = parse_record(all.data(), all.data() + all.size(), delim, fields, st);
  if (st.unterminated) throw input_error(describe({path, header_line, 0, ""}, "unterminated quoted field in the header"));
  table.header = read_header(path, fields);
  std::string_view body(body_begin, static_cast<size_t>(all.data() + all.size() - body_begin));
  const int64_t body_line = header_line + st.newlines;

  infer_kinds(body, body_line, delim, options.decimal, options.sample_rows, table.header);
  const csv_plan plan = plan_columns(table.header);
  check_plan(path, plan, table.header.size());

  const parse_setup setup{delim, options.decimal, options.on_bad_row, &table.header, &plan};
  const std::string_view whole_body = body;
  if (comm.size() > 1) {  // this process parses its own byte range, split at record boundaries
    // Equal shares of the whole input (this file alone, or the concatenation of several files that `span`
    // places this file in), mapped into this file's body; every process computes the same split.
    const auto parts = static_cast<size_t>(comm.size());
    const size_t body_offset = span.offset + static_cast<size_t>(whole_body.data() - bytes.data());
    const size_t total = span.total == 0 ? bytes.size() : span.total;
    std::vector<size_t> targets;
    for (size_t r = 1; r < parts; ++r) {
      const size_t global = total / parts * r + total % parts * r / parts;  // = total·r/parts, no overflow
      targets.push_back(std::min(whole_body.size(), global > body_offset ? global - body_offset : 0));
    }
    const std::vector<size_t> shards = shard_starts(whole_body, comm.size(), delim, targets);
    const auto r = static_cast<size_t>(comm.rank());
    body = whole_body.substr(shards[r], shards[r + 1] - shards[r]);
  }
  const std::vector<size_t> starts = chunk_starts(body, delim);
  std::vector<chunk_output> outputs(starts.size());
  const auto nchunks = static_cast<int64_t>(starts.size());
#pragma omp parallel for schedule(dynamic, 1)
  for (int64_t c = 0; c < nchunks; ++c) {
    const size_t b = starts[static_cast<size_t>(c)];
    const size_t e = c + 1 < nchunks ? starts[static_cast<size_t>(c) + 1] : body.size();
    chunk_parser(setup, outputs[static_cast<size_t>(c)]).run(body.data() + b, body.data() + e);
  }

  // Merge in file order; the first error in file order wins (over all processes: the lowest rank's).
  int64_t local_newlines = 0;
  for (const auto& out : outputs) local_newlines += out.newlines;
  const int64_t first_line = body_line + comm.exclusive_prefix(local_newlines);
  int64_t line = first_line;
  std::string failure;
  for (auto& out : outputs) {
    if (out.error) {
      const auto& e = *out.error;
      failure = describe({path, line + e.rel_line, e.column, e.column_name}, e.message) + " (--on-bad-row skip skips such rows)";
      if (comm.size() > 1) failure += " [found by rank " + std::to_string(comm.rank()) + "]";
      break;
    }
    line += out.newlines;
  }
  if (comm.size() == 1) {
    if (!failure.empty()) throw input_error(failure);
  } else {
    for (const auto& f : comm.allgather(failure)) {
      if (f.empty()) continue;
      input_error e(f);
      e.mark_collective();
      throw e;
    }
  }
  table.columns.resize(plan.numeric.size() + plan.text.size());
  for (size_t k = 0; k < plan.numeric.size(); ++k) {
    auto& col = table.columns[k];
    col.index = plan.numeric[k];
    col.name = table.header[static_cast<size_t>(col.index)].name;
    col.kind = column_kind::numeric;
  }
  for (size_t k = 0; k < plan.text.size(); ++k) {
    auto& col = table.columns[plan.numeric.size() + k];
    col.index = plan.text[k];
    col.name = table.header[static_cast<size_t>(col.index)].name;
    col.kind = column_kind::text;
  }
  line = first_line;
  int64_t local_reads = 0;
  for (const auto& out : outputs) local_reads += out.read;
  int64_t record = comm.exclusive_prefix(local_reads);  // data rows before this process's first chunk
  for (auto& out : outputs) {
    for (size_t k = 0; k < plan.numeric.size(); ++k) {
      auto& dst = table.columns[k].numbers;
      dst.insert(dst.end(), out.numbers[k].begin(), out.numbers[k].end());
      table.columns[k].missing += out.missing[k];
    }
    for (size_t k = 0; k < plan.text.size(); ++k) {
      auto& dst = table.columns[plan.numeric.size() + k].text;
      std::move(out.text[k].begin(), out.text[k].end(), std::back_inserter(dst));
    }
    for (int64_t rel : out.rel_lines) table.lines.push_back(line + rel);
    for (int64_t rel : out.rel_records) table.records.push_back(record + rel);
    record += out.read;
    table.ledger.read += out.read;
    table.blank_lines += out.blank;
    for (const auto& [reason, count] : out.rejected) table.ledger.reject(reason, count);
    line += out.newlines;
    out = chunk_output{};  // release memory as we go
  }
  table.ledger.used = static_cast<int64_t>(table.lines.size());
  if (comm.sum(table.ledger.read) == 0) {
    input_error e(path + ": the file has a header but no data rows");
    if (comm.size() > 1) e.mark_collective();
    throw e;
  }
  return table;
}

}  // namespace detail

}  // namespace segmint
