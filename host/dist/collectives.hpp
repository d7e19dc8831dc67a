#pragma once
// Exact answers over all processes' rows for the table-level questions a data-parallel run must agree on:
// medians (and any order statistic), repeated ids, category levels, the row ledger.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "communicator.hpp"
#include "segmint/io.hpp"

namespace segmint::detail {

/// The k-th smallest value (0-based, ks[i]) of each set over all processes: sets[i] holds this process's
/// values of set i (no NaN). Exact: a bisection over the ordered bit patterns of float, one sum of counts
/// per step for all sets at once. Sets with no values anywhere give NaN.
std::vector<float> global_kth(const std::vector<std::vector<float>>& sets, const std::vector<int64_t>& ks,
                              const communicator& comm);

/// Medians of each set over all processes (the mean of the two middle values for an even count), exact.
std::vector<double> global_medians(const std::vector<std::vector<float>>& sets, const communicator& comm);

/// For each local value: the GLOBAL row of the first earlier row with the same value, or −1. Rows are
/// numbered by `first_row` (this process's first global row) + local index. Values are compared by a
/// 128-bit hash, routed to the process that owns the hash.
std::vector<int64_t> global_earlier_duplicates(const std::vector<std::string>& values, int64_t first_row,
                                               const communicator& comm);

/// The union of every process's strings, sorted.
std::vector<std::string> global_union(const std::vector<std::string>& mine, const communicator& comm);

/// The ledger summed over processes (rejection reasons merged).
row_ledger global_ledger(const row_ledger& mine, const communicator& comm);

}  // namespace segmint::detail
