#pragma once
// Writers for the CSV and JSON outputs of a run.
#include <span>
#include <string>
#include <vector>

#include "../io/atomic_file.hpp"
#include "segmint/model.hpp"
#include "segmint/run.hpp"

namespace segmint::detail {

/// id column, segment, segment_name, distance (Euclidean, in model space).
void write_assignments(atomic_file& f, const std::string& id_column, const std::vector<std::string>& ids,
                       std::span<const int32_t> labels, std::span<const float> distance,
                       const std::vector<std::string>& segment_names);

/// One row per segment: size, share, name, reason, drivers, then per feature mean / median / z, then per
/// categorical column the most over-represented level with its share in the segment and overall.
void write_profile_csv(atomic_file& f, const std::vector<segment_profile>& profiles);

/// run.json: configuration, backend, ledger, per-k scores, choice, timings, warnings.
std::string run_json(const run_options& o, const run_outcome& r);

/// The model of a finished run.
segment_model make_model(const run_options& o, const run_outcome& r);

}  // namespace segmint::detail
