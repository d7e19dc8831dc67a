#include "segment.hpp"

#include "segment_gmm.hpp"
#include "segment_kmeans.hpp"
#include "segment_ward.hpp"
#include "segmint/error.hpp"

namespace segmint::detail {

void check_algorithm(const run_options& o) {
  if (o.algo != "kmeans" && o.algo != "gmm" && o.algo != "auto" && o.algo != "ward")
    throw input_error("--algo " + quote_value(o.algo) + ": available algorithms are kmeans, gmm, ward and auto");
}

segmentation segment(context& ctx, matrix_view z, const run_options& o) {
  check_algorithm(o);
  if (o.algo == "ward") return segment_ward(ctx, z, o);
  if (o.algo == "gmm") return segment_gmm(ctx, z, o);
  if (o.algo == "auto") return segment_auto(ctx, z, o);
  return segment_kmeans(ctx, z, o);
}

}  // namespace segmint::detail
