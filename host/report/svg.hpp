#pragma once
// A small SVG writer for the report: well-formed XML by construction (every attribute value and text is
// escaped here, numbers are finite and short), so charts cannot be broken by user-supplied text.
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace segmint::detail {

/// Text for XML/HTML content or attribute values: & < > " ' escaped, control characters and invalid UTF-8
/// replaced by U+FFFD (XML 1.0 allows neither).
std::string xml_escape(std::string_view text);

/// A coordinate or length: at most 2 decimals, no trailing zeros, no "-0"; non-finite values become "0"
/// (callers place only finite values; this keeps a stray NaN from breaking the document).
std::string svg_num(double v);

/// Attribute list: names are written as given (they are ours), values are escaped.
using svg_attrs = std::vector<std::pair<std::string, std::string>>;

class svg {
 public:
  /// An <svg> of natural size width × height with a <title> (the accessible name) and a CSS class.
  svg(double width, double height, std::string_view title, std::string_view css_class = "chart");

  svg& rect(double x, double y, double w, double h, const svg_attrs& a = {});
  svg& line(double x1, double y1, double x2, double y2, const svg_attrs& a = {});
  svg& circle(double cx, double cy, double r, const svg_attrs& a = {});
  /// A circle with a hover tooltip (<title> child).
  svg& circle_with_tip(double cx, double cy, double r, std::string_view tip, const svg_attrs& a = {});
  svg& polyline(const std::vector<std::pair<double, double>>& points, const svg_attrs& a = {});
  /// `d` is built by the caller from svg_num() values (path data is never user text).
  svg& path(std::string_view d, const svg_attrs& a = {});
  svg& text(double x, double y, std::string_view content, const svg_attrs& a = {});
  svg& open_group(const svg_attrs& a = {});
  svg& close_group();
  /// A <title> tooltip for the element group just opened.
  svg& tip(std::string_view content);

  [[nodiscard]] double width() const { return width_; }
  [[nodiscard]] double height() const { return height_; }
  /// The finished element (closes open groups).
  [[nodiscard]] std::string str() const;

 private:
  void open_tag(std::string_view name, const svg_attrs& a);
  double width_;
  double height_;
  std::string out_;
  int depth_ = 0;
};

}  // namespace segmint::detail
