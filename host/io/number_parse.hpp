#pragma once
// Parsing one text field as a float32 feature value.
#include <string_view>

namespace segmint::detail {

enum class number_status {
  ok,
  missing,       ///< empty, NA, N/A, NaN, null, None (any case)
  not_a_number,  ///< text that is not a number
  non_finite,    ///< inf / infinity
  out_of_range,  ///< finite but beyond float32 (|x| > 3.4e38)
};

/// Parses `text` (surrounding blanks ignored, an optional leading '+'). `decimal` is '.' or ','.
/// Values that underflow float32 round to the nearest float (0 or a subnormal), as numpy does.
number_status parse_number(std::string_view text, char decimal, float& out);

/// True for the spellings of a missing value (see number_status::missing).
bool is_missing_token(std::string_view text);

/// Removes leading and trailing spaces, tabs and carriage returns; the common case (none) costs two comparisons.
inline std::string_view trim_blanks(std::string_view s) {
  auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r'; };
  if (s.empty() || (!blank(s.front()) && !blank(s.back()))) return s;
  while (!s.empty() && blank(s.front())) s.remove_prefix(1);
  while (!s.empty() && blank(s.back())) s.remove_suffix(1);
  return s;
}

}  // namespace segmint::detail
