// Which columns are ids: names like "id", "CustomerID", "customer_id", "ClientId", "uuid".
#include <cctype>
#include <string>
#include <vector>

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

}  // namespace segmint
