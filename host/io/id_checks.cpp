#include "id_checks.hpp"

#include "../dist/collectives.hpp"
#include "duplicates.hpp"
#include "segmint/error.hpp"

namespace segmint::detail {

std::vector<bool> check_unique_ids(const raw_table& raw, const raw_column& id, bool fail) {
  const std::vector<int64_t> first = detail::earlier_duplicates(id.text);
  std::vector<bool> keep(id.text.size(), true);
  for (size_t i = 0; i < first.size(); ++i) {
    if (first[i] < 0) continue;
    if (fail) {
      const auto f = static_cast<size_t>(first[i]);
      throw input_error(describe({raw.file_of(i), raw.lines[i], id.index + 1, id.name},
                                 "duplicate id " + quote_value(id.text[i]) + " (first on line " +
                                     std::to_string(raw.lines[f]) +
                                     (raw.file_of(f) != raw.file_of(i) ? " of " + raw.file_of(f) : std::string()) +
                                     "); ids must be unique (--on-bad-row skip keeps the first)"));
    }
    keep[i] = false;
  }
  return keep;
}

bool all_unique(const raw_column& c) {
  for (int64_t f : detail::earlier_duplicates(c.text))
    if (f >= 0) return false;
  return true;
}

std::vector<bool> check_unique_ids_sharded(const raw_table& raw, const raw_column& id, bool fail,
                                           const detail::communicator& comm) {
  const int64_t first_row = comm.exclusive_prefix(static_cast<int64_t>(id.text.size()));
  const std::vector<int64_t> earlier = detail::global_earlier_duplicates(id.text, first_row, comm);
  std::vector<bool> keep(id.text.size(), true);
  std::string failure;
  for (size_t i = 0; i < earlier.size(); ++i) {
    if (earlier[i] < 0) continue;
    keep[i] = false;
    if (fail && failure.empty())
      failure = describe({raw.file_of(i), raw.lines[i], id.index + 1, id.name},
                         "duplicate id " + quote_value(id.text[i]) + " (first at data row " + std::to_string(earlier[i] + 1) +
                             "); ids must be unique (--on-bad-row skip keeps the first) [found by rank " +
                             std::to_string(comm.rank()) + "]");
  }
  for (const auto& f : comm.allgather(failure)) {
    if (f.empty()) continue;
    input_error e(f);
    e.mark_collective();
    throw e;
  }
  return keep;
}

bool all_unique_sharded(const raw_column& c, const detail::communicator& comm) {
  const int64_t first_row = comm.exclusive_prefix(static_cast<int64_t>(c.text.size()));
  int64_t repeats = 0;
  for (int64_t f : detail::global_earlier_duplicates(c.text, first_row, comm)) repeats += f >= 0;
  return comm.sum(repeats) == 0;
}

}  // namespace segmint::detail
