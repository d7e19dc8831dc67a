#pragma once
// Values of transaction lines: money as exact fixed-point integers, and customer ids as written.
//
// Money is summed in integer micro-units (1e-6 of the currency): "2.55" is exactly 2,550,000 and
// 6 × 2.55 is exactly 15,300,000, so totals are exact and do not depend on the order in which lines,
// chunks or threads are added up. That makes the output independent of the thread count for free, and
// lets a duplicate line found late be subtracted again without a trace.
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "int128.hpp"
#include "number_parse.hpp"

namespace segmint::detail {

/// Equality of short texts (ids, dates, invoices) without a library call: they are compared on every line.
inline bool same_text(std::string_view a, std::string_view b) {
  const size_t n = a.size();
  if (n != b.size()) return false;
  auto word8 = [](const char* p) {
    uint64_t w;
    std::memcpy(&w, p, 8);
    return w;
  };
  auto word4 = [](const char* p) {
    uint32_t w;
    std::memcpy(&w, p, 4);
    return w;
  };
  if (n >= 8) {  // whole words, then the last 8 bytes (overlapping)
    for (size_t i = 0; i + 8 <= n; i += 8)
      if (word8(a.data() + i) != word8(b.data() + i)) return false;
    return word8(a.data() + n - 8) == word8(b.data() + n - 8);
  }
  if (n >= 4) return word4(a.data()) == word4(b.data()) && word4(a.data() + n - 4) == word4(b.data() + n - 4);
  for (size_t i = 0; i < n; ++i)
    if (a[i] != b[i]) return false;
  return true;
}

/// The spellings of a missing value (empty, NA, N/A, NaN, null, None) are at most 4 characters: longer
/// ids skip the check.
inline bool missing_text(std::string_view s);

/// value = mantissa / 10^scale
struct decimal_value {
  int64_t mantissa = 0;
  int scale = 0;
};

enum class value_status { ok, missing, bad };

/// Everything parse_decimal's inline fast path leaves: blanks, missing spellings, exponents, errors.
value_status parse_decimal_slow(std::string_view text, char decimal, decimal_value& out);

/// "[+-]digits[.digits]" exactly (up to 18 digits); other finite forms (exponents, long mantissas) are
/// rounded to 6 decimals. Missing spellings (empty, NA, null...) give `missing`; text and inf give `bad`.
inline value_status parse_decimal(std::string_view text, char decimal, decimal_value& out) {
  const char* p = text.data();
  const char* e = p + text.size();
  bool negative = false;
  if (p < e && (*p == '-' || *p == '+')) negative = *p++ == '-';
  const char* digits = p;
  uint64_t m = 0;
  while (p < e && static_cast<unsigned>(*p - '0') < 10) m = m * 10 + static_cast<unsigned>(*p++ - '0');
  const auto whole = p - digits;
  long scale = 0;
  if (p < e && *p == decimal) {
    const char* frac = ++p;
    while (p < e && static_cast<unsigned>(*p - '0') < 10) m = m * 10 + static_cast<unsigned>(*p++ - '0');
    scale = p - frac;
  }
  if (p != e || whole + scale == 0 || whole + scale > 18) return parse_decimal_slow(text, decimal, out);
  out.mantissa = negative ? -static_cast<int64_t>(m) : static_cast<int64_t>(m);
  out.scale = static_cast<int>(scale);
  return value_status::ok;
}

/// The value in micro-units, rounded half away from zero beyond 6 decimals; false if |value| ≥ 2^62 µ.
bool to_micro(decimal_value v, int64_t& micro);

/// product_micro for the cases its inline fast path leaves (more than 6 decimals, very large values).
bool product_micro_slow(decimal_value a, decimal_value b, int64_t& micro);

/// a × b in micro-units (exact up to 6 decimals in the product, then rounded); false on overflow.
inline bool product_micro(decimal_value a, decimal_value b, int64_t& micro) {
  // The usual line (a few digits each, at most 6 decimals together) in 64-bit arithmetic.
  static constexpr int64_t scale_up[] = {1000000, 100000, 10000, 1000, 100, 10, 1};
  constexpr int64_t limit = int64_t{1} << 62;
  const int scale = a.scale + b.scale;
  int64_t p = 0;
  if (scale <= 6 && !__builtin_mul_overflow(a.mantissa, b.mantissa, &p) && !__builtin_mul_overflow(p, scale_up[scale], &micro))
    return micro < limit && micro > -limit;
  return product_micro_slow(a, b, micro);
}

/// Micro-units as decimal text without trailing zeros: 5391210000 → "5391.21".
std::string micro_text(int128_t micro);

/// A customer id as the log writes it, minus surrounding blanks and a float export's ".0": "17850.0"
/// (pandas writes integer ids with missing values as floats) is customer "17850". Leading zeros stay.
std::string_view normalize_customer_id(std::string_view id);

bool is_missing_token(std::string_view text);  // number_parse.hpp

inline bool missing_text(std::string_view s) { return s.size() <= 4 && is_missing_token(s); }

}  // namespace segmint::detail
