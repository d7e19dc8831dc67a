// The table a job (run, tune) segments, from its inputs (README "Reading the table", "Joining sources").
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "../dist/communicator.hpp"
#include "segmint/table.hpp"
#include "segmint/transactions.hpp"

namespace segmint::detail {

/// A customer table (`inputs`: one or several files with one header; with `joins`, other sources added by
/// id), a transaction log's customer features (`log` without `inputs`), or a customer table joined with them
/// (`log` and one input). Joins run in one process.
feature_table read_job_table(const std::vector<std::string>& inputs, const std::vector<std::string>& joins,
                             const customer_table* log, const table_params& p, const communicator& comm);

/// How each joined source met the input's customers, for run.json and tune.json (`joins`).
nlohmann::ordered_json joins_json(const std::vector<join_summary>& joins);

}  // namespace segmint::detail
