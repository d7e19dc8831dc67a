#include "csv_header.hpp"

#include <map>

#include "number_parse.hpp"
#include "segmint/error.hpp"
#include "text_encoding.hpp"

namespace segmint::detail {

std::vector<csv_column_info> read_header(const std::string& path, const std::vector<csv_field>& fields) {
  std::vector<csv_column_info> header;
  std::map<std::string, int> seen;
  for (size_t j = 0; j < fields.size(); ++j) {
    csv_column_info info;
    info.index = static_cast<int>(j);
    info.name = to_utf8(trim_blanks(field_value(fields[j])));
    if (info.name.empty()) {
      info.name = "unnamed_" + std::to_string(j + 1);
      info.unnamed = true;
    }
    auto [it, inserted] = seen.emplace(info.name, static_cast<int>(j));
    if (!inserted) {
      throw input_error(describe({path, 1, static_cast<int64_t>(j) + 1, info.name},
                                 "duplicate column name (also column " + std::to_string(it->second + 1) +
                                     "); rename one of them"));
    }
    header.push_back(std::move(info));
  }
  return header;
}

bool repeats_header(const std::vector<csv_field>& fields, const std::vector<csv_column_info>& header) {
  if (fields.size() != header.size() || fields.empty()) return false;
  for (size_t j = 0; j < fields.size(); ++j)
    if (header[j].unnamed || to_utf8(trim_blanks(field_value(fields[j]))) != header[j].name) return false;
  return true;
}

void infer_kinds(std::string_view body, int64_t first_line, char delim, char decimal, int limit,
                 std::vector<csv_column_info>& header) {
  std::vector<csv_field> fields;
  record_status st;
  const char* p = body.data();
  const char* end = p + body.size();
  int64_t line = first_line;
  for (int rows = 0; p < end && rows < limit;) {
    p = parse_record(p, end, delim, fields, st);
    const int64_t record_line = line;
    line += st.newlines;
    if (is_blank_record(fields) || fields.size() != header.size() || st.unterminated || st.malformed) continue;
    if (repeats_header(fields, header)) continue;  // not data: the parse reports it as a bad row
    ++rows;
    for (size_t j = 0; j < fields.size(); ++j) {
      float v = 0;
      const std::string value = fields[j].escaped ? field_value(fields[j]) : std::string(fields[j].text);
      const number_status s = parse_number(value, decimal, v);
      auto& col = header[j];
      if (s == number_status::not_a_number) {
        if (col.sample_texts++ == 0) {
          col.first_text = to_utf8(value);
          col.first_text_line = record_line;
        }
      } else if (s != number_status::missing) {
        ++col.sample_numbers;
      }
    }
  }
  for (auto& col : header) {
    col.kind = col.sample_texts > 0 ? column_kind::text : (col.sample_numbers > 0 ? column_kind::numeric : column_kind::empty);
  }
}

}  // namespace segmint::detail
