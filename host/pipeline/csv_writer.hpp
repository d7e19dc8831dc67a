#pragma once
// Small helpers for writing CSV outputs.
#include <charconv>
#include <cstdio>
#include <string>
#include <string_view>

namespace segmint::detail {

/// The field quoted per RFC 4180 when it contains a comma, quote, CR or LF (or leading/trailing space).
inline std::string csv_field(std::string_view s) {
  const bool quote = s.find_first_of(",\"\r\n") != std::string_view::npos ||
                     (!s.empty() && (s.front() == ' ' || s.back() == ' '));
  if (!quote) return std::string(s);
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

/// Text a spreadsheet would run as a formula (CSV injection): it starts with = + - @ (or a tab or CR) and is
/// not simply a number such as -5 or +3.2.
inline bool formula_like(std::string_view s) {
  if (s.empty() || std::string_view("=+-@\t\r").find(s.front()) == std::string_view::npos) return false;
  double v = 0;
  const char* begin = s.data() + (s.front() == '+' ? 1 : 0);
  const auto r = std::from_chars(begin, s.data() + s.size(), v);
  return !(r.ec == std::errc() && r.ptr == s.data() + s.size() && s.front() != '=' && s.front() != '@');
}

/// csv_field, and with `spreadsheet_safe` a formula-like value gets a leading ' (spreadsheets show it as
/// text; the file then no longer round-trips that value, which is why it is an option).
inline std::string csv_text(std::string_view s, bool spreadsheet_safe) {
  if (spreadsheet_safe && formula_like(s)) return csv_field("'" + std::string(s));
  return csv_field(s);
}

/// How many of `values` a spreadsheet would run as formulas.
template <class Range>
size_t count_formula_like(const Range& values) {
  size_t n = 0;
  for (const auto& v : values) n += formula_like(v);
  return n;
}

/// The warning when values (`noun`: "id", "category value") would run as formulas in a spreadsheet and
/// --spreadsheet-safe is not given.
inline std::string formula_warning(size_t n, const std::string& noun = "id") {
  return std::to_string(n) + " " + noun + (n == 1 ? " starts" : "s start") +
         " with =, +, - or @: a spreadsheet opening the CSV output may run " +
         (n == 1 ? "it as a formula" : "them as formulas") + " (--spreadsheet-safe writes such values with a leading ', which then no longer round-trip)";
}

/// The shortest text that reads back as exactly `v` (std::to_chars), e.g. "0.41435259".
inline std::string csv_float(float v) {
  char buf[32];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, r.ptr);
}

/// `v` with `digits` significant digits ("%.*g"); "" for NaN.
inline std::string csv_number(double v, int digits = 10) {
  if (v != v) return "";
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.*g", digits, v);
  return buf;
}

}  // namespace segmint::detail
