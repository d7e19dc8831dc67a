#pragma once
// The top of a hierarchical-clustering tree (Ward) with the cut that gives the segments. Ready for the Ward
// algorithm: it takes the linkage in SciPy's format, so its output can be checked against
// scipy.cluster.hierarchy.dendrogram(Z, truncate_mode="lastp", p=max_leaves).
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "segmint/linkage.hpp"

namespace segmint::detail {

struct dendrogram_spec {
  std::vector<linkage_step> linkage;  ///< n − 1 merges, heights non-decreasing
  int cut_k = 2;                      ///< number of clusters at the cut
  int max_leaves = 30;                ///< draw the last max_leaves − 1 merges (at least cut_k leaves)
  /// Optional, one per observation: its segment, to colour each subtree below the cut like its segment
  /// elsewhere in the report. Empty: subtrees are coloured in left-to-right order.
  std::span<const int32_t> observation_segment;
  std::string title = "Hierarchy of the segments (top of the Ward tree)";
};

/// The dendrogram as an SVG element. Throws segmint::error for a linkage that is not a valid merge list.
///   std::string el = dendrogram_svg({.linkage = steps, .cut_k = 5});
std::string dendrogram_svg(const dendrogram_spec& spec);

}  // namespace segmint::detail
