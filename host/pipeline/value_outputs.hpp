#pragma once
// The value job's outputs, shared by `segmint value` and `segmint run --value`: value.csv (per customer) and
// value.json (the models, totals, segments, holdout).
#include "../dist/communicator.hpp"
#include "../io/atomic_file.hpp"
#include "value_model.hpp"

namespace segmint::detail {

/// Writes value.csv (every rank's customers, in rank order) and value.json into `outputs` (used on rank 0 only;
/// committed by the caller with its other files). Collective.
void write_value_outputs(output_set* outputs, const communicator& comm, const value_options& o, const value_input& t,
                         const customer_value& c, const value_outcome& out, const segment_assignment* segments);

/// value.json's text.
std::string value_json(const value_options& o, const value_outcome& out);

}  // namespace segmint::detail
