// One CSV/TSV file, or several with the same header, parsed as one raw table (README "Reading the table").
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "../dist/communicator.hpp"
#include "segmint/io.hpp"

namespace segmint::detail {

/// Reads one CSV/TSV file, or several with the same header as one table (rows in file order; each row
/// remembers its file and line). Data-parallel: the processes split the concatenation of the files into
/// equal byte shares at record boundaries, so rank order is file order.
raw_table read_inputs(const std::vector<std::string>& paths, const csv_options& csv,
                      const std::function<csv_plan(const std::vector<csv_column_info>&)>& plan, const communicator& comm);

}  // namespace segmint::detail
