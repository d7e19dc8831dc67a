// Exact Ward linkage by the nearest-neighbour chain (Murtagh 1983; Müllner 2011 §3.2). Ward's criterion is
// reducible, so merging reciprocal nearest neighbours as the chain finds them yields the same dendrogram
// as the greedy algorithm, in O(n·d) memory; each chain step is one backend scan over the active clusters.
//
// The chain follows SciPy's nn_chain step for step, so that even on ties it makes the same choices where
// the two compute equal distances:
//  - a new chain starts at the lowest-numbered active cluster;
//  - a cluster's nearest neighbour is the lowest cost, ties going to the chain's previous element (which
//    also guarantees termination) and otherwise to the lowest cluster number;
//  - merging x and y, the new cluster takes the higher number, the lower one is retired;
//  - the merges are then stably sorted by height and relabelled into SciPy's node ids (`relabel`).
// SciPy updates distances with the Lance–Williams formula, segmint recomputes them from centroids and
// sizes in double; the two agree to ~1e-13 relative, so only exact ties can order differently. segmint's
// choices depend only on its own arithmetic, which is the same on any thread count.
#include <algorithm>
#include <cmath>
#include <numeric>
#include <utility>

#include "backend.hpp"
#include "segmint/error.hpp"
#include "segmint/ward.hpp"

namespace segmint::ward {
namespace {

struct chain_merge {
  int64_t a = 0;  // retired cluster (the lower number)
  int64_t b = 0;  // the cluster that holds the merge from now on
  double height = 0;
};

/// Frees the backend's Ward clusters however the chain ends.
class ward_session {
 public:
  ward_session(detail::backend& be, std::span<const double> centroids, std::span<const double> sizes, int64_t d) : be_(be) {
    be_.ward_begin(centroids, sizes, d);
  }
  ~ward_session() { be_.ward_end(); }
  ward_session(const ward_session&) = delete;
  ward_session& operator=(const ward_session&) = delete;

 private:
  detail::backend& be_;
};

std::vector<chain_merge> nn_chain(detail::backend& be, std::span<const double> centroids, std::vector<double> sizes,
                                  int64_t d, int64_t& searches) {
  const auto m = static_cast<int64_t>(sizes.size());
  // Row-major host copy: the driver computes each merged centroid, the backend only searches.
  std::vector<double> c(static_cast<size_t>(m * d));
  for (int64_t i = 0; i < m; ++i)
    for (int64_t j = 0; j < d; ++j) c[static_cast<size_t>(i * d + j)] = centroids[static_cast<size_t>(j * m + i)];
  ward_session session(be, centroids, sizes, d);
  std::vector<char> active(static_cast<size_t>(m), 1);
  std::vector<int64_t> chain;
  std::vector<chain_merge> merges;
  merges.reserve(static_cast<size_t>(std::max<int64_t>(m - 1, 0)));
  std::vector<double> merged(static_cast<size_t>(d));
  int64_t first = 0;
  for (int64_t step = 0; step + 1 < m; ++step) {
    if (chain.empty()) {
      while (!active[static_cast<size_t>(first)]) ++first;
      chain.push_back(first);
    }
    detail::ward_neighbour nb;
    for (;;) {
      const int64_t x = chain.back();
      const int64_t prev = chain.size() > 1 ? chain[chain.size() - 2] : -1;
      nb = be.ward_nearest(x, prev);
      ++searches;
      if (nb.cluster < 0 || nb.cluster >= m || !active[static_cast<size_t>(nb.cluster)])
        throw error("internal error: the Ward search returned no active neighbour");
      if (nb.cluster == prev) break;
      chain.push_back(nb.cluster);
    }
    const int64_t x = chain.back();
    chain.pop_back();
    const int64_t y = chain.back();
    chain.pop_back();
    const int64_t a = std::min(x, y);
    const int64_t b = std::max(x, y);
    const double na = sizes[static_cast<size_t>(a)];
    const double nb_size = sizes[static_cast<size_t>(b)];
    const double n = na + nb_size;
    // Symmetric in a and b (this file is compiled without FMA contraction, which would make it not).
    for (int64_t j = 0; j < d; ++j) {
      merged[static_cast<size_t>(j)] =
          (na * c[static_cast<size_t>(a * d + j)] + nb_size * c[static_cast<size_t>(b * d + j)]) / n;
      c[static_cast<size_t>(b * d + j)] = merged[static_cast<size_t>(j)];
    }
    sizes[static_cast<size_t>(b)] = n;
    active[static_cast<size_t>(a)] = 0;
    be.ward_merge(a, b, merged, n);
    merges.push_back({a, b, std::sqrt(2.0 * nb.cost)});
  }
  return merges;
}

/// SciPy's ending: stable sort by height, then node ids by union-find (the cluster numbered s at a merge
/// contains leaf s, so find(s) is the node that holds it at that point).
std::vector<linkage_step> relabel(std::vector<chain_merge> merges, std::span<const double> leaf_sizes) {
  const auto m = static_cast<int64_t>(leaf_sizes.size());
  std::stable_sort(merges.begin(), merges.end(), [](const chain_merge& l, const chain_merge& r) { return l.height < r.height; });
  std::vector<int64_t> parent(static_cast<size_t>(std::max<int64_t>(2 * m - 1, 0)));
  std::iota(parent.begin(), parent.end(), int64_t{0});
  std::vector<double> size(parent.size(), 0.0);
  std::copy(leaf_sizes.begin(), leaf_sizes.end(), size.begin());
  auto find = [&](int64_t v) {
    int64_t root = v;
    while (parent[static_cast<size_t>(root)] != root) root = parent[static_cast<size_t>(root)];
    while (parent[static_cast<size_t>(v)] != root) v = std::exchange(parent[static_cast<size_t>(v)], root);
    return root;
  };
  std::vector<linkage_step> z;
  z.reserve(merges.size());
  int64_t next = m;
  for (const auto& mg : merges) {
    const int64_t ra = find(mg.a);
    const int64_t rb = find(mg.b);
    const double s = size[static_cast<size_t>(ra)] + size[static_cast<size_t>(rb)];
    parent[static_cast<size_t>(ra)] = parent[static_cast<size_t>(rb)] = next;
    size[static_cast<size_t>(next)] = s;
    z.push_back({std::min(ra, rb), std::max(ra, rb), mg.height, static_cast<int64_t>(std::llround(s))});
    ++next;
  }
  return z;
}

}  // namespace

std::vector<linkage_step> weighted_linkage(context& ctx, std::span<const double> centroids, std::span<const double> sizes,
                                           int64_t d, int64_t* nn_searches) {
  const auto m = static_cast<int64_t>(sizes.size());
  if (m == 0 || d < 1) throw input_error("Ward linkage needs at least one row and one feature");
  if (static_cast<int64_t>(centroids.size()) != m * d)
    throw input_error("Ward linkage: expected " + std::to_string(m * d) + " centroid values, got " + std::to_string(centroids.size()));
  for (double s : sizes)
    if (!(s > 0) || !std::isfinite(s)) throw input_error("Ward linkage: cluster sizes must be positive and finite");
  for (double v : centroids)
    if (!std::isfinite(v)) throw input_error("Ward linkage: centroids must be finite");
  int64_t searches = 0;
  std::vector<chain_merge> merges =
      m > 1 ? nn_chain(ctx.backend(), centroids, std::vector<double>(sizes.begin(), sizes.end()), d, searches)
            : std::vector<chain_merge>{};
  if (nn_searches) *nn_searches = searches;
  return relabel(std::move(merges), sizes);
}

std::vector<linkage_step> linkage(context& ctx, matrix_view x) {
  // Float32 rows are exact in double: the chain works on the very values SciPy would be given.
  std::vector<double> c(static_cast<size_t>(x.rows * x.cols));
  for (int64_t j = 0; j < x.cols; ++j)
    for (int64_t i = 0; i < x.rows; ++i) c[static_cast<size_t>(j * x.rows + i)] = static_cast<double>(x(i, j));
  const std::vector<double> ones(static_cast<size_t>(x.rows), 1.0);
  return weighted_linkage(ctx, c, ones, x.cols);
}

}  // namespace segmint::ward
