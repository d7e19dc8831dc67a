#include "transaction_input.hpp"

#include <zlib.h>

#include <algorithm>
#include <charconv>
#include <optional>

#include "delimiter.hpp"
#include "gzip.hpp"
#include "input_files.hpp"
#include "number_parse.hpp"
#include "segmint/error.hpp"
#include "text_encoding.hpp"

namespace segmint::detail {
namespace {

int find_role(const transaction_file& f, const std::optional<std::string>& name, const char* option, bool header) {
  if (!name) return -1;
  const auto& names = f.columns.names;
  if (!header) {
    int n = 0;
    const auto r = std::from_chars(name->data(), name->data() + name->size(), n);
    if (r.ec != std::errc() || r.ptr != name->data() + name->size() || n < 1)
      throw input_error(std::string(option) + " " + quote_value(*name) +
                        ": without a header, columns are named by number (1 = the first column)");
    if (n > f.columns.fields)
      throw input_error(describe({f.path, f.body_line, 0, ""}, std::string(option) + " " + quote_value(*name) + ": the file has only " +
                                                                  std::to_string(f.columns.fields) + " columns"));
    return n - 1;
  }
  for (size_t j = 0; j < names.size(); ++j)
    if (names[j] == *name) return static_cast<int>(j);
  std::string known;  // a readable line however wide the log: the first names, then how many more
  size_t listed = 0;
  for (; listed < names.size() && known.size() < 160; ++listed) known += (known.empty() ? "" : ", ") + quote_value(names[listed]);
  if (names.size() > listed) known += " and " + std::to_string(names.size() - listed) + " more";
  throw input_error(describe({f.path, f.body_line - 1, 0, ""}, std::string(option) + " names column " + quote_value(*name) +
                                                                  ", which is not in the header (columns: " + known + ")"));
}

/// Header (or first record), column names and role positions of one opened file.
void read_layout(transaction_file& f, const transaction_options& o) {
  std::string_view all = f.map ? f.map->bytes() : std::string_view(f.inflated);
  refuse_binary_formats(f.path, all.substr(0, 16));
  if (all.substr(0, 3) == "\xEF\xBB\xBF") all.remove_prefix(3);
  int64_t line = 1;
  while (!all.empty()) {  // blank lines before the header are skipped (and counted)
    const size_t nl = all.find('\n');
    if (nl == std::string_view::npos || !trim_blanks(all.substr(0, nl)).empty()) break;
    all.remove_prefix(nl + 1);
    ++line;
    ++f.leading_blank_lines;
  }
  if (trim_blanks(all).empty()) throw input_error(f.path + ": empty file (no lines to read)");
  f.whitespace = o.whitespace_delimited;
  f.delimiter = o.delimiter.value_or(detect_delimiter(all));
  std::vector<csv_field> fields;
  record_status st;
  const char* after = split_record(f, all.data(), all.data() + all.size(), fields, st);
  if (st.unterminated) throw input_error(describe({f.path, line, 0, ""}, "unterminated quoted field in the first line"));
  f.columns.fields = static_cast<int>(fields.size());
  for (size_t j = 0; j < fields.size(); ++j) {
    f.columns.names.push_back(o.header ? to_utf8(trim_blanks(field_value(fields[j]))) : "column " + std::to_string(j + 1));
  }
  if (o.header) {
    f.header_lines = 1;
    f.body = std::string_view(after, static_cast<size_t>(all.data() + all.size() - after));
    f.body_line = line + st.newlines;
  } else {
    f.body = all;
    f.body_line = line;
  }
  const auto& c = o.columns;
  auto& m = f.columns;
  m.customer = find_role(f, c.customer, "--customer", o.header);
  m.date = find_role(f, c.date, "--date", o.header);
  m.amount = find_role(f, c.amount, "--amount", o.header);
  m.quantity = find_role(f, c.quantity, "--quantity", o.header);
  m.price = find_role(f, c.price, "--price", o.header);
  m.invoice = find_role(f, c.invoice, "--invoice", o.header);
  m.category = find_role(f, c.category, "--category", o.header);
  m.product = find_role(f, c.product, "--product", o.header);
}

}  // namespace

std::vector<transaction_file> open_transaction_files(const transaction_options& o) {
  refuse_repeated_files(o.files);
  const auto n = static_cast<int64_t>(o.files.size());
  std::vector<transaction_file> files(o.files.size());
  for (size_t i = 0; i < files.size(); ++i) {
    files[i].path = o.files[i];
    // Throws for a missing file before any thread starts. Not populated: the parallel parse faults the
    // pages in, instead of one thread mapping a whole large log first.
    files[i].map = std::make_unique<mapped_file>(o.files[i], false);
  }
  std::vector<std::optional<std::string>> errors(files.size());
#pragma omp parallel for schedule(dynamic, 1)
  for (int64_t i = 0; i < n; ++i) {
    auto& f = files[static_cast<size_t>(i)];
    if (!is_gzip(f.map->bytes())) continue;
    errors[static_cast<size_t>(i)] = inflate_all(f.map->bytes(), f.inflated);
    f.map.reset();
  }
  for (size_t i = 0; i < files.size(); ++i)
    if (errors[i]) throw input_error(files[i].path + ": " + *errors[i]);
  for (auto& f : files) read_layout(f, o);
  return files;
}

std::vector<parse_chunk> make_chunks(const std::vector<transaction_file>& files, size_t target_bytes) {
  std::vector<parse_chunk> chunks;
  for (size_t fi = 0; fi < files.size(); ++fi) {
    const std::string_view body = files[fi].body;
    if (body.empty()) continue;
    size_t start = 0;
    while (body.size() - start > target_bytes) {
      const void* nl = std::memchr(body.data() + start + target_bytes, '\n', body.size() - start - target_bytes);
      if (nl == nullptr) break;
      const auto next = static_cast<size_t>(static_cast<const char*>(nl) - body.data()) + 1;
      if (next >= body.size()) break;
      chunks.push_back({static_cast<uint32_t>(fi), start, next});
      start = next;
    }
    chunks.push_back({static_cast<uint32_t>(fi), start, body.size()});
  }
  return chunks;
}

std::vector<parse_chunk> make_chunks_serially(const transaction_file& f, uint32_t file_index, size_t target_bytes) {
  std::vector<parse_chunk> chunks;
  std::vector<csv_field> scratch;
  record_status st;
  const char* begin = f.body.data();
  const char* end = begin + f.body.size();
  size_t start = 0;
  for (const char* p = begin; p < end;) {
    p = split_record(f, p, end, scratch, st);
    const auto off = static_cast<size_t>(p - begin);
    if (off - start >= target_bytes && off < f.body.size()) {
      chunks.push_back({file_index, start, off});
      start = off;
    }
  }
  chunks.push_back({file_index, start, f.body.size()});
  return chunks;
}

}  // namespace segmint::detail
