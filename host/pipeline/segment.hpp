#pragma once
// Dispatch from --algo to the segmentation step that implements it.
#include "segmint/context.hpp"
#include "segmint/run.hpp"
#include "segmint/segmentation.hpp"

namespace segmint::detail {

/// Segments the model-space matrix with the algorithm named in `o.algo` (kmeans, gmm, auto).
segmentation segment(context& ctx, matrix_view z, const run_options& o);

}  // namespace segmint::detail
