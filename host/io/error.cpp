#include "segmint/error.hpp"

#include <cstdio>

namespace segmint {

std::string quote_value(std::string_view value) {
  constexpr size_t max_shown = 60;
  std::string out = "'";
  for (size_t i = 0; i < value.size() && i < max_shown; ++i) {
    const auto c = static_cast<unsigned char>(value[i]);
    if (c < 0x20 || c >= 0x7f || c == '\'') {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  if (value.size() > max_shown) out += "...";
  out += "'";
  if (value.size() > max_shown) out += " (" + std::to_string(value.size()) + " bytes)";
  return out;
}

std::string describe(const file_position& where, std::string_view message) {
  std::string out = where.file;
  if (where.line > 0) out += ":" + std::to_string(where.line);
  out += ": ";
  if (where.column > 0) {
    out += "column " + std::to_string(where.column);
    if (!where.column_name.empty()) out += " " + quote_value(where.column_name);
    out += ": ";
  }
  out += message;
  return out;
}

}  // namespace segmint
