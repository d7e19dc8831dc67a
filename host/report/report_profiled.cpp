// The report section for columns described per segment but not clustered on (outcomes, --profile-only).
#include <cmath>
#include <cstdio>

#include "../algo/naming_text.hpp"
#include "charts.hpp"
#include "report_sections.hpp"

namespace segmint::detail {
namespace {

constexpr double notable_p = 0.01;  // a difference this unlikely by chance is shown in bold

std::string p_text(double p) {
  char buf[32];
  if (p < 1e-4) return "p < 0.0001";
  std::snprintf(buf, sizeof buf, "p = %.2g", p);
  return buf;
}

/// "0.27 (p < 0.0001)" in bold when notable; a 0/1 column's mean reads as a percentage.
std::string mean_cell(const profiled_summary& c, const profiled_segment& s, bool zero_one) {
  if (std::isnan(s.mean)) return "<td class=\"num\">n/a</td>";
  const std::string value = zero_one ? pct(s.mean, 1) : format_value(s.mean, c.column);
  const std::string text = h(value) + " <span class=\"note\">(" + h(p_text(s.p_value)) + ")</span>";
  return "<td class=\"num\">" + (s.p_value < notable_p ? "<b>" + text + "</b>" : text) + "</td>";
}

}  // namespace

std::string profiled_section(const report_input& in) {
  const auto& profiled = in.outcome.profiled;
  const auto& profiles = in.outcome.profiles;
  if (profiled.empty() || profiles.empty()) return {};
  std::string s = "<section id=\"profiled\">\n<h2>Described, not clustered on</h2>\n<p class=\"note\">Columns the "
                  "segments were not built from (outcomes and campaign responses, or named in --profile-only). Numbers: "
                  "the segment's mean, with Welch's t-test of the segment against all other customers; bold when p &lt; "
                  "0.01. Categories: the share of each level, with a chi-square test of segment × level. The same "
                  "figures are in run.json (<code>profiled</code>).</p>\n<div class=\"scroll\"><table class=\"data\"><thead>"
                  "<tr><th>column</th><th class=\"num\">all customers</th>";
  for (const auto& p : profiles)
    s += "<th class=\"num\"><span class=\"swatch\" style=\"background:" + segment_colour(p.id) + "\"></span>" +
         h(segment_label(p)) + "</th>";
  s += "</tr></thead><tbody>";
  for (const auto& c : profiled) {
    if (c.numeric) {
      bool zero_one = true;  // a flag's mean is the share of customers with it
      for (const auto& seg : c.segments) zero_one = zero_one && (std::isnan(seg.mean) || (seg.mean >= 0 && seg.mean <= 1));
      zero_one = zero_one && c.overall_mean >= 0 && c.overall_mean <= 1;
      s += "<tr><td>" + h(c.column) + "</td><td class=\"num\">" +
           h(zero_one ? pct(c.overall_mean, 1) : format_value(c.overall_mean, c.column)) + "</td>";
      for (const auto& seg : c.segments) s += mean_cell(c, seg, zero_one);
      s += "</tr>";
      continue;
    }
    s += "<tr><td colspan=\"" + std::to_string(profiles.size() + 2) + "\"><b>" + h(c.column) + "</b> <span class=\"note\">(" +
         h("chi-square " + p_text(c.p_value)) + ")</span></td></tr>";
    for (size_t l = 0; l < c.levels.size(); ++l) {
      s += "<tr><td>&nbsp;&nbsp;" + h(c.levels[l]) + "</td><td class=\"num\">" + h(pct(c.overall_shares[l], 1)) + "</td>";
      for (const auto& seg : c.segments) s += "<td class=\"num\">" + h(pct(seg.shares[l], 1)) + "</td>";
      s += "</tr>";
    }
  }
  return s + "</tbody></table></div>\n</section>\n";
}

}  // namespace segmint::detail
