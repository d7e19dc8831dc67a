#include "svg.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>

namespace segmint::detail {
namespace {

constexpr std::string_view replacement = "\xEF\xBF\xBD";  // U+FFFD

/// Length of the valid UTF-8 sequence starting at s[i], or 0 when it is not one (overlongs, surrogates
/// and code points beyond U+10FFFF are invalid too).
size_t utf8_length(std::string_view s, size_t i) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  size_t len = 0;
  uint32_t cp = 0;
  if (b0 < 0x80) return 1;
  if (b0 >= 0xC2 && b0 <= 0xDF)
    len = 2, cp = b0 & 0x1Fu;
  else if (b0 >= 0xE0 && b0 <= 0xEF)
    len = 3, cp = b0 & 0x0Fu;
  else if (b0 >= 0xF0 && b0 <= 0xF4)
    len = 4, cp = b0 & 0x07u;
  else
    return 0;
  if (i + len > s.size()) return 0;
  for (size_t k = 1; k < len; ++k) {
    const auto b = static_cast<unsigned char>(s[i + k]);
    if ((b & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (b & 0x3Fu);
  }
  if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF))) return 0;
  if (cp >= 0xD800 && cp <= 0xDFFF) return 0;
  if (cp == 0xFFFE || cp == 0xFFFF) return 0;
  return len;
}

}  // namespace

std::string xml_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 8);
  for (size_t i = 0; i < text.size();) {
    const char c = text[i];
    const size_t len = utf8_length(text, i);
    if (len == 0) {
      out += replacement;
      ++i;
      continue;
    }
    if (len > 1) {
      out.append(text.substr(i, len));
      i += len;
      continue;
    }
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        if ((static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F)
          out += replacement;
        else
          out += c;
    }
    ++i;
  }
  return out;
}

std::string svg_num(double v) {
  if (!std::isfinite(v)) return "0";
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.2f", v);
  std::string s = buf;
  while (s.back() == '0') s.pop_back();
  if (s.back() == '.') s.pop_back();
  if (s == "-0") s = "0";
  return s;
}

svg::svg(double width, double height, std::string_view title, std::string_view css_class)
    : width_(width), height_(height) {
  out_ = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"" + xml_escape(css_class) + "\" width=\"" + svg_num(width) +
         "\" height=\"" + svg_num(height) + "\" viewBox=\"0 0 " + svg_num(width) + " " + svg_num(height) +
         "\" role=\"img\"><title>" + xml_escape(title) + "</title>";
}

void svg::open_tag(std::string_view name, const svg_attrs& a) {
  out_ += '<';
  out_ += name;
  for (const auto& [k, v] : a) out_ += " " + k + "=\"" + xml_escape(v) + "\"";
}

svg& svg::rect(double x, double y, double w, double h, const svg_attrs& a) {
  open_tag("rect", a);
  out_ += " x=\"" + svg_num(x) + "\" y=\"" + svg_num(y) + "\" width=\"" + svg_num(std::max(0.0, w)) + "\" height=\"" +
          svg_num(std::max(0.0, h)) + "\"/>";
  return *this;
}

svg& svg::line(double x1, double y1, double x2, double y2, const svg_attrs& a) {
  open_tag("line", a);
  out_ +=
      " x1=\"" + svg_num(x1) + "\" y1=\"" + svg_num(y1) + "\" x2=\"" + svg_num(x2) + "\" y2=\"" + svg_num(y2) + "\"/>";
  return *this;
}

svg& svg::circle(double cx, double cy, double r, const svg_attrs& a) {
  open_tag("circle", a);
  out_ += " cx=\"" + svg_num(cx) + "\" cy=\"" + svg_num(cy) + "\" r=\"" + svg_num(r) + "\"/>";
  return *this;
}

svg& svg::circle_with_tip(double cx, double cy, double r, std::string_view tip, const svg_attrs& a) {
  open_tag("circle", a);
  out_ += " cx=\"" + svg_num(cx) + "\" cy=\"" + svg_num(cy) + "\" r=\"" + svg_num(r) + "\"><title>" + xml_escape(tip) +
          "</title></circle>";
  return *this;
}

svg& svg::polyline(const std::vector<std::pair<double, double>>& points, const svg_attrs& a) {
  open_tag("polyline", a);
  out_ += " points=\"";
  for (size_t i = 0; i < points.size(); ++i)
    out_ += (i ? " " : "") + svg_num(points[i].first) + "," + svg_num(points[i].second);
  out_ += "\"/>";
  return *this;
}

svg& svg::path(std::string_view d, const svg_attrs& a) {
  open_tag("path", a);
  out_ += " d=\"" + xml_escape(d) + "\"/>";
  return *this;
}

svg& svg::text(double x, double y, std::string_view content, const svg_attrs& a) {
  open_tag("text", a);
  out_ += " x=\"" + svg_num(x) + "\" y=\"" + svg_num(y) + "\">" + xml_escape(content) + "</text>";
  return *this;
}

svg& svg::open_group(const svg_attrs& a) {
  open_tag("g", a);
  out_ += '>';
  ++depth_;
  return *this;
}

svg& svg::close_group() {
  if (depth_ > 0) {
    out_ += "</g>";
    --depth_;
  }
  return *this;
}

svg& svg::tip(std::string_view content) {
  out_ += "<title>" + xml_escape(content) + "</title>";
  return *this;
}

std::string svg::str() const {
  std::string s = out_;
  for (int i = 0; i < depth_; ++i) s += "</g>";
  return s + "</svg>";
}

}  // namespace segmint::detail
