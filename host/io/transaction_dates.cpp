#include "transaction_dates.hpp"

#include <cstdio>

#include "segmint/error.hpp"

namespace segmint::detail {
namespace {

bool leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int days_in_month(int y, int m) {
  static constexpr int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && leap(y) ? 29 : days[m - 1];
}

bool valid(int y, int m, int d) { return y >= 1 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 && d <= days_in_month(y, m); }

bool digit(char c) { return c >= '0' && c <= '9'; }

/// Reads exactly `n` digits at text[pos].
bool fixed_digits(std::string_view text, size_t pos, size_t n, int& out) {
  if (pos + n > text.size()) return false;
  int v = 0;
  for (size_t i = 0; i < n; ++i) {
    if (!digit(text[pos + i])) return false;
    v = v * 10 + (text[pos + i] - '0');
  }
  out = v;
  return true;
}

/// Reads 1 or 2 digits at text[pos], advancing pos.
bool short_number(std::string_view text, size_t& pos, int& out) {
  if (pos >= text.size() || !digit(text[pos])) return false;
  out = text[pos++] - '0';
  if (pos < text.size() && digit(text[pos])) out = out * 10 + (text[pos++] - '0');
  return true;
}

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool month_name(std::string_view text, size_t& pos, int& month) {
  static constexpr const char* names[] = {"january", "february", "march",     "april",   "may",      "june",
                                          "july",    "august",   "september", "october", "november", "december"};
  for (int m = 0; m < 12; ++m) {
    const std::string_view full = names[m];
    size_t n = 0;
    while (pos + n < text.size() && n < full.size() && lower(text[pos + n]) == full[n]) ++n;
    // The full name, or its first three letters not followed by another letter.
    const bool more_letters = pos + n < text.size() && lower(text[pos + n]) >= 'a' && lower(text[pos + n]) <= 'z';
    if (n == full.size() || (n == 3 && !more_letters)) {
      pos += n;
      month = m + 1;
      return true;
    }
  }
  return false;
}

/// After the date: nothing, or a space / 'T' and a time (ignored).
bool acceptable_rest(std::string_view text, size_t pos) {
  if (pos == text.size()) return true;
  return (text[pos] == ' ' || text[pos] == 'T') && pos + 1 < text.size() && digit(text[pos + 1]);
}

}  // namespace

int32_t days_from_civil(int year, int month, int day) {
  // H. Hinnant's days_from_civil.
  const int y = year - (month <= 2 ? 1 : 0);
  const int era = (y >= 0 ? y : y - 399) / 400;
  const int yoe = y - era * 400;
  const int doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

std::string day_text(int32_t z) {
  z += 719468;
  const int era = (z >= 0 ? z : z - 146096) / 146097;
  const int doe = z - era * 146097;
  const int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int mp = (5 * doy + 2) / 153;
  const int d = doy - (153 * mp + 2) / 5 + 1;
  const int m = mp < 10 ? mp + 3 : mp - 9;
  const int y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  if (y < 0 || y > 9999) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
    return buf;
  }
  // Written by hand: this runs twice per customer, and snprintf would be most of that time.
  std::string out = "0000-00-00";
  for (int i = 3, v = y; i >= 0; --i, v /= 10) out[static_cast<size_t>(i)] = static_cast<char>('0' + v % 10);
  out[5] = static_cast<char>('0' + m / 10);
  out[6] = static_cast<char>('0' + m % 10);
  out[8] = static_cast<char>('0' + d / 10);
  out[9] = static_cast<char>('0' + d % 10);
  return out;
}

std::optional<int32_t> parse_iso_day(std::string_view text) {
  int y = 0, m = 0, d = 0;
  if (text.size() != 10 || text[4] != '-' || text[7] != '-' || !fixed_digits(text, 0, 4, y) || !fixed_digits(text, 5, 2, m) ||
      !fixed_digits(text, 8, 2, d) || !valid(y, m, d))
    return std::nullopt;
  return days_from_civil(y, m, d);
}

date_parser::date_parser(const std::string& format) : format_(format) {
  for (size_t i = 0; i < format.size(); ++i) {
    if (format[i] != '%') {
      tokens_.push_back({kind::literal, format[i]});
      continue;
    }
    if (i + 1 == format.size()) throw input_error("--date-format " + quote_value(format) + ": it ends with a lone '%'");
    switch (const char c = format[++i]) {
      case 'Y': tokens_.push_back({kind::year, c}); break;
      case 'm': tokens_.push_back({kind::month, c}); break;
      case 'd': tokens_.push_back({kind::day, c}); break;
      case 'b': case 'B': tokens_.push_back({kind::month_name, c}); break;
      case 'H': case 'M': case 'S': tokens_.push_back({kind::ignored_number, c}); break;
      case '%': tokens_.push_back({kind::literal, '%'}); break;
      default:
        throw input_error("--date-format " + quote_value(format) + ": %" + std::string(1, c) +
                          " is not supported (use %Y %m %d %b %H %M %S, e.g. %d/%m/%Y)");
    }
  }
  if (!format.empty()) {
    int seen_y = 0, seen_m = 0, seen_d = 0;
    for (const auto& t : tokens_) {
      seen_y += t.k == kind::year;
      seen_m += t.k == kind::month || t.k == kind::month_name;
      seen_d += t.k == kind::day;
    }
    if (seen_y != 1 || seen_m != 1 || seen_d != 1)
      throw input_error("--date-format " + quote_value(format) + ": it needs exactly one each of %Y, %m (or %b) and %d");
  }
}

std::string date_parser::description() const { return format_.empty() ? "ISO (YYYY-MM-DD or YYYYMMDD)" : format_; }

bool date_parser::iso_fields(std::string_view text, int& y, int& m, int& d) const {
  size_t end = 0;
  if (text.size() >= 10 && (text[4] == '-' || text[4] == '/') && text[7] == text[4]) {
    if (!fixed_digits(text, 0, 4, y) || !fixed_digits(text, 5, 2, m) || !fixed_digits(text, 8, 2, d)) return false;
    end = 10;
  } else if (fixed_digits(text, 0, 4, y) && fixed_digits(text, 4, 2, m) && fixed_digits(text, 6, 2, d)) {
    end = 8;
  } else {
    return false;
  }
  return acceptable_rest(text, end);
}

bool date_parser::fields(std::string_view text, int& y, int& m, int& d) const {
  if (tokens_.empty()) return iso_fields(text, y, m, d);
  int ignored = 0;
  size_t pos = 0;
  for (const auto& t : tokens_) {
    switch (t.k) {
      case kind::year:
        if (!fixed_digits(text, pos, 4, y)) return false;
        pos += 4;
        break;
      case kind::month:
        if (!short_number(text, pos, m)) return false;
        break;
      case kind::day:
        if (!short_number(text, pos, d)) return false;
        break;
      case kind::month_name:
        if (!month_name(text, pos, m)) return false;
        break;
      case kind::ignored_number:
        if (!short_number(text, pos, ignored)) return false;
        break;
      case kind::literal:
        if (pos >= text.size() || text[pos] != t.c) return false;
        ++pos;
        break;
    }
  }
  return acceptable_rest(text, pos);
}

bool date_parser::parse(std::string_view text, int32_t& day) const {
  int y = 0, m = 0, d = 0;
  if (!fields(text, y, m, d) || !valid(y, m, d)) return false;
  day = days_from_civil(y, m, d);
  return true;
}

std::optional<std::string> date_parser::impossible(std::string_view text) const {
  int y = 0, m = 0, d = 0;
  if (!fields(text, y, m, d) || valid(y, m, d)) return std::nullopt;
  if (y < 1 || y > 9999) return "year " + std::to_string(y) + " is outside 1..9999";
  if (m < 1 || m > 12) return "there is no month " + std::to_string(m);
  return "month " + std::to_string(m) + " of " + std::to_string(y) + " has " + std::to_string(days_in_month(y, m)) +
         " days, not " + std::to_string(d);
}

}  // namespace segmint::detail
