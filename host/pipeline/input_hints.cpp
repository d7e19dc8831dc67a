#include "input_hints.hpp"

#include <algorithm>
#include <cctype>
#include <string_view>

namespace segmint::detail {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

/// The first of `names` whose lower-case text contains one of `words`.
std::optional<std::string> first_with(const std::vector<std::string>& names, std::initializer_list<std::string_view> words) {
  for (const auto& n : names) {
    const std::string l = lower(n);
    for (const auto w : words)
      if (l.find(w) != std::string::npos) return n;
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> transaction_log_hint(const std::string& input, const std::vector<std::string>& names) {
  std::vector<std::string> plain;
  for (const auto& n : names) plain.push_back(n.substr(0, n.find(" (")));
  const auto date = first_with(plain, {"date", "time"});
  const auto item = first_with(plain, {"invoice", "order", "quantity", "qty", "price", "amount", "transaction", "stockcode", "sku"});
  if (!date || !item) return std::nullopt;
  return input + " looks like a transaction log (columns '" + *date + "' and '" + *item +
         "'): each row is segmented as if it were a customer. To segment customers, give --transactions " + input +
         " --customer COL --date COL (--amount COL | --quantity COL --price COL)";
}

}  // namespace segmint::detail
