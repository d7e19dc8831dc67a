// Horizontal bars per segment: sizes and shares, silhouette per segment.
#include <algorithm>
#include <cmath>

#include "charts.hpp"

namespace segmint::detail {

std::string bar_chart(const bar_chart_spec& spec) {
  constexpr double font = 12;
  constexpr double row_h = 26;
  constexpr double bar_area = 220;
  constexpr size_t max_label_chars = 36;
  double label_w = 60;
  for (const auto& l : spec.labels) label_w = std::max(label_w, text_width(shorten(l, max_label_chars), font));
  label_w = std::min(label_w, 240.0);
  const auto n = spec.values.size();
  double value_w = 40;
  for (const auto& t : spec.value_texts) value_w = std::max(value_w, text_width(t, font) + 10);
  const plot_area area{label_w + 34, 60, bar_area, row_h * static_cast<double>(std::max<size_t>(n, 1))};
  const double width = area.right() + value_w + 12;

  double lo = spec.min_value.value_or(0.0);
  double hi = spec.max_value.value_or(0.0);
  for (double v : spec.values)
    if (std::isfinite(v)) lo = std::min(lo, v), hi = std::max(hi, v);
  if (hi <= lo) hi = lo + 1;
  const auto ticks = nice_ticks(lo, hi, 4);
  lo = std::min(lo, ticks.front());
  hi = std::max(hi, ticks.back());
  const linear_scale xs{lo, hi, area.left, area.right()};

  std::vector<legend_item> legend;
  if (spec.reference) legend.push_back({"#000000", legend_mark::dashed_line, spec.reference_label});
  legend.insert(legend.end(), spec.colour_legend.begin(), spec.colour_legend.end());
  const double legend_w = std::max(width - area.left, 300.0);
  const double full_width = std::max(width, area.left + legend_w);
  const double legend_top = area.bottom() + 58;
  svg s(full_width, legend_top + legend_height(legend_w, legend), spec.title);
  draw_title(s, spec.title, spec.subtitle);
  s.open_group({{"class", "axes"}});
  for (double t : ticks) {
    s.line(xs(t), area.top, xs(t), area.bottom(), {{"class", "grid"}});
    s.text(xs(t), area.bottom() + 16, tick_label(t, ticks), {{"class", "tick"}, {"text-anchor", "middle"}});
  }
  s.line(xs(std::clamp(0.0, lo, hi)), area.top, xs(std::clamp(0.0, lo, hi)), area.bottom(), {{"class", "axis"}});
  s.text(area.left + area.width / 2, area.bottom() + 34, spec.value_label,
         {{"class", "axis-label"}, {"text-anchor", "middle"}});
  s.text(0, 0, spec.category_label,
         {{"class", "axis-label"},
          {"text-anchor", "middle"},
          {"transform", "translate(14," + svg_num(area.top + area.height / 2) + ") rotate(-90)"}});
  s.close_group();

  const double zero = xs(std::clamp(0.0, lo, hi));
  for (size_t i = 0; i < n; ++i) {
    const double y = area.top + row_h * static_cast<double>(i);
    const double v = std::isfinite(spec.values[i]) ? spec.values[i] : 0.0;
    const std::string label = i < spec.labels.size() ? spec.labels[i] : "";
    const std::string colour = i < spec.colours.size() ? spec.colours[i] : segment_colour(static_cast<int>(i));
    const std::string value_text = i < spec.value_texts.size() ? spec.value_texts[i] : compact_number(v);
    s.open_group({{"class", "bar"}});
    s.tip(label + ": " + value_text);
    s.text(area.left - 8, y + row_h / 2 + 4, shorten(label, max_label_chars),
           {{"class", "bar-label"}, {"text-anchor", "end"}});
    s.rect(std::min(zero, xs(v)), y + 4, std::fabs(xs(v) - zero), row_h - 8, {{"fill", colour}});
    s.text(std::max(zero, xs(v)) + 5, y + row_h / 2 + 4, value_text, {{"class", "bar-value"}});
    s.close_group();
  }
  if (spec.reference) {
    s.line(xs(*spec.reference), area.top - 6, xs(*spec.reference), area.bottom(),
           {{"stroke", "#000"}, {"stroke-width", "1.5"}, {"stroke-dasharray", "5 4"}});
  }
  draw_legend(s, area.left, legend_top, legend_w, legend);
  return s.str();
}

}  // namespace segmint::detail
