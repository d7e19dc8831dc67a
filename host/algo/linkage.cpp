// Cutting a linkage into k clusters.
#include "segmint/linkage.hpp"

#include <numeric>
#include <string>

#include "segmint/error.hpp"

namespace segmint {

namespace {

struct cut {
  std::vector<int32_t> labels;  // per leaf
  std::vector<int64_t> nodes;   // per cluster
};

cut make_cut(std::span<const linkage_step> z, int64_t leaves, int k) {
  if (leaves < 1 || static_cast<int64_t>(z.size()) != leaves - 1)
    throw input_error("cut_linkage: a linkage over " + std::to_string(leaves) + " leaves has " + std::to_string(leaves - 1) +
                      " merges, got " + std::to_string(z.size()));
  if (k < 1 || k > leaves)
    throw input_error("cut_linkage: k = " + std::to_string(k) + " is outside 1.." + std::to_string(leaves));
  // Applying merges in order, node ids only grow, so each leaf's cluster is the last node above it among
  // the first leaves − k merges: follow parent links from the leaf.
  const int64_t applied = leaves - k;
  std::vector<int64_t> parent(static_cast<size_t>(leaves + applied));
  std::iota(parent.begin(), parent.end(), int64_t{0});
  for (int64_t i = 0; i < applied; ++i) {
    const auto& s = z[static_cast<size_t>(i)];
    if (s.a < 0 || s.b < 0 || s.a >= leaves + i || s.b >= leaves + i)
      throw input_error("cut_linkage: merge " + std::to_string(i) + " refers to a node not yet formed");
    parent[static_cast<size_t>(s.a)] = parent[static_cast<size_t>(s.b)] = leaves + i;
  }
  // Resolve roots from the top down: a node's root is its parent's root (parents have higher ids).
  std::vector<int64_t> root(parent.size());
  for (auto v = static_cast<int64_t>(parent.size()) - 1; v >= 0; --v) {
    const int64_t p = parent[static_cast<size_t>(v)];
    root[static_cast<size_t>(v)] = p == v ? v : root[static_cast<size_t>(p)];
  }
  std::vector<int32_t> number(parent.size(), -1);
  cut out;
  out.labels.resize(static_cast<size_t>(leaves));
  for (int64_t leaf = 0; leaf < leaves; ++leaf) {
    const int64_t r = root[static_cast<size_t>(leaf)];
    int32_t& c = number[static_cast<size_t>(r)];
    if (c < 0) {
      c = static_cast<int32_t>(out.nodes.size());
      out.nodes.push_back(r);
    }
    out.labels[static_cast<size_t>(leaf)] = c;
  }
  if (static_cast<int64_t>(out.nodes.size()) != k)
    throw input_error("cut_linkage: the linkage is not a tree (it merges a node twice)");
  return out;
}

}  // namespace

std::vector<int32_t> cut_linkage(std::span<const linkage_step> z, int64_t leaves, int k) {
  return make_cut(z, leaves, k).labels;
}

std::vector<int64_t> cut_nodes(std::span<const linkage_step> z, int64_t leaves, int k) {
  return make_cut(z, leaves, k).nodes;
}

}  // namespace segmint
