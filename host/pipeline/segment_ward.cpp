#include "segment_ward.hpp"

#include "../dist/communicator.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "../algo/backend.hpp"
#include "segmint/error.hpp"
#include "segmint/kmeans.hpp"
#include "segmint/select_k.hpp"
#include "segmint/ward.hpp"

namespace segmint::detail {
namespace {

struct ward_cut {
  std::vector<int32_t> labels;  // per row, 0 = the largest segment
  std::vector<int64_t> nodes;   // per segment, its linkage node
};

/// The cut at k as row labels, segments numbered by decreasing size (ties: the one holding the lower leaf).
ward_cut cut_rows(const ward::result& w, int k, int64_t rows) {
  const std::vector<int32_t> leaf = cut_linkage(w.linkage, w.leaves, k);
  const std::vector<int64_t> nodes = cut_nodes(w.linkage, w.leaves, k);
  std::vector<int64_t> size(static_cast<size_t>(k), 0);
  for (int64_t l = 0; l < w.leaves; ++l) size[static_cast<size_t>(leaf[static_cast<size_t>(l)])] += w.leaf_sizes[static_cast<size_t>(l)];
  std::vector<int32_t> order(static_cast<size_t>(k));
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](int32_t a, int32_t b) { return size[static_cast<size_t>(a)] > size[static_cast<size_t>(b)]; });
  std::vector<int32_t> rank(static_cast<size_t>(k));
  ward_cut out;
  for (int32_t s = 0; s < k; ++s) {
    rank[static_cast<size_t>(order[static_cast<size_t>(s)])] = s;
    out.nodes.push_back(nodes[static_cast<size_t>(order[static_cast<size_t>(s)])]);
  }
  out.labels.resize(static_cast<size_t>(rows));
  for (int64_t i = 0; i < rows; ++i) {
    const int32_t l = w.two_stage ? w.leaf_of_row[static_cast<size_t>(i)] : static_cast<int32_t>(i);
    out.labels[static_cast<size_t>(i)] = rank[static_cast<size_t>(leaf[static_cast<size_t>(l)])];
  }
  return out;
}

/// Segment means (model space) and each row's distance to its own segment's mean.
void fill_centres(context& ctx, matrix_view z, segmentation& s) {
  ctx.load(z);
  const assign_partials p = ctx.backend().cluster_sums(s.labels, s.k);
  s.centres = matrix(s.k, z.cols);
  s.sizes = p.counts;
  for (int64_t c = 0; c < s.k; ++c)
    for (int64_t j = 0; j < z.cols; ++j)
      s.centres(c, j) = static_cast<float>(p.sums[static_cast<size_t>(j * s.k + c)] / static_cast<double>(p.counts[static_cast<size_t>(c)]));
  s.distance.resize(s.labels.size());
  for (int64_t i = 0; i < z.rows; ++i) {
    const int32_t c = s.labels[static_cast<size_t>(i)];
    double d2 = 0;
    for (int64_t j = 0; j < z.cols; ++j) {
      const double diff = static_cast<double>(z(i, j)) - static_cast<double>(s.centres(c, j));
      d2 += diff * diff;
    }
    s.distance[static_cast<size_t>(i)] = static_cast<float>(std::sqrt(d2));
  }
}

/// Share of rows whose nearest centre is their own segment's: what `segmint predict` reproduces.
double nearest_centre_agreement(context& ctx, matrix_view z, const segmentation& s) {
  std::vector<int32_t> nearest(static_cast<size_t>(z.rows));
  std::vector<float> sq(static_cast<size_t>(z.rows));
  kmeans::assign(ctx, z, s.centres.view(), nearest, sq);
  int64_t same = 0;
  for (size_t i = 0; i < nearest.size(); ++i) same += nearest[i] == s.labels[i];
  same = ctx.comm().sum(same);  // over every process's rows
  const int64_t n = ctx.total_rows();
  return n > 0 ? static_cast<double>(same) / static_cast<double>(n) : 1.0;
}

}  // namespace

segmentation segment_ward(context& ctx, matrix_view z, const run_options& o) {
  if (o.k_min < 1 || o.k_max < o.k_min)
    throw input_error("--k: invalid range " + std::to_string(o.k_min) + ".." + std::to_string(o.k_max));
  ward::params wp = o.ward;
  wp.k_max = o.k_max;
  wp.seed = o.kmeans.seed;
  const ward::result w = ward::fit(ctx, z, wp);
  const std::string leaves_are = w.two_stage ? "micro-clusters" : "rows";
  if (o.k_min > w.leaves)
    throw input_error("k = " + std::to_string(o.k_min) + " is more than the number of " + leaves_are + " (" + std::to_string(w.leaves) + ")");
  segmentation s;
  s.algorithm = "ward";
  const int k_max = static_cast<int>(std::min<int64_t>(o.k_max, w.leaves));
  if (k_max < o.k_max)
    s.warnings.push_back("k range truncated to " + std::to_string(k_max) + ": only " + std::to_string(w.leaves) + " " + leaves_are);

  std::vector<ward_cut> cuts;
  std::vector<std::vector<int32_t>> labellings;
  for (int k = o.k_min; k <= k_max; ++k) {
    cuts.push_back(cut_rows(w, k, z.rows));
    labellings.push_back(cuts.back().labels);
  }
  metrics::silhouette_params sp = o.silhouette;
  sp.seed = o.kmeans.seed;
  const std::vector<metrics::scores> scores = metrics::evaluate(ctx, z, labellings, sp);
  labellings.clear();
  std::vector<select_k::k_score> ks;
  for (size_t i = 0; i < cuts.size(); ++i) {
    const int k = o.k_min + static_cast<int>(i);
    ks.push_back({k, scores[i].within_ss, scores[i], 0, true});
    candidate_score cs{k, scores[i].within_ss, scores[i], {}, 0, true};
    // The height at which these k segments would merge into k − 1 (a large gap below it = a clear cut).
    if (k >= 2) cs.extra["merge_height"] = w.linkage[static_cast<size_t>(w.leaves - k)].height;
    s.per_k.push_back(cs);
  }
  const select_k::choice c = select_k::choose(ks);
  s.k = ks[c.index].k;
  s.elbow_k = c.elbow_k;
  s.rule = "highest mean silhouette; the inertia elbow (Kneedle) is reported beside it";
  s.reason = c.reason;
  s.labels = std::move(cuts[c.index].labels);
  s.linkage_cut = std::move(cuts[c.index].nodes);
  cuts.clear();
  fill_centres(ctx, z, s);
  s.facts = {{"inertia", ks[c.index].inertia},
             {"two_stage", w.two_stage ? 1.0 : 0.0},
             {"leaves", static_cast<double>(w.leaves)},
             {"exact_max_rows", static_cast<double>(o.ward.exact_max_rows)},
             {"nn_searches", static_cast<double>(w.nn_searches)},
             {"nearest_centre_agreement", nearest_centre_agreement(ctx, z, s)}};
  if (w.two_stage) {
    s.facts["micro_clusters"] = static_cast<double>(w.leaves);
    s.facts["micro_kmeans_iterations"] = w.micro_iterations;
  }
  s.linkage = w.linkage;
  return s;
}

}  // namespace segmint::detail
