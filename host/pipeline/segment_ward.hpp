#pragma once
// Ward's method as a segmentation step: the linkage (exact or two-stage), its cut at each k of the range,
// the scores and the k rule shared with K-Means, segments by size, centres for predict.
#include "segmint/context.hpp"
#include "segmint/run.hpp"
#include "segmint/segmentation.hpp"

namespace segmint::detail {

segmentation segment_ward(context& ctx, matrix_view z, const run_options& o);

}  // namespace segmint::detail
