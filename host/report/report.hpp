#pragma once
// report.html: one self-contained page (inline CSS and SVG, no scripts, no network) that shows who is in
// each segment, what sets the segments apart and how k was chosen. Generated from the run's results.
//
// Determinism: the page holds no wall-clock time. It does show the timings per stage (a run fact the
// reader wants), so two identical runs give reports that differ only inside <tbody id="timings">.
#include <optional>
#include <string>
#include <string_view>

#include "dendrogram.hpp"
#include "scatter_sample.hpp"
#include "segmint/run.hpp"

namespace segmint::detail {

struct report_input {
  const run_options& options;
  const run_outcome& outcome;
  const report_scatter& scatter;
  /// Ward: the linkage and cut to draw the top of the tree. Empty for algorithms without a hierarchy.
  std::optional<dendrogram_spec> dendrogram;
};

/// The page's inline CSS (shared with the tuning report).
std::string_view report_stylesheet();

/// The whole HTML document.
std::string render_report(const report_input& in);

}  // namespace segmint::detail
