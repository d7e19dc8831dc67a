#include "naming_text.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>

namespace segmint::detail {
namespace {

std::string percent(double share) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.0f%%", 100.0 * share);
  return buf;
}

/// A one-hot level as words: "Female"; a level without letters needs its column: "Channel 2".
std::string level_text(const feature_profile& f) {
  const bool has_letter =
      std::any_of(f.level.begin(), f.level.end(), [](char c) { return std::isalpha(static_cast<unsigned char>(c)); });
  return has_letter ? f.level : f.source + " " + f.level;
}

std::string one_feature(const feature_profile& f) {
  if (f.kind == feature_kind::one_hot)
    return percent(f.mean) + " " + level_text(f) + " vs " + percent(f.population_mean) + " overall";
  if (f.yes_no)  // a share of yes answers (or set flags) reads as a percentage
    return f.name + " " + percent(f.mean) + " vs " + percent(f.population_mean) + " overall (" + signed_z(f.z) + " SD)";
  return f.name + " " + format_value(f.mean, f.name) + " vs " + format_value(f.population_mean, f.name) + " overall (" +
         signed_z(f.z) + (f.log_scale ? " SD on the log scale)" : " SD)");
}

}  // namespace

std::vector<std::string> name_tokens(std::string_view name) {
  std::vector<std::string> out;
  std::string cur;
  auto flush = [&] {
    if (!cur.empty()) out.push_back(cur);
    cur.clear();
  };
  for (size_t i = 0; i < name.size(); ++i) {
    const auto c = static_cast<unsigned char>(name[i]);
    if (!std::isalnum(c)) {
      flush();
      continue;
    }
    if (!cur.empty()) {
      const auto prev = static_cast<unsigned char>(name[i - 1]);
      const bool lower_to_upper = std::islower(prev) && std::isupper(c);
      const bool digit_edge = (std::isdigit(prev) != 0) != (std::isdigit(c) != 0);
      // "AOVTotal": the last capital of a run starts the next word when a lower-case letter follows.
      const bool acronym_end = std::isupper(prev) && std::isupper(c) && i + 1 < name.size() &&
                               std::islower(static_cast<unsigned char>(name[i + 1]));
      if (lower_to_upper || digit_edge || acronym_end) flush();
    }
    cur += static_cast<char>(std::tolower(c));
  }
  flush();
  return out;
}

std::string readable(std::string_view column_name) {
  std::string_view s = column_name;
  if (const auto p = s.find(" ("); p != std::string_view::npos && !s.empty() && s.back() == ')') s = s.substr(0, p);
  auto words = name_tokens(s);
  std::string prefix;
  if (words.size() > 1 &&
      words.front() == "mnt") {  // the marketing-campaign convention: MntWines = amount spent on wines
    prefix = "spend on ";
    words.erase(words.begin());
  } else if (words.size() > 1 && (words.front() == "num" || words.front() == "n")) {
    words.erase(words.begin());
  }
  std::string out = prefix;
  for (size_t i = 0; i < words.size(); ++i) out += (i ? " " : "") + words[i];
  return out.empty() ? std::string(column_name) : out;
}

std::string format_value(double v) {
  if (std::isnan(v)) return "n/a";
  char buf[64];
  const double a = std::fabs(v);
  if (a >= 1000) {
    std::snprintf(buf, sizeof buf, "%.0f", a);
    std::string digits = buf;
    std::string grouped;
    for (size_t i = 0; i < digits.size(); ++i) {
      if (i > 0 && (digits.size() - i) % 3 == 0) grouped += ',';
      grouped += digits[i];
    }
    return (v < 0 ? "-" : "") + grouped;
  }
  std::snprintf(buf, sizeof buf, a >= 100 ? "%.0f" : a >= 10 ? "%.1f" : "%.2f", v);
  return std::string(buf) == "-0.00" ? "0.00" : buf;
}

std::string format_value(double v, std::string_view feature_name) {
  const auto tokens = name_tokens(feature_name);
  const bool year = std::any_of(tokens.begin(), tokens.end(), [](const std::string& t) { return t == "year" || t == "yr"; });
  if (!year || std::isnan(v) || std::fabs(v) < 1000 || std::fabs(v) >= 10000) return format_value(v);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.0f", v);
  return buf;
}

std::string signed_z(double z) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%+.1f", z);
  const std::string s = buf;
  return s == "-0.0" ? "+0.0" : s;
}

std::string capitalised(std::string s) {
  if (!s.empty()) s[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(s[0])));
  return s;
}

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string join_and(const std::vector<std::string>& parts) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) out += (i == 0 ? "" : i + 1 == parts.size() ? " and " : ", ") + parts[i];
  return out;
}

std::string role_level_phrase(feature_role role, bool high) {
  switch (role) {
    case feature_role::spend:
      return high ? "high spend" : "low spend";
    case feature_role::frequency:
      return high ? "frequent purchases" : "infrequent purchases";
    case feature_role::recency:
      return high ? "a long time since the last purchase" : "recent purchases";
    case feature_role::income:
      return high ? "high income" : "low income";
    case feature_role::age:
      return high ? "older" : "younger";
    case feature_role::tenure:
      return high ? "long tenure" : "short tenure";
    case feature_role::returns:
      return high ? "many returns" : "few returns";
    case feature_role::discount:
      return high ? "heavy use of discounts" : "little use of discounts";
  }
  return {};
}

std::string feature_phrase(const feature_profile& f, const role_assignment* role) {
  if (f.kind == feature_kind::one_hot) return (f.z > 0 ? "mostly " : "few ") + level_text(f);
  if (role != nullptr && role->role == feature_role::age)
    return ((role->inverted ? -f.z : f.z) > 0) ? "older" : "younger";
  // A Yes/No answer or flag keeps its own words: "yummy" / "not yummy", not "high yummy".
  if (f.yes_no) return (f.z > 0 ? "" : "not ") + readable(f.name);
  return (f.z > 0 ? "high " : "low ") + readable(f.name);
}

std::string evidence(const segment_profile& s, const std::vector<int>& features) {
  std::string out;
  for (int j : features) out += (out.empty() ? "" : ", ") + one_feature(s.features[static_cast<size_t>(j)]);
  return out;
}

std::string mainstream_reason(const segment_profile& s, double threshold) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", threshold);
  std::string out = std::string("Within ") + buf + " SD of the average on every feature";
  const feature_profile* largest = nullptr;
  for (const auto& f : s.features)
    if (largest == nullptr || std::fabs(f.z) > std::fabs(largest->z)) largest = &f;
  if (largest != nullptr) out += "; the largest difference is " + one_feature(*largest);
  return out;
}

std::string highlight_clause(const segment_profile& s, const std::string& reason) {
  constexpr double min_excess = 0.10;  // ten percentage points: smaller differences are noise for k-sized groups
  const category_highlight* best = nullptr;
  for (const auto& c : s.categories)
    if (c.share - c.overall_share >= min_excess &&
        (best == nullptr || c.share - c.overall_share > best->share - best->overall_share))
      best = &c;
  if (best == nullptr) return {};
  const std::string text = one_feature(s.features[static_cast<size_t>(best->feature)]);
  return reason.find(text) != std::string::npos ? std::string() : "; " + text;
}

}  // namespace segmint::detail
