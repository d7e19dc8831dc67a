#include "transaction_values.hpp"

#include <charconv>
#include <cmath>

#include "number_parse.hpp"

namespace segmint::detail {
namespace {

constexpr int64_t micro_limit = int64_t{1} << 62;

constexpr int64_t pow10_table[] = {1,
                                   10,
                                   100,
                                   1000,
                                   10000,
                                   100000,
                                   1000000,
                                   10000000,
                                   100000000,
                                   1000000000,
                                   10000000000,
                                   100000000000,
                                   1000000000000,
                                   10000000000000,
                                   100000000000000,
                                   1000000000000000,
                                   10000000000000000,
                                   100000000000000000,
                                   1000000000000000000};

/// v / 10^shift rounded half away from zero.
int128_t divide_rounded(int128_t v, int shift) {
  int128_t d = 1;
  for (int i = 0; i < shift; ++i) d *= 10;
  const int128_t q = v / d;
  const int128_t r = v % d;
  if (2 * (r < 0 ? -r : r) >= d) return v < 0 ? q - 1 : q + 1;
  return q;
}

bool fits(int128_t v, int64_t& out) {
  if (v >= micro_limit || v <= -micro_limit) return false;
  out = static_cast<int64_t>(v);
  return true;
}

bool scaled_to_micro(int128_t v, int scale, int64_t& micro) {
  if (scale <= 6) {
    v *= pow10_table[6 - scale];
  } else {
    v = divide_rounded(v, scale - 6);
  }
  return fits(v, micro);
}

}  // namespace

value_status parse_decimal_slow(std::string_view text, char decimal, decimal_value& out) {
  text = trim_blanks(text);
  size_t i = 0;
  bool negative = false;
  if (!text.empty() && (text[0] == '-' || text[0] == '+')) {
    negative = text[0] == '-';
    i = 1;
  }
  int64_t m = 0;
  int digits = 0;
  int scale = 0;
  bool dot = false;
  bool plain = i < text.size();
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if (c >= '0' && c <= '9') {
      if (++digits > 18) {
        plain = false;
        break;
      }
      m = m * 10 + (c - '0');
      scale += dot;
    } else if (c == decimal && !dot) {
      dot = true;
    } else {
      plain = false;
      break;
    }
  }
  if (plain && digits > 0) {
    out = {negative ? -m : m, scale};
    return value_status::ok;
  }
  if (is_missing_token(text)) return value_status::missing;
  // Rare forms (exponents, more than 18 digits): through double, then 6 decimals.
  float ignored = 0;
  if (parse_number(text, decimal, ignored) != number_status::ok) return value_status::bad;
  std::string copy(text);
  for (auto& c : copy)
    if (c == decimal) c = '.';
  double v = 0;
  const char* b = copy.data() + (copy[0] == '+' ? 1 : 0);
  const auto r = std::from_chars(b, copy.data() + copy.size(), v);
  if (r.ec != std::errc() || !std::isfinite(v) || std::fabs(v) * 1e6 >= 4.6e18) return value_status::bad;
  out = {static_cast<int64_t>(std::llround(v * 1e6)), 6};
  return value_status::ok;
}

bool to_micro(decimal_value v, int64_t& micro) { return scaled_to_micro(v.mantissa, v.scale, micro); }

bool product_micro_slow(decimal_value a, decimal_value b, int64_t& micro) {
  // |mantissas| < 10^18 each, so the product fits in 127 bits; the scale is at most 36.
  const int128_t p = static_cast<int128_t>(a.mantissa) * b.mantissa;
  const int scale = a.scale + b.scale;
  if (scale <= 6) {
    const int128_t limit = micro_limit / pow10_table[6 - scale];
    if (p >= limit || p <= -limit) return false;
  }
  return scaled_to_micro(p, scale, micro);
}

std::string micro_text(int128_t micro) {
  const bool negative = micro < 0;
  if (negative) micro = -micro;
  const auto whole = static_cast<uint128_t>(micro / 1000000);
  auto frac = static_cast<int64_t>(micro % 1000000);
  std::string w;
  uint128_t x = whole;
  do {
    w.insert(w.begin(), static_cast<char>('0' + static_cast<int>(x % 10)));
    x /= 10;
  } while (x > 0);
  std::string out = negative ? "-" + w : w;
  if (frac > 0) {
    std::string f(6, '0');
    for (int i = 5; i >= 0; --i, frac /= 10) f[static_cast<size_t>(i)] = static_cast<char>('0' + frac % 10);
    while (f.back() == '0') f.pop_back();
    out += "." + f;
  }
  return out;
}

std::string_view normalize_customer_id(std::string_view id) {
  id = trim_blanks(id);
  if (id.size() < 3 || id.back() != '0') return id;  // most ids: one comparison
  size_t k = id.size();
  while (k > 0 && id[k - 1] == '0') --k;
  if (k < 2 || id[k - 1] != '.') return id;
  const size_t dot = k - 1;
  for (size_t i = 0; i < dot; ++i)
    if (!(id[i] >= '0' && id[i] <= '9') && !(i == 0 && id[i] == '-')) return id;
  return id.substr(0, dot);
}

}  // namespace segmint::detail
