// What a column's name says about it: ids ("CustomerID"), outcomes ("Response", "AcceptedCmp3") and code
// columns ("Channel", "Region") that default runs keep out of the features.
#include <algorithm>
#include <cctype>
#include <initializer_list>
#include <string>
#include <vector>

#include "column_names.hpp"
#include "segmint/table.hpp"

namespace segmint {
namespace {

/// Splits on non-alphanumerics and camelCase boundaries, lower-cased: "CustomerID" → {customer, id}.
std::vector<std::string> name_tokens(const std::string& name) {
  std::vector<std::string> tokens;
  std::string cur;
  auto push = [&] {
    if (!cur.empty()) tokens.push_back(cur);
    cur.clear();
  };
  for (size_t i = 0; i < name.size(); ++i) {
    const auto c = static_cast<unsigned char>(name[i]);
    if (!std::isalnum(c)) {
      push();
      continue;
    }
    if (std::isupper(c) && !cur.empty()) {
      const auto prev = static_cast<unsigned char>(name[i - 1]);
      const bool next_lower = i + 1 < name.size() && std::islower(static_cast<unsigned char>(name[i + 1]));
      if (std::islower(prev) || std::isdigit(prev) || (std::isupper(prev) && next_lower)) push();
    }
    cur += static_cast<char>(std::tolower(c));
  }
  push();
  return tokens;
}

}  // namespace

bool looks_like_id(const std::string& name) {
  for (const auto& t : name_tokens(name))
    if (t == "id" || t == "ids" || t == "uuid" || t == "guid") return true;
  return false;
}

namespace detail {
namespace {
bool any_token_in(const std::string& name, std::initializer_list<const char*> words) {
  for (const auto& t : name_tokens(name))
    if (std::any_of(words.begin(), words.end(), [&](const char* w) { return t == w; })) return true;
  return false;
}
}  // namespace

bool looks_like_outcome(const std::string& name) {
  return any_token_in(name, {"response", "responded", "accepted", "cmp", "complain", "complained", "complaint",
                             "complaints", "churn", "churned", "target", "label", "outcome", "converted"});
}

bool looks_like_code(const std::string& name) {
  // The last word names what the column is: "StoreType" is a code, "NumStorePurchases" a count.
  const auto tokens = name_tokens(name);
  size_t last = tokens.size();
  while (last > 0 && std::isdigit(static_cast<unsigned char>(tokens[last - 1].front()))) --last;
  return last > 0 && any_token_in(tokens[last - 1], {"channel", "region", "code", "type", "category", "class", "group", "segment", "cluster",
                             "zone", "area", "branch", "store", "country", "state"});
}
}  // namespace detail

}  // namespace segmint
