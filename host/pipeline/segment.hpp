#pragma once
// Dispatch on run_options::algo: each algorithm turns the model-space matrix into a `segmentation`.
#include "segmint/context.hpp"
#include "segmint/run.hpp"
#include "segmint/segmentation.hpp"

namespace segmint::detail {

/// Throws input_error unless `o.algo` names an available algorithm (checked before any work).
void check_algorithm(const run_options& o);

/// Segments z with the algorithm `o.algo` names.
segmentation segment(context& ctx, matrix_view z, const run_options& o);

}  // namespace segmint::detail
