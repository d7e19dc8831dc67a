#pragma once
// Values of transaction lines: money as exact fixed-point integers, and customer ids as written.
//
// Money is summed in integer micro-units (1e-6 of the currency): "2.55" is exactly 2,550,000 and
// 6 × 2.55 is exactly 15,300,000, so totals are exact and do not depend on the order in which lines,
// chunks or threads are added up. That makes the output independent of the thread count for free, and
// lets a duplicate line found late be subtracted again without a trace.
#include <cstdint>
#include <string>
#include <string_view>

#include "int128.hpp"

namespace segmint::detail {

/// Surrounding spaces, tabs and CRs removed; the common case (none) costs two comparisons.
inline std::string_view trim_field(std::string_view s) {
  auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r'; };
  if (s.empty() || (!blank(s.front()) && !blank(s.back()))) return s;
  while (!s.empty() && blank(s.front())) s.remove_prefix(1);
  while (!s.empty() && blank(s.back())) s.remove_suffix(1);
  return s;
}

/// value = mantissa / 10^scale
struct decimal_value {
  int64_t mantissa = 0;
  int scale = 0;
};

enum class value_status { ok, missing, bad };

/// "[+-]digits[.digits]" exactly (up to 18 digits); other finite forms (exponents, long mantissas) are
/// rounded to 6 decimals. Missing spellings (empty, NA, null...) give `missing`; text, inf, nan give `bad`.
value_status parse_decimal(std::string_view text, char decimal, decimal_value& out);

/// The value in micro-units, rounded half away from zero beyond 6 decimals; false if |value| ≥ 2^62 µ.
bool to_micro(decimal_value v, int64_t& micro);

/// a × b in micro-units (exact up to 6 decimals in the product, then rounded); false on overflow.
bool product_micro(decimal_value a, decimal_value b, int64_t& micro);

/// Micro-units as decimal text without trailing zeros: 5391210000 → "5391.21".
std::string micro_text(int128_t micro);

/// A customer id as the log writes it, minus surrounding blanks and a float export's ".0": "17850.0"
/// (pandas writes integer ids with missing values as floats) is customer "17850". Leading zeros stay.
std::string_view normalize_customer_id(std::string_view id);

}  // namespace segmint::detail
