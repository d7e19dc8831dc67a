// Small whole numbers in a column named like a code ("Channel", "Region") are labels: 3 is not 1.5 × 2.
#include <cmath>
#include <set>

#include "../dist/collectives.hpp"
#include "column_names.hpp"

namespace segmint::detail {

bool holds_integer_codes(const raw_column& c, const communicator& comm) {
  constexpr size_t max_codes = 20;
  std::set<long long> seen;
  bool whole = true;
  for (float v : c.numbers) {
    if (std::isnan(v)) continue;
    if (v != std::floor(v) || std::fabs(v) > 1e9f) {
      whole = false;
      break;
    }
    if (seen.insert(static_cast<long long>(v)).second && seen.size() > max_codes) break;
  }
  if (comm.size() > 1) {
    whole = comm.sum(static_cast<int64_t>(whole ? 0 : 1)) == 0;
    std::vector<std::string> mine;
    for (long long v : seen) mine.push_back(std::to_string(v));
    seen.clear();
    for (const auto& v : global_union(mine, comm)) seen.insert(std::stoll(v));
  }
  return whole && seen.size() >= 2 && seen.size() <= max_codes;
}

}  // namespace segmint::detail
