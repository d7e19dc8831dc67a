#include "segment_kmeans.hpp"

#include <cmath>

#include "segmint/select_k.hpp"

namespace segmint {

const candidate_score& segmentation::chosen() const {
  for (const auto& c : per_k)
    if (c.k == k) return c;
  return per_k.front();
}

namespace detail {

segmentation segment_kmeans(context& ctx, matrix_view z, const run_options& o) {
  select_k::params sp;
  sp.k_min = o.k_min;
  sp.k_max = o.k_max;
  sp.base = o.kmeans;
  sp.silhouette = o.silhouette;
  sp.silhouette.seed = o.kmeans.seed;
  select_k::result sel = select_k::sweep(ctx, z, sp);
  const std::vector<int64_t> order = kmeans::renumber_by_size(ctx, z, sel.chosen);

  segmentation s;
  s.algorithm = "kmeans";
  s.k = sel.chosen_k;
  s.rule = "highest mean silhouette; the inertia elbow (Kneedle) is reported beside it";
  s.reason = sel.reason;
  s.elbow_k = sel.elbow_k;
  s.warnings = sel.warnings;
  for (const auto& c : sel.per_k) {
    candidate_score cs{c.k, c.inertia, c.scores, {}, c.iterations, c.converged};
    if (c.k == sel.chosen_k) {  // per-cluster values follow the renumbered segments
      std::vector<double> remapped;
      for (int64_t old : order) remapped.push_back(c.scores.silhouette_per_cluster[static_cast<size_t>(old)]);
      cs.scores.silhouette_per_cluster = remapped;
    }
    s.per_k.push_back(cs);
  }
  kmeans::result& r = sel.chosen;
  s.labels = std::move(r.labels);
  s.distance.resize(r.sq_dist.size());
  for (size_t i = 0; i < r.sq_dist.size(); ++i) s.distance[i] = std::sqrt(r.sq_dist[i]);
  s.centres = std::move(r.centroids);
  s.sizes = r.sizes;
  s.facts = {{"inertia", r.inertia},
             {"iterations", r.iterations},
             {"converged", r.converged ? 1.0 : 0.0},
             {"n_init", r.n_init},
             {"best_init", r.best_init},
             {"empty_cluster_reseeds", static_cast<double>(r.empty_reseeds)}};
  return s;
}

}  // namespace detail
}  // namespace segmint
