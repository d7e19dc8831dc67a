// Segment × feature heatmap of standardised differences.
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "charts.hpp"

namespace segmint::detail {
namespace {

std::string cell_text(double z) {
  if (!std::isfinite(z)) return "–";
  char buf[16];
  std::snprintf(buf, sizeof buf, "%+.1f", z);
  const std::string s = buf;
  return s == "-0.0" ? "+0.0" : s;
}

}  // namespace

std::string heatmap(const heatmap_spec& spec) {
  constexpr double font = 12;
  constexpr double cell_w = 62;
  constexpr double cell_h = 24;
  constexpr size_t max_row_chars = 40;
  constexpr size_t max_col_chars = 30;
  constexpr double angle_cos = 0.8192, angle_sin = 0.5736;  // column labels rotated by 35°
  const size_t rows = spec.row_labels.size();
  const size_t cols = spec.column_labels.size();
  double row_w = 60;
  for (const auto& l : spec.row_labels) row_w = std::max(row_w, text_width(shorten(l, max_row_chars), font));
  double col_w = 40;
  for (const auto& l : spec.column_labels) col_w = std::max(col_w, text_width(shorten(l, max_col_chars), font));
  const double left = 34 + std::min(row_w, 280.0) + 10;
  const double top = 60 + col_w * angle_sin + 24;
  const double grid_w = cell_w * static_cast<double>(cols);
  const double grid_h = cell_h * static_cast<double>(rows);
  char lim[16];
  std::snprintf(lim, sizeof lim, "%.0f", spec.limit);
  const std::string key_text =
      "standardised difference from all customers (in SD): blue = below average, red = above; " +
      std::string("colours saturate at ±") + lim;
  const double width =
      std::max({left + grid_w + col_w * angle_cos + 16, left + text_width(key_text, font) + 16, 520.0});
  const double height = top + grid_h + 86;

  svg s(width, height, spec.title);
  draw_title(s, spec.title, spec.subtitle);
  for (size_t c = 0; c < cols; ++c) {
    const double cx = left + cell_w * (static_cast<double>(c) + 0.5);
    const std::string colour =
        c < spec.column_colours.size() ? spec.column_colours[c] : segment_colour(static_cast<int>(c));
    s.rect(cx - cell_w / 2 + 2, top - 14, cell_w - 4, 8, {{"fill", colour}});
    s.open_group({{"class", "column-label"}});
    s.tip(spec.column_labels[c]);
    s.text(0, 0, shorten(spec.column_labels[c], max_col_chars),
           {{"class", "heat-col"},
            {"transform", "translate(" + svg_num(cx - 4) + "," + svg_num(top - 20) + ") rotate(-35)"}});
    s.close_group();
  }
  for (size_t r = 0; r < rows; ++r) {
    const double y = top + cell_h * static_cast<double>(r);
    s.open_group({{"class", "row-label"}});
    s.tip(spec.row_labels[r]);
    s.text(left - 8, y + cell_h / 2 + 4, shorten(spec.row_labels[r], max_row_chars),
           {{"class", "heat-row"}, {"text-anchor", "end"}});
    s.close_group();
    for (size_t c = 0; c < cols; ++c) {
      const double z = r < spec.values.size() && c < spec.values[r].size() ? spec.values[r][c] : std::nan("");
      const double x = left + cell_w * static_cast<double>(c);
      s.open_group({{"class", "cell"}});
      if (r < spec.tips.size() && c < spec.tips[r].size()) s.tip(spec.tips[r][c]);
      s.rect(x, y, cell_w, cell_h,
             {{"fill", diverging_colour(z, spec.limit)}, {"stroke", "#FFFFFF"}, {"stroke-width", "1"}});
      s.text(x + cell_w / 2, y + cell_h / 2 + 4, cell_text(z),
             {{"class", needs_light_text(z, spec.limit) ? "heat-val light" : "heat-val"}, {"text-anchor", "middle"}});
      s.close_group();
    }
  }
  s.text(0, 0, spec.row_axis,
         {{"class", "axis-label"},
          {"text-anchor", "middle"},
          {"transform", "translate(14," + svg_num(top + grid_h / 2) + ") rotate(-90)"}});
  s.text(left + grid_w / 2, 56, spec.column_axis, {{"class", "axis-label"}, {"text-anchor", "middle"}});

  // Colour key: the diverging ramp with its scale.
  const double ky = top + grid_h + 30;
  constexpr int steps = 21;
  constexpr double key_w = 260;
  s.open_group({{"class", "legend"}});
  for (int i = 0; i < steps; ++i) {
    const double z = -spec.limit + 2 * spec.limit * i / (steps - 1);
    s.rect(left + key_w * i / steps, ky, key_w / steps + 0.5, 12, {{"fill", diverging_colour(z, spec.limit)}});
  }
  s.text(left, ky + 26, std::string("−") + lim, {{"class", "tick"}, {"text-anchor", "start"}});
  s.text(left + key_w / 2, ky + 26, "0", {{"class", "tick"}, {"text-anchor", "middle"}});
  s.text(left + key_w, ky + 26, std::string("+") + lim, {{"class", "tick"}, {"text-anchor", "end"}});
  s.text(left, ky + 46, key_text, {{"class", "legend-text"}});
  s.close_group();
  return s.str();
}

}  // namespace segmint::detail
