#include "text_encoding.hpp"

#include "segmint/error.hpp"

namespace segmint::detail {

bool is_valid_utf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    int extra = 0;
    unsigned min = 0;
    if ((c & 0xE0) == 0xC0) {
      extra = 1;
      min = 0x80;
    } else if ((c & 0xF0) == 0xE0) {
      extra = 2;
      min = 0x800;
    } else if ((c & 0xF8) == 0xF0) {
      extra = 3;
      min = 0x10000;
    } else {
      return false;
    }
    if (i + static_cast<size_t>(extra) >= s.size()) return false;
    unsigned cp = c & (0x3Fu >> extra);
    for (int k = 1; k <= extra; ++k) {
      const auto cc = static_cast<unsigned char>(s[i + static_cast<size_t>(k)]);
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3Fu);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += static_cast<size_t>(extra) + 1;
  }
  return true;
}

void refuse_binary_formats(const std::string& path, std::string_view head) {
  const auto starts = [&](std::string_view magic) { return head.substr(0, magic.size()) == magic; };
  std::string what;
  std::string fix;
  if (starts(std::string_view("PK\x03\x04", 4)) || starts(std::string_view("PK\x05\x06", 4))) {
    what = "a ZIP archive (an Excel .xlsx or OpenDocument .ods workbook is one)";
    fix = "export the sheet as CSV (File > Save As > CSV UTF-8), or unzip it if it holds a CSV";
  } else if (starts(std::string_view("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8))) {
    what = "a legacy Excel .xls workbook";
    fix = "export the sheet as CSV (File > Save As > CSV UTF-8)";
  } else if (starts("PAR1")) {
    what = "a Parquet file";
    fix = "convert it to CSV, e.g. python3 -c \"import pandas as p; p.read_parquet('IN').to_csv('OUT', index=False)\"";
  } else if (starts("ARROW1")) {
    what = "an Arrow/Feather file";
    fix = "convert it to CSV, e.g. python3 -c \"import pandas as p; p.read_feather('IN').to_csv('OUT', index=False)\"";
  }
  if (!what.empty()) throw input_error(path + ": the file is " + what + ", not a text table; " + fix);
}

std::string to_utf8(std::string_view s) {
  if (is_valid_utf8(s)) return std::string(s);
  std::string out;
  out.reserve(s.size() + s.size() / 4);
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (c < 0x80) {
      out += ch;
    } else {
      out += static_cast<char>(0xC0 | (c >> 6));
      out += static_cast<char>(0x80 | (c & 0x3F));
    }
  }
  return out;
}

}  // namespace segmint::detail
