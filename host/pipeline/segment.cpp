#include "segment.hpp"

#include "segment_kmeans.hpp"
#include "segment_ward.hpp"
#include "segmint/error.hpp"

namespace segmint::detail {

void check_algorithm(const run_options& o) {
  if (o.algo != "kmeans" && o.algo != "ward")
    throw input_error("--algo " + quote_value(o.algo) + ": available algorithms are kmeans and ward");
}

segmentation segment(context& ctx, matrix_view z, const run_options& o) {
  check_algorithm(o);
  if (o.algo == "ward") return segment_ward(ctx, z, o);
  return segment_kmeans(ctx, z, o);
}

}  // namespace segmint::detail
