#include "dendrogram.hpp"

#include <algorithm>
#include <cmath>

#include "chart_common.hpp"
#include "segmint/error.hpp"

namespace segmint::detail {
namespace {

struct drawn_node {
  double x = 0;
  double height = 0;  // 0 for leaves (observations and collapsed subtrees)
  int64_t size = 0;
  int colour = -1;  // index into the palette; −1 above the cut
};

void validate(const std::vector<linkage_step>& z) {
  const auto n = static_cast<int64_t>(z.size()) + 1;
  std::vector<bool> used(static_cast<size_t>(2 * n - 1), false);
  for (size_t i = 0; i < z.size(); ++i) {
    const auto& s = z[i];
    const int64_t limit = n + static_cast<int64_t>(i);  // only earlier clusters may merge
    for (int64_t c : {s.a, s.b}) {
      if (c < 0 || c >= limit || used[static_cast<size_t>(c)])
        throw error("dendrogram: linkage row " + std::to_string(i) + " merges cluster " + std::to_string(c) +
                    ", which does not exist yet or was merged before");
      used[static_cast<size_t>(c)] = true;
    }
    if (!std::isfinite(s.height) || s.height < 0 || (i > 0 && s.height < z[i - 1].height))
      throw error("dendrogram: linkage heights must be finite, non-negative and non-decreasing (row " +
                  std::to_string(i) + ")");
  }
}

class layout {
 public:
  /// Merges 0 .. first_cut − 1 lie below the cut (k clusters remain after n − k merges).
  layout(const dendrogram_spec& spec, int64_t n, int64_t first_drawn, int64_t first_cut)
      : spec_(spec), n_(n), first_drawn_(first_drawn), first_cut_(first_cut) {}

  /// Places node c and its drawn descendants; leaves get consecutive x positions (left child first, as SciPy).
  drawn_node place(int64_t c) {
    const bool is_leaf = c < n_ || c - n_ < first_drawn_;
    if (is_leaf) {
      drawn_node d{static_cast<double>(leaves_.size()), 0, c < n_ ? 1 : spec_.linkage[static_cast<size_t>(c - n_)].size,
                   -1};
      d.colour = colour_of(c);
      leaves_.push_back({c, d.size});
      return d;
    }
    const auto& step = spec_.linkage[static_cast<size_t>(c - n_)];
    const drawn_node left = place(step.a);
    const drawn_node right = place(step.b);
    drawn_node d{(left.x + right.x) / 2, step.height, step.size, -1};
    if (c - n_ < first_cut_) d.colour = colour_of(c);
    links_.push_back({left, right, d});
    return d;
  }

  struct link {
    drawn_node left, right, parent;
  };
  struct leaf {
    int64_t id, size;
  };
  [[nodiscard]] const std::vector<link>& links() const { return links_; }
  [[nodiscard]] const std::vector<leaf>& leaves() const { return leaves_; }

 private:
  /// The segment colour of a subtree below the cut: its first observation's segment, or the order in which
  /// the cut clusters appear from the left.
  int colour_of(int64_t c) {
    int64_t obs = c;
    while (obs >= n_) obs = spec_.linkage[static_cast<size_t>(obs - n_)].a;
    if (!spec_.observation_segment.empty() && static_cast<size_t>(obs) < spec_.observation_segment.size())
      return spec_.observation_segment[static_cast<size_t>(obs)];
    const int64_t root = cluster_at_cut(c);
    const auto it = std::find(cut_order_.begin(), cut_order_.end(), root);
    if (it != cut_order_.end()) return static_cast<int>(it - cut_order_.begin());
    cut_order_.push_back(root);
    return static_cast<int>(cut_order_.size() - 1);
  }

  /// The largest cluster containing c that is formed below the cut.
  int64_t cluster_at_cut(int64_t c) {
    if (parent_.empty()) {
      parent_.assign(static_cast<size_t>(2 * n_ - 1), -1);
      for (size_t i = 0; i < spec_.linkage.size(); ++i) {
        parent_[static_cast<size_t>(spec_.linkage[i].a)] = n_ + static_cast<int64_t>(i);
        parent_[static_cast<size_t>(spec_.linkage[i].b)] = n_ + static_cast<int64_t>(i);
      }
    }
    while (parent_[static_cast<size_t>(c)] >= 0 && parent_[static_cast<size_t>(c)] - n_ < first_cut_)
      c = parent_[static_cast<size_t>(c)];
    return c;
  }

  const dendrogram_spec& spec_;
  int64_t n_;
  int64_t first_drawn_;
  int64_t first_cut_;
  std::vector<link> links_;
  std::vector<leaf> leaves_;
  std::vector<int64_t> cut_order_;
  std::vector<int64_t> parent_;
};

}  // namespace

std::string dendrogram_svg(const dendrogram_spec& spec) {
  const auto& z = spec.linkage;
  if (z.empty()) throw error("dendrogram: the linkage is empty (at least 2 observations are needed)");
  validate(z);
  const auto n = static_cast<int64_t>(z.size()) + 1;
  const int64_t k = std::clamp<int64_t>(spec.cut_k, 1, n);
  const int64_t p = std::min<int64_t>(n, std::max<int64_t>(spec.max_leaves, k));
  // k clusters remain after n − k merges: the cut lies between merge n − k − 1 and merge n − k (0-based).
  const double below = n - k - 1 >= 0 ? z[static_cast<size_t>(n - k - 1)].height : 0.0;
  const double above = n - k <= n - 2 ? z[static_cast<size_t>(n - k)].height : below * 1.1 + 1.0;
  const double cut = (below + above) / 2;

  layout lay(spec, n, n - p, n - k);
  lay.place(2 * n - 2);

  constexpr double width = 720;
  const plot_area area{74, 56, 620, 260};
  const double top_h = z.back().height > 0 ? z.back().height : 1.0;
  const auto ticks = nice_ticks(0, std::max(top_h, cut) * 1.05, 5);
  const linear_scale xs{-0.5, static_cast<double>(p) - 0.5, area.left, area.right()};
  const linear_scale ys{0, std::max(ticks.back(), std::max(top_h, cut) * 1.05), area.bottom(), area.top};
  const std::vector<legend_item> legend = {
      {"#555555", legend_mark::line, "merges above the cut"},
      {segment_colour(0), legend_mark::line, "below the cut: coloured by segment"},
      {"#000000", legend_mark::dashed_line, "cut: " + std::to_string(k) + " segments"}};
  const double legend_top = area.bottom() + 84;
  svg s(width, legend_top + legend_height(width - area.left, legend), spec.title);
  draw_title(s, spec.title,
             "the last " + std::to_string(p - 1) + " merges of " + std::to_string(n) +
                 " observations; a leaf shows how many observations it holds");
  draw_axes(s, area, xs, ys, {}, ticks, "", "merge distance");
  s.text(area.left + area.width / 2, area.bottom() + 62, "clusters (leaf label: observations in the subtree)",
         {{"class", "axis-label"}, {"text-anchor", "middle"}});
  auto colour = [](int c) { return c < 0 ? std::string("#555555") : segment_colour(c); };
  for (const auto& l : lay.links()) {
    const std::string d = "M" + svg_num(xs(l.left.x)) + " " + svg_num(ys(l.left.height)) + "V" +
                          svg_num(ys(l.parent.height)) + "H" + svg_num(xs(l.right.x)) + "V" +
                          svg_num(ys(l.right.height));
    s.path(d, {{"fill", "none"}, {"stroke", colour(l.parent.colour)}, {"stroke-width", "2"}});
  }
  for (size_t i = 0; i < lay.leaves().size(); ++i) {
    const double x = xs(static_cast<double>(i));
    s.text(0, 0, "(" + std::to_string(lay.leaves()[i].size) + ")",
           {{"class", "tick"},
            {"text-anchor", "end"},
            {"transform", "translate(" + svg_num(x + 4) + "," + svg_num(area.bottom() + 10) + ") rotate(-90)"}});
  }
  s.line(area.left, ys(cut), area.right(), ys(cut),
         {{"stroke", "#000"}, {"stroke-width", "1.5"}, {"stroke-dasharray", "6 4"}});
  s.text(area.right() - 4, ys(cut) - 6, "cut → " + std::to_string(k) + " segments",
         {{"class", "tick"}, {"text-anchor", "end"}});
  draw_legend(s, area.left, legend_top, width - area.left, legend);
  return s.str();
}

}  // namespace segmint::detail
