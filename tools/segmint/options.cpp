#include "options.hpp"

#include <charconv>
#include <cstdint>

#include "segmint/error.hpp"

namespace segmint::cli {

int parse_int(const std::string& text, const char* option) {
  int v = 0;
  const auto r = std::from_chars(text.data(), text.data() + text.size(), v);
  if (r.ec != std::errc() || r.ptr != text.data() + text.size())
    throw input_error(std::string(option) + ": " + quote_value(text) + " is not a whole number");
  return v;
}

namespace {

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t");
  const auto e = s.find_last_not_of(" \t");
  return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
}

}  // namespace

k_range parse_k(const std::string& text) {
  const auto dots = text.find("..");
  const auto dash = text.find('-', 1);
  k_range r;
  if (dots != std::string::npos) {
    r.min = parse_int(text.substr(0, dots), "--k");
    r.max = parse_int(text.substr(dots + 2), "--k");
  } else if (dash != std::string::npos) {
    r.min = parse_int(text.substr(0, dash), "--k");
    r.max = parse_int(text.substr(dash + 1), "--k");
  } else {
    r.min = r.max = parse_int(text, "--k");
  }
  if (r.min < 1) throw input_error("--k: k must be at least 1, got " + quote_value(text));
  if (r.max < r.min) throw input_error("--k: empty range " + quote_value(text) + " (write it as MIN..MAX)");
  if (r.max > 1000) throw input_error("--k: at most 1000 segments, got " + quote_value(text));
  return r;
}

pca::params parse_pca(const std::string& text) {
  pca::params p;
  if (text.find('.') != std::string::npos) {
    double v = 0;
    const auto r = std::from_chars(text.data(), text.data() + text.size(), v);
    if (r.ec != std::errc() || r.ptr != text.data() + text.size() || !(v > 0 && v <= 1))
      throw input_error("--pca: " + quote_value(text) + " is neither a component count nor a variance fraction in (0, 1]");
    p.variance_fraction = v;
  } else {
    const int n = parse_int(text, "--pca");
    if (n < 1) throw input_error("--pca: the component count must be at least 1");
    p.components = n;
  }
  return p;
}

char parse_delimiter(const std::string& text, const char* option) {
  if (text == "tab" || text == "\\t" || text == "\t") return '\t';
  if (text.size() == 1 && text[0] != '"' && text[0] != '\n' && text[0] != '\r') return text[0];
  throw input_error(std::string(option) + ": " + quote_value(text) + " is not a single character (use e.g. , ; | tab)");
}

std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= text.size()) {
    const auto comma = text.find(',', start);
    const std::string item = trim(text.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
    if (!item.empty()) out.push_back(item);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

std::vector<role_override> parse_roles(const std::string& text) {
  std::vector<role_override> out;
  for (const auto& item : split_list(text)) {
    const auto eq = item.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == item.size())
      throw input_error("--role: " + quote_value(item) + " is not ROLE=COLUMN (e.g. --role spend=avg_ticket)");
    out.push_back({trim(item.substr(0, eq)), trim(item.substr(eq + 1))});
  }
  return out;
}

std::vector<std::pair<std::string, std::vector<std::string>>> parse_ordinals(const std::vector<std::string>& items) {
  std::vector<std::pair<std::string, std::vector<std::string>>> out;
  for (const auto& item : items) {
    const auto eq = item.find('=');
    const std::vector<std::string> answers = eq == std::string::npos ? std::vector<std::string>() : split_list(item.substr(eq + 1));
    if (eq == std::string::npos || eq == 0 || answers.size() < 2)
      throw input_error("--ordinal: " + quote_value(item) + " is not COLUMN=lowest,...,highest with two answers or more");
    for (size_t a = 0; a < answers.size(); ++a)
      for (size_t b = 0; b < a; ++b)
        if (answers[a] == answers[b]) throw input_error("--ordinal: " + quote_value(answers[a]) + " is listed twice in " + quote_value(item));
    out.emplace_back(trim(item.substr(0, eq)), answers);
  }
  return out;
}

int64_t parse_bytes(const std::string& text, const char* option) {
  int64_t v = 0;
  const char* end = text.data() + text.size();
  const auto r = std::from_chars(text.data(), end, v);
  int shift = 0;
  if (r.ec == std::errc() && r.ptr + 1 == end) {
    switch (*r.ptr) {
      case 'K': case 'k': shift = 10; break;
      case 'M': case 'm': shift = 20; break;
      case 'G': case 'g': shift = 30; break;
      case 'T': case 't': shift = 40; break;
      default: shift = -1;
    }
  } else if (r.ec != std::errc() || r.ptr != end) {
    shift = -1;
  }
  if (shift < 0 || v <= 0 || v > (INT64_MAX >> shift))
    throw input_error(std::string(option) + ": " + quote_value(text) +
                      " is not a positive whole number (optionally with a K, M, G or T suffix: binary multiples)");
  return v << shift;
}

uint64_t parse_seed(const std::string& text) {
  uint64_t v = 0;
  const char* end = text.data() + text.size();
  const auto r = std::from_chars(text.data(), end, v);
  if (text.empty() || text[0] == '-' || text[0] == '+' || r.ec != std::errc() || r.ptr != end)
    throw input_error("--seed: " + quote_value(text) + " is not a whole number from 0 to 18446744073709551615");
  return v;
}

}  // namespace segmint::cli
