#include "segment.hpp"

#include "segment_gmm.hpp"
#include "segment_kmeans.hpp"
#include "segment_ward.hpp"
#include "segmint/error.hpp"
#include "segmint/segment.hpp"

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

namespace segmint {

std::string_view algorithm_name(algorithm a) {
  switch (a) {
    case algorithm::kmeans: return "kmeans";
    case algorithm::gmm: return "gmm";
    case algorithm::ward: return "ward";
    case algorithm::automatic: return "auto";
  }
  return "kmeans";
}

algorithm parse_algorithm(std::string_view name) {
  for (const algorithm a : {algorithm::kmeans, algorithm::gmm, algorithm::ward, algorithm::automatic})
    if (algorithm_name(a) == name) return a;
  throw input_error("algorithm " + quote_value(std::string(name)) + ": available algorithms are kmeans, gmm, ward and auto");
}

segmentation segment(context& ctx, matrix_view x, const segment_params& p) {
  run_options o;  // the run job's segmentation options, from the library's parameters
  o.algo = std::string(algorithm_name(p.algo));
  o.k_min = p.k_min;
  o.k_max = p.k_max;
  o.kmeans = p.kmeans;
  o.kmeans.seed = p.seed;
  o.gmm = p.gmm;
  o.gmm.seed = p.seed;
  o.covariance_types = p.covariance_types;
  o.probabilities = p.probabilities;
  o.ward = p.ward;
  o.silhouette = p.silhouette;
  if (p.k_min < 1 || p.k_max < p.k_min)
    throw input_error("k range " + std::to_string(p.k_min) + ".." + std::to_string(p.k_max) + ": give 1 ≤ k_min ≤ k_max");
  if (p.covariance_types.empty()) throw input_error("covariance_types: give at least one type");
  return detail::segment(ctx, x, o);
}

}  // namespace segmint
