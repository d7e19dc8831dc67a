#pragma once
// What every report chart shares: colours, scales, ticks, axes, legends and the visible title.
#include <string>
#include <vector>

#include "svg.hpp"

namespace segmint::detail {

/// Colour of segment i: Okabe–Ito (without black), then Paul Tol's "muted" scheme; both are designed to
/// stay distinguishable for colour-blind readers. Beyond 16 segments the colours repeat.
std::string segment_colour(int i);

/// Diverging colour for a standardised difference: ColorBrewer RdBu (blue = below average, red = above),
/// saturated at ±limit. RdBu is colour-blind safe.
std::string diverging_colour(double z, double limit);

/// True where text on diverging_colour(z, limit) must be white to stay readable.
bool needs_light_text(double z, double limit);

/// Linear map from data [d0, d1] to pixels [r0, r1].
struct linear_scale {
  double d0 = 0, d1 = 1, r0 = 0, r1 = 1;
  [[nodiscard]] double operator()(double v) const {
    return d1 == d0 ? (r0 + r1) / 2 : r0 + (v - d0) * (r1 - r0) / (d1 - d0);
  }
};

/// About `target` round tick values covering [lo, hi] (1, 2, 5 × 10^n steps).
std::vector<double> nice_ticks(double lo, double hi, int target = 5);

/// A tick value with as many decimals as its step needs ("0.25", "1,500", "2e+06").
std::string tick_label(double v, const std::vector<double>& ticks);

struct plot_area {
  double left, top, width, height;
  [[nodiscard]] double right() const { return left + width; }
  [[nodiscard]] double bottom() const { return top + height; }
};

/// Frame, grid lines, tick labels and the two axis labels.
void draw_axes(svg& s, const plot_area& a, const linear_scale& x, const linear_scale& y,
               const std::vector<double>& x_ticks, const std::vector<double>& y_ticks, const std::string& x_label,
               const std::string& y_label);

/// The chart's visible title (the <title> element is written by svg itself).
void draw_title(svg& s, const std::string& title, const std::string& subtitle = "");

enum class legend_mark { dot, line, dashed_line, square, diamond, ring };

struct legend_item {
  std::string colour;
  legend_mark mark = legend_mark::dot;
  std::string label;
};

/// Legend items left to right from (x, y), wrapping at max_width; returns the height used.
double draw_legend(svg& s, double x, double y, double max_width, const std::vector<legend_item>& items);

/// A value with 4 significant digits ("0.5547", "65.57", "2.486e+04") for tooltips and printed values.
std::string compact_number(double v);

/// The height draw_legend will use for these items.
double legend_height(double max_width, const std::vector<legend_item>& items);

/// Rough rendered width of text in the report's sans-serif font (for layout only).
double text_width(const std::string& text, double font_size);

/// `text` cut to about `max_chars` characters with "…" (UTF-8 aware).
std::string shorten(const std::string& text, size_t max_chars);

}  // namespace segmint::detail
