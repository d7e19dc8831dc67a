#pragma once
// Calendar dates of transaction lines as day numbers (days since 1970-01-01, proleptic Gregorian). The
// date is taken as written: a time of day or a zone offset after it is ignored, never converted, so a
// purchase belongs to the day printed in the log whatever the time zone of its writer.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace segmint::detail {

/// Days since 1970-01-01 of year/month/day (valid dates only).
int32_t days_from_civil(int year, int month, int day);

/// "YYYY-MM-DD" of a day number.
std::string day_text(int32_t day);

/// Strict YYYY-MM-DD (used for --as-of, whatever --date-format says).
std::optional<int32_t> parse_iso_day(std::string_view text);

/// Parses dates in one format. Empty format: ISO, i.e. YYYY-MM-DD, YYYY/MM/DD or YYYYMMDD. Otherwise
/// strftime-like directives %Y (4 digits), %m %d (1-2 digits), %b (month name, English, any case, 3
/// letters or full), %H %M %S (1-2 digits, ignored), %% and literal characters. In both cases the text
/// may go on after the date with a space or 'T' and anything (a time, ignored).
class date_parser {
 public:
  /// Throws input_error for a format it does not understand.
  explicit date_parser(const std::string& format);

  /// The day number, or false when the text is not a valid date in this format.
  bool parse(std::string_view text, int32_t& day) const;
  /// Why `text`, which has the format's shape, is no calendar date ("month 2 of 2011 has 28 days, not 30");
  /// nothing when it has not the shape, or is a valid date.
  [[nodiscard]] std::optional<std::string> impossible(std::string_view text) const;

  /// The format as the user should read it in messages: "%Y-%m-%d" or "ISO (YYYY-MM-DD, YYYYMMDD)".
  [[nodiscard]] std::string description() const;

 private:
  enum class kind : uint8_t { year, month, day, month_name, ignored_number, literal };
  struct token {
    kind k = kind::literal;
    char c = 0;
  };
  bool iso_fields(std::string_view text, int& y, int& m, int& d) const;
  bool fields(std::string_view text, int& y, int& m, int& d) const;
  std::string format_;
  std::vector<token> tokens_;
};

}  // namespace segmint::detail
