#pragma once
// Finding repeated ids among millions of strings quickly: hashes in parallel, then one pass over an
// open-addressing table (far faster than std::unordered_map for this one-shot question).
#include <cstdint>
#include <string>
#include <vector>

namespace segmint::detail {

/// For each i: the index of the first earlier element equal to values[i], or −1 when it is the first.
std::vector<int64_t> earlier_duplicates(const std::vector<std::string>& values);

}  // namespace segmint::detail
