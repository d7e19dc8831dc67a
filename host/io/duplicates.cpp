#include "duplicates.hpp"

#include <bit>
#include <functional>
#include <string_view>

namespace segmint::detail {

std::vector<int64_t> earlier_duplicates(const std::vector<std::string>& values) {
  const auto n = static_cast<int64_t>(values.size());
  std::vector<uint64_t> hashes(values.size());
#pragma omp parallel for schedule(static)
  for (int64_t i = 0; i < n; ++i) hashes[static_cast<size_t>(i)] = std::hash<std::string_view>{}(values[static_cast<size_t>(i)]);
  const uint64_t capacity = std::bit_ceil(static_cast<uint64_t>(2 * n + 2));
  const uint64_t mask = capacity - 1;
  std::vector<int64_t> table(capacity, -1);
  std::vector<int64_t> first(values.size(), -1);
  for (int64_t i = 0; i < n; ++i) {
    const uint64_t h = hashes[static_cast<size_t>(i)];
    for (uint64_t slot = h & mask;; slot = (slot + 1) & mask) {
      const int64_t j = table[slot];
      if (j < 0) {
        table[slot] = i;
        break;
      }
      if (hashes[static_cast<size_t>(j)] == h && values[static_cast<size_t>(j)] == values[static_cast<size_t>(i)]) {
        first[static_cast<size_t>(i)] = j;
        break;
      }
    }
  }
  return first;
}

}  // namespace segmint::detail
