#pragma once
// K-Means as a segmentation step: the k sweep (or one k), renumbering by size, and the common result.
#include "segmint/context.hpp"
#include "segmint/run.hpp"
#include "segmint/segmentation.hpp"

namespace segmint::detail {

segmentation segment_kmeans(context& ctx, matrix_view z, const run_options& o);

}  // namespace segmint::detail
