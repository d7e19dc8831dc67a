// One line per run naming the features (and how text answers were read) and the columns left out.
#include "column_summary.hpp"

#include <algorithm>
#include <set>
#include <utility>
#include <vector>

#include "../io/text_scales.hpp"

namespace segmint::detail {
namespace {

/// "a, b, c and 7 more": long tables keep the line readable; run.json has every name.
std::string listed(const std::vector<std::string>& items, size_t at_most) {
  std::string out;
  for (size_t i = 0; i < items.size() && i < at_most; ++i) out += (i == 0 ? "" : ", ") + items[i];
  if (items.size() > at_most) out += " and " + std::to_string(items.size() - at_most) + " more";
  return out;
}

/// Consecutive items with the same note share it: "yummy, tasty (Yes → 1, No → 0)".
std::string grouped(const std::vector<std::pair<std::string, std::string>>& items, size_t at_most) {
  std::vector<std::string> groups;
  for (size_t i = 0; i < items.size();) {
    size_t end = i + 1;
    while (end < items.size() && items[end].second == items[i].second) ++end;
    std::vector<std::string> names;
    for (size_t k = i; k < end; ++k) names.push_back(items[k].first);
    groups.push_back(listed(names, at_most) + (items[i].second.empty() ? "" : " (" + items[i].second + ")"));
    i = end;
  }
  return listed(groups, at_most);
}

/// "Response (looks like an outcome)" → {"Response", "looks like an outcome"}: the note is the last
/// parenthesised part, so a name such as "Annual Income (k$)" stays whole.
std::pair<std::string, std::string> name_and_note(const std::string& entry) {
  if (entry.empty() || entry.back() != ')') return {entry, ""};
  int depth = 0;
  for (size_t i = entry.size(); i-- > 0;) {
    depth += entry[i] == ')' ? 1 : entry[i] == '(' ? -1 : 0;
    if (depth == 0 && i > 1 && entry[i - 1] == ' ') return {entry.substr(0, i - 1), entry.substr(i + 1, entry.size() - i - 2)};
  }
  return {entry, ""};
}

}  // namespace

std::string columns_line(const feature_table& t) {
  std::vector<std::pair<std::string, std::string>> used;
  std::set<std::string> categories;
  for (const auto& f : t.features) {
    if (f.kind == feature_kind::one_hot) {
      if (categories.insert(f.source).second) {
        const auto levels = t.categorical_levels.find(f.source);
        const size_t n = levels == t.categorical_levels.end() ? 0 : levels->second.size();
        used.emplace_back(f.source, "category, " + std::to_string(n) + " levels");
      }
      continue;
    }
    used.emplace_back(f.name, f.text_rule.empty() ? std::string() : describe_scale({f.text_rule, f.text_values}));
  }
  std::string line = "columns used (" + std::to_string(used.size()) + "): " + grouped(used, 12);
  std::vector<std::pair<std::string, std::string>> skipped;
  for (const auto& entry : t.skipped_columns) skipped.push_back(name_and_note(entry));
  std::stable_sort(skipped.begin(), skipped.end(), [](const auto& a, const auto& b) { return a.second < b.second; });
  if (!skipped.empty()) line += "; not used: " + grouped(skipped, 8);
  return line;
}

}  // namespace segmint::detail
