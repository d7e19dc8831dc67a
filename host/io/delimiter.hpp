#pragma once
// Guessing a file's delimiter from its first line, for the customer-table reader and the transaction reader.
#include <cstddef>
#include <string_view>

namespace segmint::detail {

/// The most frequent of , TAB ; | in the first line outside quotes (ties in that order). With a decimal comma
/// the separator cannot be a comma. A line with none is one column: ',' (';' with a decimal comma).
inline char detect_delimiter(std::string_view text, char decimal = '.') {
  const std::string_view candidates = ",\t;|";
  size_t counts[4] = {0, 0, 0, 0};
  bool quoted = false;
  for (char c : text) {
    if (c == '"') quoted = !quoted;
    if (c == '\n' && !quoted) break;
    if (quoted) continue;
    const size_t k = candidates.find(c);
    if (k != std::string_view::npos) ++counts[k];
  }
  if (decimal == ',') counts[0] = 0;
  size_t best = 0;
  for (size_t k = 1; k < 4; ++k)
    if (counts[k] > counts[best]) best = k;
  if (counts[best] == 0) return decimal == ',' ? ';' : ',';
  return candidates[best];
}

}  // namespace segmint::detail
