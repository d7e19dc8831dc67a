#include "segment.hpp"

#include "segment_gmm.hpp"
#include "segment_kmeans.hpp"
#include "segmint/error.hpp"

namespace segmint::detail {

segmentation segment(context& ctx, matrix_view z, const run_options& o) {
  if (o.algo == "kmeans") return segment_kmeans(ctx, z, o);
  if (o.algo == "gmm") return segment_gmm(ctx, z, o);
  if (o.algo == "auto") return segment_auto(ctx, z, o);
  throw input_error("--algo: unknown algorithm " + quote_value(o.algo) + " (use kmeans, gmm or auto)");
}

}  // namespace segmint::detail
