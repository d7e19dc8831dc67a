#pragma once
// Distances are float32 (docs/architecture.md §4): a table whose squared distances could overflow would give inf
// distances, failed seeding and an internal error deep in the clustering. Checked once, up front.
#include <string>
#include <vector>

#include "../dist/communicator.hpp"
#include "segmint/matrix.hpp"

namespace segmint::detail {

/// Throws input_error when Σ_j (max_j − min_j)² of the model-space matrix (over every process's rows)
/// exceeds what float32 squared distances can hold with room for their sums; names the widest column.
void check_distances_fit(matrix_view z, const std::vector<std::string>& names, bool standardized,
                         const communicator& comm);

}  // namespace segmint::detail
