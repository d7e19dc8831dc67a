#pragma once
// The sections of report.html, each an HTML fragment with every user-supplied text escaped.
#include <string>

#include "report.hpp"

namespace segmint::detail {

/// Escaped text for HTML (shorthand for xml_escape).
std::string h(std::string_view text);
/// "40.5%".
std::string pct(double share, int decimals = 1);
/// "segment 2 · Luxury spenders".
std::string segment_label(const segment_profile& p);

/// A chart in a <figure>, with a caption (HTML) when not empty.
std::string figure(const std::string& svg_element, const std::string& caption, bool wide = false);
std::string summary_section(const report_input& in);
std::string cards_section(const report_input& in);
std::string sizes_section(const report_input& in);
std::string heatmap_section(const report_input& in);
std::string scatter_section(const report_input& in);
std::string profile_table_section(const report_input& in);
std::string profiled_section(const report_input& in);
std::string choice_of_k_section(const report_input& in);
std::string dendrogram_section(const report_input& in);
std::string run_facts_section(const report_input& in);
/// run --value: value per segment and the holdout check (empty without value).
std::string value_section(const report_input& in);

}  // namespace segmint::detail
