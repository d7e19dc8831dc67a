// Text answers read as numbers. Each rule accepts a column only when every distinct answer fits it, so a
// free-text or category column never becomes a number by accident (README "Survey answers").
#include "text_scales.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>
#include <string_view>

#include "number_parse.hpp"

namespace segmint::detail {
namespace {

std::string lower_trimmed(std::string_view s) {
  s = trim_blanks(s);
  std::string out;
  out.reserve(s.size());
  for (char c : s) out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

/// Lower-case words of letters and digits ("More than once a week!" → more, than, once, a, week).
std::vector<std::string> words(std::string_view s) {
  std::vector<std::string> out;
  std::string cur;
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c)) {
      cur += static_cast<char>(std::tolower(c));
    } else if (!cur.empty()) {
      out.push_back(cur);
      cur.clear();
    }
  }
  if (!cur.empty()) out.push_back(cur);
  return out;
}

std::string answer_value_text(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

// ---- Yes/No -------------------------------------------------------------------------------------------

std::optional<text_scale> yes_no(const std::vector<std::string>& answers) {
  static const std::map<std::string, double> known = {{"yes", 1}, {"no", 0}, {"y", 1}, {"n", 0}, {"true", 1}, {"false", 0}};
  static const std::map<std::string, int> family = {{"yes", 0}, {"no", 0}, {"y", 1}, {"n", 1}, {"true", 2}, {"false", 2}};
  text_scale s{"yes/no", {}};
  std::set<int> families;
  for (const auto& a : answers) {
    const auto it = known.find(lower_trimmed(a));
    if (it == known.end()) return std::nullopt;
    families.insert(family.at(it->first));
    s.values.emplace_back(a, it->second);
  }
  if (families.size() != 1) return std::nullopt;  // "Yes" beside "False" is two questions, not one
  const bool both = std::any_of(s.values.begin(), s.values.end(), [](const auto& v) { return v.second == 1; }) &&
                    std::any_of(s.values.begin(), s.values.end(), [](const auto& v) { return v.second == 0; });
  if (!both) return std::nullopt;  // a column of "y" alone is a letter, not an answer
  std::stable_sort(s.values.begin(), s.values.end(), [](const auto& x, const auto& y) { return x.second < y.second; });
  return s;
}

// ---- a number inside the text ("I love it!+5", "+2") -------------------------------------------------------

/// The numbers written in `s` (an optional sign directly before the digits when it does not follow a letter
/// or digit; an optional decimal part).
std::vector<double> numbers_in(std::string_view s) {
  std::vector<double> out;
  for (size_t i = 0; i < s.size();) {
    const auto digit = [&](size_t k) { return k < s.size() && std::isdigit(static_cast<unsigned char>(s[k])); };
    if (!digit(i)) {
      ++i;
      continue;
    }
    size_t start = i;
    if (start > 0 && (s[start - 1] == '+' || s[start - 1] == '-') &&
        (start == 1 || !std::isalnum(static_cast<unsigned char>(s[start - 2]))))
      --start;
    while (digit(i)) ++i;
    if (i + 1 < s.size() && s[i] == '.' && digit(i + 1)) {
      ++i;
      while (digit(i)) ++i;
    }
    out.push_back(std::stod(std::string(s.substr(s[start] == '+' ? start + 1 : start, i - start - (s[start] == '+')))));
  }
  return out;
}

std::optional<text_scale> number_in_text(const std::vector<std::string>& answers) {
  text_scale s{"number in the text", {}};
  size_t plain = 0;
  for (const auto& a : answers) {
    const std::vector<double> n = numbers_in(a);
    if (n.size() != 1) return std::nullopt;
    float v = 0;
    if (parse_number(a, '.', v) == number_status::ok) ++plain;
    s.values.emplace_back(a, n.front());
  }
  // Mostly plain numbers with a few labelled end points: a rating scale. Text that merely contains a number
  // ("Group 1", "Group 2") is a category.
  if (plain * 2 < answers.size() || plain == answers.size()) return std::nullopt;
  return s;
}

// ---- frequency phrases -----------------------------------------------------------------------------------

std::optional<double> per_year(const std::string& unit) {
  static const std::map<std::string, double> units = {
      {"day", 365},     {"days", 365},     {"week", 52},   {"weeks", 52},    {"fortnight", 26}, {"fortnights", 26},
      {"month", 12},    {"months", 12},    {"quarter", 4}, {"quarters", 4},  {"year", 1},       {"years", 1}};
  const auto it = units.find(unit);
  return it == units.end() ? std::nullopt : std::optional<double>(it->second);
}

std::optional<double> count_word(const std::string& w) {
  static const std::map<std::string, double> counts = {
      {"one", 1}, {"two", 2},   {"three", 3}, {"four", 4}, {"five", 5},     {"six", 6},    {"seven", 7},
      {"eight", 8}, {"nine", 9}, {"ten", 10}, {"eleven", 11}, {"twelve", 12}, {"other", 2}, {"few", 3}, {"several", 3}};
  if (const auto it = counts.find(w); it != counts.end()) return it->second;
  if (!w.empty() && std::all_of(w.begin(), w.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); }))
    return std::stod(w);
  return std::nullopt;
}

/// Times per year a frequency phrase means: "never" 0, "once a month" 12, "every three months" 4, "twice a
/// week" 104, "daily" 365, "more than once a week" 78 (more/less than scale by 1.5 / 0.67 so they sort
/// beside the phrase they qualify).
std::optional<double> times_per_year(const std::vector<std::string>& w) {
  size_t i = 0;
  double factor = 1;
  if (w.size() > 2 && (w[0] == "more" || w[0] == "less" || w[0] == "fewer") && w[1] == "than") {
    factor = w[0] == "more" ? 1.5 : 0.67;
    i = 2;
  } else if (w.size() > 2 && w[0] == "at" && (w[1] == "least" || w[1] == "most")) {
    factor = w[1] == "least" ? 1.25 : 0.8;
    i = 2;
  }
  const size_t rest = w.size() - i;
  if (rest == 1) {
    static const std::map<std::string, double> single = {{"never", 0},      {"daily", 365},  {"weekly", 52},
                                                         {"fortnightly", 26}, {"biweekly", 26}, {"monthly", 12},
                                                         {"quarterly", 4}, {"yearly", 1},   {"annually", 1}};
    const auto it = single.find(w[i]);
    if (it == single.end()) return std::nullopt;
    return it->second * factor;
  }
  if (w[i] == "every") {  // every [N|other] unit
    if (rest == 2)
      if (const auto u = per_year(w[i + 1])) return *u * factor;
    if (rest == 3)
      if (const auto n = count_word(w[i + 1]))
        if (const auto u = per_year(w[i + 2]); u && *n > 0) return *u / *n * factor;
    return std::nullopt;
  }
  double times = 0;  // once | twice | N times, then a|per|each|every unit
  size_t j = i;
  if (w[j] == "once") {
    times = 1, j += 1;
  } else if (w[j] == "twice") {
    times = 2, j += 1;
  } else if (rest >= 3 && (w[j + 1] == "times" || w[j + 1] == "time")) {
    const auto n = count_word(w[j]);
    if (!n) return std::nullopt;
    times = *n, j += 2;
  } else {
    return std::nullopt;
  }
  if (w.size() - j != 2 || (w[j] != "a" && w[j] != "per" && w[j] != "each" && w[j] != "every" && w[j] != "an"))
    return std::nullopt;
  const auto u = per_year(w[j + 1]);
  if (!u) return std::nullopt;
  return times * *u * factor;
}

std::optional<text_scale> frequency(const std::vector<std::string>& answers) {
  std::vector<std::pair<double, std::string>> rated;
  std::set<double> rates;
  for (const auto& a : answers) {
    const auto r = times_per_year(words(a));
    if (!r) return std::nullopt;
    rated.emplace_back(*r, a);
    rates.insert(*r);
  }
  if (rates.size() < 2 || rates.size() != rated.size()) return std::nullopt;  // two answers, one frequency: unclear
  std::sort(rated.begin(), rated.end());
  text_scale s{"frequency", {}};
  for (size_t r = 0; r < rated.size(); ++r) s.values.emplace_back(rated[r].second, static_cast<double>(r));
  return s;
}

// ---- known ordered scales ("Strongly disagree" … "Strongly agree") ----------------------------------------

std::optional<text_scale> ordered_scale(const std::vector<std::string>& answers) {
  using step = std::vector<std::string>;  // the spellings of one position
  static const std::vector<std::vector<step>> scales = {
      {{"strongly disagree"}, {"disagree"}, {"neutral", "neither agree nor disagree"}, {"agree"}, {"strongly agree"}},
      {{"very dissatisfied"}, {"dissatisfied"}, {"neutral", "neither satisfied nor dissatisfied"}, {"satisfied"}, {"very satisfied"}},
      {{"very unlikely"}, {"unlikely"}, {"neutral", "neither likely nor unlikely"}, {"likely"}, {"very likely"}},
      {{"very poor"}, {"poor"}, {"fair"}, {"good"}, {"very good"}, {"excellent"}},
      {{"very low"}, {"low"}, {"medium", "moderate", "average"}, {"high"}, {"very high"}},
  };
  for (const auto& scale : scales) {
    text_scale s{"ordered scale", {}};
    for (const auto& a : answers) {
      const std::string l = lower_trimmed(a);
      for (size_t pos = 0; pos < scale.size(); ++pos)
        if (std::find(scale[pos].begin(), scale[pos].end(), l) != scale[pos].end()) s.values.emplace_back(a, static_cast<double>(pos));
    }
    if (s.values.size() == answers.size() && answers.size() >= 3) {
      std::stable_sort(s.values.begin(), s.values.end(), [](const auto& x, const auto& y) { return x.second < y.second; });
      return s;
    }
  }
  return std::nullopt;
}

}  // namespace

std::optional<double> text_scale::value_of(const std::string& answer) const {
  const std::string key = lower_trimmed(answer);
  for (const auto& [text, value] : values)
    if (lower_trimmed(text) == key) return value;
  return std::nullopt;
}

std::optional<text_scale> detect_text_scale(const std::vector<std::string>& answers) {
  if (answers.empty()) return std::nullopt;
  if (auto s = yes_no(answers)) return s;
  if (auto s = number_in_text(answers)) return s;
  if (auto s = frequency(answers)) return s;
  return ordered_scale(answers);
}

text_scale ordinal_scale(const std::vector<std::string>& order) {
  text_scale s{"--ordinal", {}};
  for (size_t i = 0; i < order.size(); ++i) s.values.emplace_back(order[i], static_cast<double>(i));
  return s;
}

std::string describe_scale(const text_scale& s) {
  auto quoted = [](const std::string& t) { return "'" + t + "'"; };
  if (s.rule == "yes/no") {
    std::string out;
    for (double v : {1.0, 0.0})
      for (const auto& [text, value] : s.values)
        if (value == v) {
          out += (out.empty() ? "" : ", ") + quoted(text) + " → " + answer_value_text(v);
          break;
        }
    return out;
  }
  if (s.rule == "number in the text") {
    for (const auto& [text, value] : s.values) {
      float v = 0;
      if (parse_number(text, '.', v) != number_status::ok)
        return "the number in each answer: " + quoted(text) + " → " + answer_value_text(value);
    }
  }
  std::string order;
  const size_t n = s.values.size();
  for (size_t i = 0; i < n; ++i) {
    if (n > 6 && i == 2) {
      order += " < …";
      i = n - 2;
    }
    order += (i == 0 ? "" : " < ") + quoted(s.values[i].first);
  }
  return std::string(s.rule == "--ordinal" ? "ordered as given: " : "ordered: ") + order + " → " +
         answer_value_text(s.values.front().second) + ".." + answer_value_text(s.values.back().second);
}

}  // namespace segmint::detail
