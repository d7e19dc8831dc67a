#include "segment.hpp"

#include <cmath>
#include <cstdio>

#include "segment_gmm.hpp"
#include "segment_kmeans.hpp"
#include "segment_ward.hpp"
#include "segmint/error.hpp"
#include "segmint/segment.hpp"

namespace segmint::detail {

/// Kaufman & Rousseeuw: a mean silhouette below 0.25 means no substantial structure.
constexpr double weak_silhouette = 0.25;

void check_algorithm(const run_options& o) {
  if (o.algo != "kmeans" && o.algo != "gmm" && o.algo != "auto" && o.algo != "ward")
    throw input_error("--algo " + quote_value(o.algo) + ": available algorithms are kmeans, gmm, ward and auto");
}

namespace {

std::string three_decimals(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", v);
  return buf;
}

/// Warnings about the choice itself: k at an edge of the range it was chosen from, weak separation.
void warn_about_choice(segmentation& s, const run_options& o) {
  if (s.per_k.size() > 1) {
    const int lo = s.per_k.front().k;
    const int hi = s.per_k.back().k;
    if (s.k == hi)
      s.warnings.push_back("k = " + std::to_string(s.k) + " is the largest k tried (" + std::to_string(lo) + ".." + std::to_string(hi) +
                           "): a larger k may fit better; widen --k, or let segmint tune weigh the choice");
    else if (s.k == lo && lo > 2)
      s.warnings.push_back("k = " + std::to_string(s.k) + " is the smallest k tried (" + std::to_string(lo) + ".." + std::to_string(hi) +
                           "): a smaller k may fit better; widen --k");
  }
  const double best = s.chosen().scores.silhouette;
  if (o.k_max > o.k_min && s.k >= 2 && std::isfinite(best) && best < weak_silhouette)
    s.warnings.push_back("the chosen segments' silhouette is " + three_decimals(best) +
                         " (below 0.25: weak or no structure); segmint tune measures whether they are stable");
}

}  // namespace

segmentation segment(context& ctx, matrix_view z, const run_options& o) {
  check_algorithm(o);
  segmentation s = o.algo == "ward"  ? segment_ward(ctx, z, o)
                   : o.algo == "gmm" ? segment_gmm(ctx, z, o)
                   : o.algo == "auto" ? segment_auto(ctx, z, o)
                                      : segment_kmeans(ctx, z, o);
  warn_about_choice(s, o);
  return s;
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
