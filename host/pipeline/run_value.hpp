#pragma once
// `segmint run --transactions … --value`: the value job's model step on the run's own customers and segments
// (host/pipeline/value_model.hpp), so value.csv, value.json, profile.csv and the report agree on every figure.
#include <optional>
#include <string>
#include <vector>

#include "segmint/run.hpp"
#include "value_model.hpp"

namespace segmint::detail {

/// Completes o.value from the run (the log, backend, seed; days; spend from the log) and checks it.
void check_run_value(run_options& o);

/// Reads the log for the run and the value models at once: the customer table as of the calibration end
/// (the whole log without one) and, in `value_in`, the customers' summary and holdout. Leaves spend out
/// (o.value->monetary_column unset), with a warning, when too few repeat buyers have any for the spend model.
customer_table log_for_value(run_options& o, std::optional<value_input>& value_in, std::vector<std::string>& warnings);

/// Each value customer's segment in the run (by id), and the segment names.
segment_assignment segments_of_run(const run_outcome& r, const std::vector<std::string>& names, const std::vector<std::string>& ids);

}  // namespace segmint::detail
