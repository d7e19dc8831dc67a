#include "number_parse.hpp"

#include <algorithm>
#include <array>
#include <cstdlib>
#include <string>
#include <charconv>
#include <cmath>
#include <limits>

namespace segmint::detail {

bool is_missing_token(std::string_view text) {
  text = trim_blanks(text);
  if (text.empty()) return true;
  if (text.size() > 4) return false;
  std::array<char, 4> lower{};
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    lower[i] = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  const std::string_view t(lower.data(), text.size());
  return t == "na" || t == "n/a" || t == "nan" || t == "null" || t == "none";
}

namespace {

// from_chars on a copy with ',' turned into '.', for --decimal ,
std::from_chars_result from_chars_decimal(std::string_view text, char decimal, double& value) {
  if (decimal == '.') return std::from_chars(text.data(), text.data() + text.size(), value);
  std::array<char, 64> buf{};
  if (text.size() >= buf.size()) return {text.data(), std::errc::invalid_argument};
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '.') return {text.data(), std::errc::invalid_argument};  // '.' is not valid then
    buf[i] = text[i] == decimal ? '.' : text[i];
  }
  auto r = std::from_chars(buf.data(), buf.data() + text.size(), value);
  return {text.data() + (r.ptr - buf.data()), r.ec};
}

constexpr double exact_powers_of_ten[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                                          1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

/// Clinger's fast path for the common CSV number "[-]digits[.digits]": when the digits form an integer
/// m ≤ 2^53 and there are at most 22 decimals, m / 10^decimals is one correctly rounded division, the same
/// double from_chars would produce. Returns false for anything else (exponents, long mantissas...).
inline bool parse_plain_decimal(std::string_view t, char decimal, double& v) {
  size_t i = 0;
  const bool negative = !t.empty() && t[0] == '-';
  if (negative) i = 1;
  uint64_t m = 0;
  int digits = 0;
  int decimals = 0;
  bool dot = false;
  for (; i < t.size(); ++i) {
    const char ch = t[i];
    if (ch >= '0' && ch <= '9') {
      if (++digits > 18) return false;
      m = m * 10 + static_cast<uint64_t>(ch - '0');
      decimals += dot;
    } else if (ch == decimal && !dot) {
      dot = true;
    } else {
      return false;
    }
  }
  if (digits == 0 || m > (uint64_t{1} << 53) || decimals > 22) return false;
  v = static_cast<double>(m) / exact_powers_of_ten[decimals];
  if (negative) v = -v;
  return true;
}

}  // namespace

number_status parse_number(std::string_view text, char decimal, float& out) {
  text = trim_blanks(text);
  if (!text.empty()) {
    double fast = 0;
    if (parse_plain_decimal(text, decimal, fast)) {
      if (std::fabs(fast) > static_cast<double>(std::numeric_limits<float>::max())) return number_status::out_of_range;
      out = static_cast<float>(fast);
      return number_status::ok;
    }
  }
  if (is_missing_token(text)) return number_status::missing;
  if (text.front() == '+') text.remove_prefix(1);
  if (text.empty() || text.front() == '+' || (text.front() == '-' && text.size() == 1)) {
    return number_status::not_a_number;
  }
  const char first = text.front() == '-' ? (text.size() > 1 ? text[1] : '\0') : text.front();
  if (first == 'i' || first == 'I') {  // from_chars accepts inf/infinity: classify them ourselves
    double v = 0;
    auto r = std::from_chars(text.data(), text.data() + text.size(), v);
    return (r.ec == std::errc() && r.ptr == text.data() + text.size()) ? number_status::non_finite
                                                                       : number_status::not_a_number;
  }
  if (!((first >= '0' && first <= '9') || first == '.' || first == decimal)) return number_status::not_a_number;
  double v = 0;
  const auto r = from_chars_decimal(text, decimal, v);
  if (r.ptr != text.data() + text.size()) return number_status::not_a_number;
  if (r.ec == std::errc::result_out_of_range) {
    // from_chars reports overflow and underflow alike; strtod (rare path, "C" locale) tells them apart.
    std::string copy(text);
    if (decimal != '.') std::replace(copy.begin(), copy.end(), decimal, '.');
    const double s = std::strtod(copy.c_str(), nullptr);
    if (std::isinf(s)) return number_status::out_of_range;
    out = static_cast<float>(s);
    return number_status::ok;
  }
  if (r.ec != std::errc()) return number_status::not_a_number;
  if (!std::isfinite(v)) return number_status::non_finite;
  if (std::fabs(v) > static_cast<double>(std::numeric_limits<float>::max())) return number_status::out_of_range;
  out = static_cast<float>(v);
  return number_status::ok;
}

}  // namespace segmint::detail
