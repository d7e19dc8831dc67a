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
