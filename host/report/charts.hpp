#pragma once
// The report's charts as self-contained SVG elements. Each has a visible title, axis labels and a legend.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "chart_common.hpp"

namespace segmint::detail {

/// One score against k (inertia, silhouette, BIC, ...), the chosen k highlighted and an optional marked k
/// (the elbow of the inertia curve).
struct score_chart_spec {
  std::string title;
  std::string subtitle;  ///< e.g. "higher is better"
  std::string y_label;
  std::string series_label;
  std::vector<int> k;
  std::vector<double> value;  ///< NaN values are left out
  int chosen_k = 0;
  std::optional<int> marked_k;
  std::string marked_label;  ///< e.g. "elbow"
  std::string colour = "#0072B2";
};
std::string score_chart(const score_chart_spec& spec);

/// Horizontal bars, one per segment, with the value printed at the end of each bar.
struct bar_chart_spec {
  std::string title;
  std::string subtitle;
  std::string value_label;     ///< the x axis
  std::string category_label;  ///< the y axis, e.g. "segment"
  std::vector<std::string> labels;
  std::vector<double> values;
  std::vector<std::string> value_texts;
  std::vector<std::string> colours;
  std::optional<double> reference;  ///< a dashed vertical line, e.g. the mean silhouette
  std::string reference_label;
  std::optional<double> min_value;  ///< axis range (default: from 0 to the largest value)
  std::optional<double> max_value;
  /// What the colours mean (default: one colour per segment).
  std::vector<legend_item> colour_legend{{"#777777", legend_mark::square, "colour = segment, as in every chart"}};
};
std::string bar_chart(const bar_chart_spec& spec);

/// Rows × columns of standardised differences in diverging colours with the value printed in each cell.
struct heatmap_spec {
  std::string title;
  std::string subtitle;
  std::string row_axis;     ///< e.g. "feature"
  std::string column_axis;  ///< e.g. "segment"
  std::vector<std::string> row_labels;
  std::vector<std::string> column_labels;
  std::vector<std::string> column_colours;     ///< a swatch above each column (segment colours)
  std::vector<std::vector<double>> values;     ///< values[row][column]
  std::vector<std::vector<std::string>> tips;  ///< optional tooltip per cell
  double limit = 2.0;                          ///< colours saturate at ±limit
};
std::string heatmap(const heatmap_spec& spec);

/// Points coloured by group, with the group centres marked.
struct scatter_spec {
  std::string title;
  std::string subtitle;
  std::string x_label;
  std::string y_label;
  std::vector<float> x, y;
  std::vector<int32_t> group;
  std::vector<std::string> tips;  ///< optional, one per point
  std::vector<double> centre_x, centre_y;
  std::vector<std::string> group_names;
};
std::string scatter_chart(const scatter_spec& spec);

}  // namespace segmint::detail
