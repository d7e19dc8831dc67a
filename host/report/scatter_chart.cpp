// The customer map: a 2-D projection of the model space, points coloured by segment, centres marked.
#include <algorithm>
#include <cmath>

#include "charts.hpp"

namespace segmint::detail {
namespace {

std::string diamond(double cx, double cy, double r) {
  return "M" + svg_num(cx) + " " + svg_num(cy - r) + "L" + svg_num(cx + r) + " " + svg_num(cy) + "L" + svg_num(cx) +
         " " + svg_num(cy + r) + "L" + svg_num(cx - r) + " " + svg_num(cy) + "Z";
}

}  // namespace

std::string scatter_chart(const scatter_spec& spec) {
  constexpr double width = 640;
  const plot_area area{72, 56, 540, 400};
  double x0 = 0, x1 = 0, y0 = 0, y1 = 0;
  bool any = false;
  auto extend = [&](double x, double y) {
    if (!std::isfinite(x) || !std::isfinite(y)) return;
    if (!any) x0 = x1 = x, y0 = y1 = y, any = true;
    x0 = std::min(x0, x), x1 = std::max(x1, x), y0 = std::min(y0, y), y1 = std::max(y1, y);
  };
  for (size_t i = 0; i < spec.x.size(); ++i) extend(spec.x[i], spec.y[i]);
  for (size_t c = 0; c < spec.centre_x.size(); ++c) extend(spec.centre_x[c], spec.centre_y[c]);
  // Equal units on both axes: distances on the map are distances in the projection.
  const double span = std::max({x1 - x0, (y1 - y0) * area.width / area.height, 1e-6}) * 1.08;
  const double cx = (x0 + x1) / 2, cy = (y0 + y1) / 2;
  const double half_w = span / 2, half_h = span / 2 * area.height / area.width;
  const linear_scale xs{cx - half_w, cx + half_w, area.left, area.right()};
  const linear_scale ys{cy - half_h, cy + half_h, area.bottom(), area.top};

  std::vector<legend_item> legend;
  for (size_t g = 0; g < spec.group_names.size(); ++g)
    legend.push_back({segment_colour(static_cast<int>(g)), legend_mark::dot, spec.group_names[g]});
  legend.push_back({"#FFFFFF", legend_mark::diamond, "segment centre"});
  const double legend_top = area.bottom() + 62;
  const double height = legend_top + legend_height(width - area.left, legend) + 4;

  svg s(width, height, spec.title);
  draw_title(s, spec.title, spec.subtitle);
  draw_axes(s, area, xs, ys, nice_ticks(xs.d0, xs.d1, 6), nice_ticks(ys.d0, ys.d1, 5), spec.x_label, spec.y_label);
  // One group per segment, the largest first, so that small segments are drawn on top.
  for (size_t g = 0; g < spec.group_names.size(); ++g) {
    s.open_group({{"class", "points"}, {"fill", segment_colour(static_cast<int>(g))}});
    for (size_t i = 0; i < spec.x.size(); ++i) {
      if (spec.group[i] != static_cast<int32_t>(g) || !std::isfinite(spec.x[i]) || !std::isfinite(spec.y[i])) continue;
      if (i < spec.tips.size())
        s.circle_with_tip(xs(spec.x[i]), ys(spec.y[i]), 2.6, spec.tips[i]);
      else
        s.circle(xs(spec.x[i]), ys(spec.y[i]), 2.6);
    }
    s.close_group();
  }
  for (size_t c = 0; c < spec.centre_x.size() && c < spec.centre_y.size(); ++c) {
    s.open_group({{"class", "centre"}});
    s.tip("centre of " + (c < spec.group_names.size() ? spec.group_names[c] : "segment " + std::to_string(c)));
    s.path(diamond(xs(spec.centre_x[c]), ys(spec.centre_y[c]), 9),
           {{"fill", "#FFFFFF"}, {"stroke", "#000"}, {"stroke-width", "3"}});
    s.path(diamond(xs(spec.centre_x[c]), ys(spec.centre_y[c]), 6), {{"fill", segment_colour(static_cast<int>(c))}});
    s.close_group();
  }
  draw_legend(s, area.left, legend_top + 12, width - area.left, legend);
  return s.str();
}

}  // namespace segmint::detail
