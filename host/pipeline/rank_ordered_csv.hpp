#pragma once
// One CSV written by every rank of a data-parallel job, rows in rank order: rank 0 opens it in the job's output
// set and writes the header and its rows, then each rank in turn appends its rows to the same temporary file,
// which rank 0 commits with the job's other outputs (all of them appear together or not at all).
#include <functional>
#include <string>

#include "../dist/communicator.hpp"
#include "../io/atomic_file.hpp"

namespace segmint::detail {

/// `write(file, with_header)` writes this rank's rows (and the header when asked). `outputs` is used on rank 0
/// only (it may be null elsewhere). Collective: every rank calls it.
void write_csv_in_rank_order(output_set* outputs, const communicator& comm, const std::string& name,
                             const std::function<void(atomic_file& file, bool with_header)>& write);

}  // namespace segmint::detail
