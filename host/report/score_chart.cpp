// A score against k: the curves that explain the choice of k.
#include <algorithm>
#include <cmath>

#include "charts.hpp"

namespace segmint::detail {

std::string score_chart(const score_chart_spec& spec) {
  constexpr double width = 440;
  const plot_area area{70, 56, 340, 170};
  std::vector<std::pair<int, double>> pts;
  for (size_t i = 0; i < spec.k.size() && i < spec.value.size(); ++i)
    if (std::isfinite(spec.value[i])) pts.emplace_back(spec.k[i], spec.value[i]);

  double lo = 0, hi = 1;
  if (!pts.empty()) {
    lo = hi = pts.front().second;
    for (const auto& p : pts) lo = std::min(lo, p.second), hi = std::max(hi, p.second);
  }
  if (hi - lo <= 1e-12 * std::max(1.0, std::fabs(hi))) {  // a flat curve still needs a vertical range
    const double d = std::max(1e-3, std::fabs(hi) * 0.05);
    lo -= d;
    hi += d;
  }
  const double pad = (hi - lo) * 0.08;
  const auto y_ticks = nice_ticks(lo - pad, hi + pad, 4);
  const double y0 = std::min(lo - pad, y_ticks.empty() ? lo : y_ticks.front());
  const double y1 = std::max(hi + pad, y_ticks.empty() ? hi : y_ticks.back());
  const int k_lo = spec.k.empty() ? 1 : *std::min_element(spec.k.begin(), spec.k.end());
  const int k_hi = spec.k.empty() ? 2 : *std::max_element(spec.k.begin(), spec.k.end());
  const linear_scale xs{k_lo - 0.5, k_hi + 0.5, area.left, area.right()};
  const linear_scale ys{y0, y1, area.bottom(), area.top};
  std::vector<double> x_ticks;
  if (k_hi - k_lo <= 14) {
    for (int k = k_lo; k <= k_hi; ++k) x_ticks.push_back(k);
  } else {
    for (double t : nice_ticks(k_lo, k_hi, 8))
      if (std::fabs(t - std::round(t)) < 1e-9) x_ticks.push_back(t);
  }

  std::vector<legend_item> legend = {{spec.colour, legend_mark::line, spec.series_label},
                                     {"#000000", legend_mark::ring, "chosen k = " + std::to_string(spec.chosen_k)}};
  if (spec.marked_k)
    legend.push_back(
        {"#D55E00", legend_mark::diamond, spec.marked_label + " (k = " + std::to_string(*spec.marked_k) + ")"});
  const double legend_w = width - area.left - 8;
  svg s(width, 296 + legend_height(legend_w, legend) + 2, spec.title);
  draw_title(s, spec.title, spec.subtitle);
  // The chosen k as a shaded band behind everything, so it is found at a glance.
  s.rect(xs(spec.chosen_k - 0.4), area.top, xs(spec.chosen_k + 0.4) - xs(spec.chosen_k - 0.4), area.height,
         {{"class", "chosen-band"}});
  draw_axes(s, area, xs, ys, x_ticks, y_ticks, "k (number of segments)", spec.y_label);
  std::vector<std::pair<double, double>> line;
  for (const auto& [k, v] : pts) line.emplace_back(xs(k), ys(v));
  if (line.size() > 1) s.polyline(line, {{"fill", "none"}, {"stroke", spec.colour}, {"stroke-width", "2.5"}});
  for (const auto& [k, v] : pts) {
    const std::string tip = "k = " + std::to_string(k) + ": " + spec.series_label + " " + compact_number(v);
    s.circle_with_tip(xs(k), ys(v), 4, tip, {{"fill", spec.colour}});
    if (k == spec.chosen_k) s.circle(xs(k), ys(v), 8.5, {{"fill", "none"}, {"stroke", "#000"}, {"stroke-width", "2"}});
    if (spec.marked_k && k == *spec.marked_k) {
      const double cx = xs(k);
      const double cy = ys(v);  // on the curve: the chosen-k ring (radius 8.5) still shows around it
      s.path("M" + svg_num(cx) + " " + svg_num(cy - 6) + "L" + svg_num(cx + 6) + " " + svg_num(cy) + "L" + svg_num(cx) +
                 " " + svg_num(cy + 6) + "L" + svg_num(cx - 6) + " " + svg_num(cy) + "Z",
             {{"fill", "#D55E00"}, {"stroke", "#000"}, {"stroke-width", "1.5"}});
    }
  }
  draw_legend(s, area.left, 300, legend_w, legend);
  return s.str();
}

}  // namespace segmint::detail
