#pragma once
// The value job's outputs, shared by `segmint value` and `segmint run --value`: value.csv (per customer) and
// value.json (the models, totals, segments, holdout).
#include "../io/atomic_file.hpp"
#include "value_model.hpp"

namespace segmint::detail {

/// Writes value.csv and value.json into `outputs` (committed by the caller with its other files).
void write_value_outputs(output_set& outputs, const value_options& o, const value_input& t, const customer_value& c,
                         const value_outcome& out, const segment_assignment* segments);

/// value.json's text.
std::string value_json(const value_options& o, const value_outcome& out);

}  // namespace segmint::detail
