#pragma once
// Writers for the CSV and JSON outputs of a run.
#include <span>
#include <string>
#include <vector>

#include "../io/atomic_file.hpp"
#include "segmint/model.hpp"
#include "segmint/run.hpp"

namespace segmint::detail {

/// Per-row results to write: probability and responsibilities (n × k column-major) may be empty.
struct assignment_columns {
  std::span<const int32_t> labels;
  std::span<const float> distance;
  std::span<const float> probability;
  std::span<const float> responsibilities;
};

/// id column, segment, segment_name, [probability,] distance (Euclidean, model space)[, prob_0..prob_{k−1}].
void write_assignments(atomic_file& f, const std::string& id_column, const std::vector<std::string>& ids,
                       const assignment_columns& c, const std::vector<std::string>& segment_names, bool header = true,
                       bool spreadsheet_safe = false);

/// One row per segment: size, share, name, reason, drivers, then per feature mean / median / z, then per
/// categorical column the most over-represented level with its share in the segment and overall, then with
/// `value` (run --value) the segment's mean and median P(alive), expected purchases and spend over the horizon,
/// total and mean CLV with its bootstrap interval.
void write_profile_csv(atomic_file& f, const std::vector<segment_profile>& profiles, bool spreadsheet_safe,
                       const std::vector<segment_value>* value = nullptr);

/// How many category levels named in `profiles` a spreadsheet would run as formulas.
size_t count_formula_like_levels(const std::vector<segment_profile>& profiles);

/// run.json: configuration, backend, ledger, per-k scores, choice, timings, warnings.
std::string run_json(const run_options& o, const run_outcome& r);

/// The model of a finished run.
segment_model make_model(const run_options& o, const run_outcome& r);

}  // namespace segmint::detail
