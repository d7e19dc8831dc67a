// Unique customer ids: repeats found in one process or across all of a data-parallel run's processes.
#pragma once

#include <vector>

#include "../dist/communicator.hpp"
#include "segmint/io.hpp"

namespace segmint::detail {

/// Rows whose id repeats an earlier row's id: an error, or (skip policy) rejected as duplicate_id.
std::vector<bool> check_unique_ids(const raw_table& raw, const raw_column& id, bool fail);
bool all_unique(const raw_column& c);
/// check_unique_ids over all processes: ids compared by 128-bit hash at the process owning the hash; the
/// first repeat in file order (the lowest rank's) is the error every process raises.
std::vector<bool> check_unique_ids_sharded(const raw_table& raw, const raw_column& id, bool fail, const communicator& comm);
bool all_unique_sharded(const raw_column& c, const communicator& comm);

}  // namespace segmint::detail
