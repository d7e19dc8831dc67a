#pragma once
// RFC 4180 record tokenizer over an in-memory buffer: quoted fields ("" escapes a quote), embedded
// delimiters and newlines inside quotes, LF or CRLF line ends. Allocation-free: fields are views.
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "segmint/error.hpp"

namespace segmint::detail {

struct csv_field {
  std::string_view text;  ///< without the surrounding quotes; "" pairs still doubled when `escaped`
  bool quoted = false;
  bool escaped = false;
};

struct record_status {
  int64_t newlines = 0;       ///< physical line breaks consumed, the terminating one included
  bool unterminated = false;  ///< a quote opened and never closed: the record ends with its line
  bool malformed = false;     ///< text after a closing quote (e.g. "ab"c)
  int bad_field = -1;         ///< 0-based field of the unterminated or malformed quote
};

/// The field's value with "" unescaped (only allocates when the field contains escaped quotes).
inline std::string field_value(const csv_field& f) {
  if (!f.escaped) return std::string(f.text);
  std::string out;
  out.reserve(f.text.size());
  for (size_t i = 0; i < f.text.size(); ++i) {
    out += f.text[i];
    if (f.text[i] == '"' && i + 1 < f.text.size() && f.text[i + 1] == '"') ++i;
  }
  return out;
}

/// Parses the record starting at `p` into `fields`; returns the position after its line end.
inline const char* parse_record(const char* p, const char* end, char delim, std::vector<csv_field>& fields,
                                record_status& status) {
  fields.clear();
  status = {};
  for (;;) {
    if (p < end && *p == '"') {
      const char* start = p + 1;
      const char* q = start;
      bool escaped = false;
      for (;;) {
        q = static_cast<const char*>(std::memchr(q, '"', static_cast<size_t>(end - q)));
        if (q == nullptr) {
          // The quote never closes: resynchronise at the end of the line it opens on, so the lines after it
          // are read as the rows they are instead of vanishing into one rejected field.
          status.unterminated = true;
          status.bad_field = static_cast<int>(fields.size());
          const auto* nl = static_cast<const char*>(std::memchr(start, '\n', static_cast<size_t>(end - start)));
          const char* stop = nl != nullptr ? nl : end;
          fields.push_back({std::string_view(start, static_cast<size_t>(stop - start)), true, escaped});
          if (nl == nullptr) return end;
          ++status.newlines;
          return nl + 1;
        }
        if (q + 1 < end && q[1] == '"') {
          escaped = true;
          q += 2;
          continue;
        }
        break;
      }
      for (const char* s = start; s < q; ++s) status.newlines += (*s == '\n');
      fields.push_back({std::string_view(start, static_cast<size_t>(q - start)), true, escaped});
      p = q + 1;
      if (p < end && *p == '\r' && p + 1 < end && p[1] == '\n') ++p;
      if (p < end && *p != delim && *p != '\n') {
        if (!status.malformed) status.bad_field = static_cast<int>(fields.size()) - 1;
        status.malformed = true;
        while (p < end && *p != delim && *p != '\n') ++p;
      }
    } else {
      const char* q = p;
      while (q < end && *q != delim && *q != '\n') ++q;
      const char* stop = (q > p && q[-1] == '\r' && (q == end || *q == '\n')) ? q - 1 : q;
      fields.push_back({std::string_view(p, static_cast<size_t>(stop - p)), false, false});
      p = q;
    }
    if (p >= end) return end;
    if (*p == '\n') {
      ++status.newlines;
      return p + 1;
    }
    ++p;  // the delimiter
  }
}

/// The one-line reason for a record with broken quotes (`status.unterminated` or `.malformed`), naming the
/// quoted value when `named` (its field exists in the record and in the header).
inline std::string quote_problem(const record_status& status, std::span<const csv_field> fields, bool named) {
  std::string message = status.unterminated ? "unterminated quoted field (the quote opens on this line)"
                                            : "text after a closing quote inside a field";
  if (!named) return message;
  const std::string value(fields[static_cast<size_t>(status.bad_field)].text);
  return message + (status.unterminated ? ": " + quote_value("\"" + value) : ": " + quote_value("\"" + value + "\"") + " and more");
}

/// The field of a record spanning lines whose quoted value holds whole lines that each have exactly a
/// record's delimiters (the lines strictly between its first and last line break): a stray quote swallowing
/// the rows after it, not a value with a line break in it (such as an address over two lines, which has no
/// whole line inside). -1 when there is none.
inline int field_swallowing_records(std::span<const csv_field> fields, char delim, size_t header_fields) {
  if (header_fields < 2) return -1;
  for (size_t j = 0; j < fields.size(); ++j) {
    if (!fields[j].quoted) continue;
    const std::string_view text = fields[j].text;
    const size_t first = text.find('\n');
    const size_t last = text.rfind('\n');
    if (first == std::string_view::npos || first == last) continue;
    bool all_records = true;
    for (size_t nl = first; nl != last && all_records;) {
      const size_t next = text.find('\n', nl + 1);
      const std::string_view line = text.substr(nl + 1, next - nl - 1);
      all_records = static_cast<size_t>(std::count(line.begin(), line.end(), delim)) + 1 == header_fields;
      nl = next;
    }
    if (all_records) return static_cast<int>(j);
  }
  return -1;
}

/// The one-line reason for field_swallowing_records.
inline std::string swallowed_records_problem(std::span<const csv_field> fields, int field) {
  const std::string_view text = fields[static_cast<size_t>(field)].text;
  return "a quoted value holds whole lines of records (a stray quote?): " +
         quote_value("\"" + std::string(text.substr(0, text.find('\n'))));
}

/// The hint added to a bad record whose quoted value spans lines (its quote is most likely stray).
inline std::string spanned_lines_hint(const record_status& status) {
  return " (a quoted value runs from this line over the next " + std::to_string(status.newlines - 1) +
         " lines: check its quotes)";
}

/// True when the record is empty or only whitespace (such lines are skipped, not counted as rows).
inline bool is_blank_record(const std::vector<csv_field>& fields) {
  if (fields.size() != 1 || fields[0].quoted) return false;
  for (char c : fields[0].text)
    if (c != ' ' && c != '\t' && c != '\r') return false;
  return true;
}

}  // namespace segmint::detail
