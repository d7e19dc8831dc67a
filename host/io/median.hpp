#pragma once
// The median of a column of values (float or double), as numpy's: the mean of the two middle values for an even
// count, NaN for none. Reorders `v` (nth_element): pass a copy to keep the original order.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <vector>

namespace segmint::detail {

template <class T>
double median_in_place(std::vector<T>& v) {
  if (v.empty()) return std::nan("");
  const size_t mid = v.size() / 2;
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(mid), v.end());
  const double hi = v[mid];
  if (v.size() % 2 == 1) return hi;
  const double lo = *std::max_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(mid));
  return (lo + hi) / 2.0;
}

}  // namespace segmint::detail
