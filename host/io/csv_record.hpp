#pragma once
// RFC 4180 record tokenizer over an in-memory buffer: quoted fields ("" escapes a quote), embedded
// delimiters and newlines inside quotes, LF or CRLF line ends. Allocation-free: fields are views.
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

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

/// True when the record is empty or only whitespace (such lines are skipped, not counted as rows).
inline bool is_blank_record(const std::vector<csv_field>& fields) {
  if (fields.size() != 1 || fields[0].quoted) return false;
  for (char c : fields[0].text)
    if (c != ' ' && c != '\t' && c != '\r') return false;
  return true;
}

}  // namespace segmint::detail
