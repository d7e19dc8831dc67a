#pragma once
// The CSV reader for data-parallel runs: each process parses the byte range of its shard (split at record
// boundaries, all processes computing the same split), line numbers stay file-absolute, and a bad row on
// any shard becomes the same error on every process (marked collective).
#include <functional>
#include <string>
#include <string_view>

#include "../dist/communicator.hpp"
#include "segmint/io.hpp"

namespace segmint::detail {

raw_table read_csv_shard(std::string_view bytes, const std::string& name, const csv_options& options,
                         const std::function<csv_plan(const std::vector<csv_column_info>&)>& plan_columns,
                         const communicator& comm);

}  // namespace segmint::detail
