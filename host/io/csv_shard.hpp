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

/// Where a file lies in the concatenation of several input files (bytes), so that the processes split the
/// whole input into equal shares, in file order; total = 0 means the file alone.
struct shard_span {
  size_t offset = 0;
  size_t total = 0;
};

raw_table read_csv_shard(std::string_view bytes, const std::string& name, const csv_options& options,
                         const std::function<csv_plan(const std::vector<csv_column_info>&)>& plan_columns,
                         const communicator& comm, const shard_span& span = {});

}  // namespace segmint::detail
