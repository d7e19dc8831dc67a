#include "chart_common.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstdio>

namespace segmint::detail {
namespace {

struct rgb {
  double r, g, b;
};

// ColorBrewer RdBu (7 classes), from −limit (blue) through white to +limit (red).
constexpr std::array<rgb, 7> rd_bu = {{{33, 102, 172},
                                       {103, 169, 207},
                                       {209, 229, 240},
                                       {247, 247, 247},
                                       {253, 219, 199},
                                       {239, 138, 98},
                                       {178, 24, 43}}};

std::string hex(const rgb& c) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "#%02X%02X%02X", static_cast<int>(std::lround(c.r)),
                static_cast<int>(std::lround(c.g)), static_cast<int>(std::lround(c.b)));
  return buf;
}

size_t code_points(const std::string& s) {
  return static_cast<size_t>(
      std::count_if(s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

}  // namespace

std::string segment_colour(int i) {
  static const std::array<const char*, 16> colours = {
      "#E69F00", "#56B4E9", "#009E73", "#0072B2", "#D55E00", "#CC79A7", "#F0E442",  // Okabe–Ito
      "#332288", "#88CCEE", "#44AA99", "#117733", "#999933", "#DDCC77", "#CC6677", "#882255", "#AA4499"};  // Tol muted
  return colours[static_cast<size_t>(i) % colours.size()];
}

std::string diverging_colour(double z, double limit) {
  if (!std::isfinite(z)) return "#FFFFFF";
  const double t = std::clamp(z / limit, -1.0, 1.0);  // −1..1
  const double pos = (t + 1.0) * 3.0;                 // 0..6 over the 7 anchors
  const auto lo = static_cast<size_t>(std::min(5.0, std::floor(pos)));
  const double f = pos - static_cast<double>(lo);
  const rgb& a = rd_bu[lo];
  const rgb& b = rd_bu[lo + 1];
  return hex({a.r + (b.r - a.r) * f, a.g + (b.g - a.g) * f, a.b + (b.b - a.b) * f});
}

// White text from about 1.5 SD (at limit 2): below that the cells are too light for it.
bool needs_light_text(double z, double limit) { return std::isfinite(z) && std::fabs(z) / limit > 0.72; }

std::vector<double> nice_ticks(double lo, double hi, int target) {
  if (!std::isfinite(lo) || !std::isfinite(hi)) return {};
  if (hi < lo) std::swap(lo, hi);
  if (hi == lo) return {lo};
  const double raw = (hi - lo) / std::max(1, target);
  const double mag = std::pow(10.0, std::floor(std::log10(raw)));
  double step = mag;
  for (double m : {1.0, 2.0, 2.5, 5.0, 10.0}) {
    step = m * mag;
    if (step >= raw) break;
  }
  std::vector<double> ticks;
  // Multiples of the step (not a running sum, which drifts): 0.1 · 3, not 0.1 + 0.1 + 0.1.
  const auto first = static_cast<int64_t>(std::ceil(lo / step - 1e-9));
  for (int64_t i = first; static_cast<double>(i) * step <= hi + step * 1e-9; ++i)
    ticks.push_back(static_cast<double>(i) * step);
  return ticks;
}

std::string tick_label(double v, const std::vector<double>& ticks) {
  const double step = ticks.size() > 1 ? ticks[1] - ticks[0] : std::max(1.0, std::fabs(v));
  char buf[48];
  if (std::fabs(v) >= 1e9 || (v != 0 && std::fabs(v) < 1e-4)) {
    std::snprintf(buf, sizeof buf, "%.3g", v);
    return buf;
  }
  int decimals = std::clamp(static_cast<int>(-std::floor(std::log10(step) + 1e-9)), 0, 6);
  const double scaled = step * std::pow(10.0, decimals);
  if (std::fabs(scaled - std::round(scaled)) > 1e-6) ++decimals;  // steps of 2.5 × 10^n need one more
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  std::string s = buf;
  if (s.find_first_not_of("-0.") == std::string::npos && s[0] == '-') s = s.substr(1);
  if (decimals == 0 && std::fabs(v) >= 10000) {  // 1,500,000 reads faster than 1500000
    const bool neg = s[0] == '-';
    const std::string digits = neg ? s.substr(1) : s;
    std::string grouped;
    for (size_t i = 0; i < digits.size(); ++i) {
      if (i > 0 && (digits.size() - i) % 3 == 0) grouped += ',';
      grouped += digits[i];
    }
    s = (neg ? "-" : "") + grouped;
  }
  return s;
}

void draw_axes(svg& s, const plot_area& a, const linear_scale& x, const linear_scale& y,
               const std::vector<double>& x_ticks, const std::vector<double>& y_ticks, const std::string& x_label,
               const std::string& y_label) {
  s.open_group({{"class", "axes"}});
  for (double t : y_ticks) {
    const double py = y(t);
    s.line(a.left, py, a.right(), py, {{"class", "grid"}});
    s.text(a.left - 6, py + 4, tick_label(t, y_ticks), {{"class", "tick"}, {"text-anchor", "end"}});
  }
  for (double t : x_ticks) {
    const double px = x(t);
    s.line(px, a.bottom(), px, a.bottom() + 4, {{"class", "axis"}});
    s.text(px, a.bottom() + 17, tick_label(t, x_ticks), {{"class", "tick"}, {"text-anchor", "middle"}});
  }
  s.line(a.left, a.bottom(), a.right(), a.bottom(), {{"class", "axis"}});
  s.line(a.left, a.top, a.left, a.bottom(), {{"class", "axis"}});
  s.text(a.left + a.width / 2, a.bottom() + 36, x_label, {{"class", "axis-label"}, {"text-anchor", "middle"}});
  const double ly = a.top + a.height / 2;
  // A rotated label longer than the plot is tall runs into the chart's title: drop its parenthetical part
  // ("inertia (within-segment sum of squares)" → "inertia"), then shorten it with an ellipsis.
  std::string label = y_label;
  if (text_width(label, 12) > a.height)
    if (const size_t p = label.find(" ("); p != std::string::npos && p > 0) label.resize(p);
  bool shortened = false;
  while (text_width(label + (shortened ? "…" : ""), 12) > a.height && label.size() > 2) {
    while (!label.empty()) {  // one whole code point
      const auto c = static_cast<unsigned char>(label.back());
      label.pop_back();
      if ((c & 0xC0) != 0x80) break;
    }
    shortened = true;
  }
  if (shortened) label += "…";
  s.text(0, 0, label,
         {{"class", "axis-label"},
          {"text-anchor", "middle"},
          {"transform", "translate(" + svg_num(a.left - 48) + "," + svg_num(ly) + ") rotate(-90)"}});
  s.close_group();
}

void draw_title(svg& s, const std::string& title, const std::string& subtitle) {
  s.text(12, 22, title, {{"class", "chart-title"}});
  if (!subtitle.empty()) s.text(12, 40, subtitle, {{"class", "chart-subtitle"}});
}

namespace {
constexpr double legend_row_h = 18;
constexpr double legend_font = 12;
double legend_item_width(const legend_item& it) { return 22 + text_width(it.label, legend_font) + 14; }
}  // namespace

double legend_height(double max_width, const std::vector<legend_item>& items) {
  double cx = 0;
  double h = legend_row_h;
  for (const auto& it : items) {
    const double w = legend_item_width(it);
    if (cx > 0 && cx + w > max_width) {
      cx = 0;
      h += legend_row_h;
    }
    cx += w;
  }
  return h;
}

double draw_legend(svg& s, double x, double y, double max_width, const std::vector<legend_item>& items) {
  constexpr double row_h = legend_row_h;
  double cx = x;
  double cy = y;
  s.open_group({{"class", "legend"}});
  for (const auto& it : items) {
    const double w = legend_item_width(it);
    if (cx > x && cx + w > x + max_width) {
      cx = x;
      cy += row_h;
    }
    const double my = cy - 4;
    switch (it.mark) {
      case legend_mark::dot:
        s.circle(cx + 7, my, 5, {{"fill", it.colour}});
        break;
      case legend_mark::ring:
        s.circle(cx + 7, my, 5, {{"fill", "none"}, {"stroke", it.colour}, {"stroke-width", "2"}});
        break;
      case legend_mark::square:
        s.rect(cx + 1, my - 6, 12, 12, {{"fill", it.colour}});
        break;
      case legend_mark::line:
        s.line(cx, my, cx + 16, my, {{"stroke", it.colour}, {"stroke-width", "2.5"}});
        break;
      case legend_mark::dashed_line:
        s.line(cx, my, cx + 16, my, {{"stroke", it.colour}, {"stroke-width", "2"}, {"stroke-dasharray", "4 3"}});
        break;
      case legend_mark::diamond:
        s.path("M" + svg_num(cx + 7) + " " + svg_num(my - 6) + "L" + svg_num(cx + 13) + " " + svg_num(my) + "L" +
                   svg_num(cx + 7) + " " + svg_num(my + 6) + "L" + svg_num(cx + 1) + " " + svg_num(my) + "Z",
               {{"fill", it.colour}, {"stroke", "#000"}, {"stroke-width", "1.5"}});
        break;
    }
    s.text(cx + 20, cy, it.label, {{"class", "legend-text"}});
    cx += w;
  }
  s.close_group();
  return cy - y + row_h;
}

std::string compact_number(double v) {
  if (!std::isfinite(v)) return "n/a";
  char buf[48];
  if (std::fabs(v) >= 1e4 && std::fabs(v) < 1e15) {  // 40,153 rather than 4.015e+04
    std::snprintf(buf, sizeof buf, "%.0f", std::fabs(v));
    const std::string digits = buf;
    std::string grouped = v < 0 ? "-" : "";
    for (size_t i = 0; i < digits.size(); ++i) {
      if (i > 0 && (digits.size() - i) % 3 == 0) grouped += ',';
      grouped += digits[i];
    }
    return grouped;
  }
  std::snprintf(buf, sizeof buf, "%.4g", v);
  return buf;
}

double text_width(const std::string& text, double font_size) {
  return 0.56 * font_size * static_cast<double>(code_points(text));
}

std::string shorten(const std::string& text, size_t max_chars) {
  if (code_points(text) <= max_chars) return text;
  size_t count = 0;
  size_t i = 0;
  for (; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80 && ++count > max_chars - 1) break;
  }
  return text.substr(0, i) + "\xE2\x80\xA6";
}

}  // namespace segmint::detail
