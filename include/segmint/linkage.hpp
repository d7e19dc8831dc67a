#pragma once
// A hierarchical clustering as SciPy's linkage matrix: one row per merge, in increasing height.
#include <cstdint>
#include <span>
#include <vector>

namespace segmint {

/// One merge of an agglomerative clustering over L leaves, in SciPy's `linkage` format: row i joins the
/// nodes `a` < `b` (0..L−1 are leaves, L + j is the node formed by row j) into node L + i.
struct linkage_step {
  int64_t a = 0;
  int64_t b = 0;
  double height = 0;  ///< merge distance (Ward: sqrt(2·|A||B|/(|A|+|B|))·‖c_A − c_B‖, SciPy's convention)
  int64_t size = 0;   ///< customers (rows) under the new node; with weighted leaves, the sum of their weights
};

/// Cuts a linkage over `leaves` leaves into k clusters by applying its first leaves − k merges (SciPy's
/// `cut_tree`; the same partition as `fcluster(Z, k, "maxclust")` when no two heights are equal).
/// Clusters are numbered 0..k−1 in the order of their lowest leaf.
///   auto labels = segmint::cut_linkage(z, n, 5);  // one label per leaf
std::vector<int32_t> cut_linkage(std::span<const linkage_step> z, int64_t leaves, int k);

/// The k nodes a cut leaves as roots, numbered as cut_linkage numbers the clusters (node ids as in
/// linkage_step: leaves 0..leaves−1, merges leaves + i).
std::vector<int64_t> cut_nodes(std::span<const linkage_step> z, int64_t leaves, int k);

}  // namespace segmint
