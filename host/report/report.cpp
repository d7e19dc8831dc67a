// The document around the sections: head, inline stylesheet (screen and print), navigation.
#include "report.hpp"

#include <filesystem>

#include "report_sections.hpp"
#include "segmint/version.hpp"

namespace segmint::detail {
namespace {

// Inline CSS only (the page must open offline). The SVG classes are styled here too, so the charts follow
// the page's font and print cleanly.
constexpr const char* stylesheet = R"CSS(
:root { --ink: #1d1d1f; --muted: #5a5a60; --line: #dedee3; --bg: #f6f6f8; --accent: #0072B2; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
       color: var(--ink); background: var(--bg); }
main { max-width: 1240px; margin: 0 auto; padding: 24px 28px 48px; }
header h1 { font-size: 26px; margin: 8px 0 4px; }
.lead { font-size: 17px; color: var(--muted); margin: 0 0 12px; }
.why { background: #fff; border-left: 5px solid var(--accent); padding: 10px 16px; margin: 12px 0 8px; }
nav { font-size: 13px; margin: 8px 0 4px; }
nav a { color: var(--accent); margin-right: 14px; text-decoration: none; }
section { background: #fff; border: 1px solid var(--line); border-radius: 10px; padding: 18px 22px; margin: 18px 0; }
section > h2 { font-size: 19px; margin: 0 0 4px; }
.note { color: var(--muted); font-size: 13px; margin: 2px 0 10px; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(270px, 1fr)); gap: 14px; }
.card { border: 1px solid var(--line); border-radius: 8px; padding: 12px 14px 10px; border-top: 8px solid var(--seg); }
.card h3 { font-size: 17px; margin: 2px 0 2px; }
.card .id { font-size: 12px; color: var(--muted); text-transform: uppercase; letter-spacing: .04em; }
.card .size { font-size: 14px; margin: 0 0 6px; }
.card .reason { font-size: 13px; margin: 6px 0; }
.card table { width: 100%; font-size: 12.5px; border-collapse: collapse; }
.card th { font-weight: 500; color: var(--muted); font-size: 11.5px; }
.card td { padding: 2px 0; border-top: 1px solid #eee; vertical-align: top; overflow-wrap: break-word; }
.card td.num, .card th.num { text-align: right; white-space: nowrap; padding-left: 8px; font-variant-numeric: tabular-nums; }
.card .sil { font-size: 12.5px; color: var(--muted); margin: 6px 0 0; }
.charts { display: flex; flex-wrap: wrap; gap: 14px 22px; align-items: flex-start; }
figure { margin: 0; max-width: 100%; overflow-x: auto; }
figure.chart-figure svg { display: block; max-width: 100%; height: auto; }
figure.wide svg { max-width: none; }
figcaption { font-size: 12.5px; color: var(--muted); max-width: 640px; }
table.data { border-collapse: collapse; font-size: 13px; margin: 6px 0; }
table.data th, table.data td { border-bottom: 1px solid var(--line); padding: 4px 10px; text-align: left; }
table.data td.num, table.data th.num { text-align: right; font-variant-numeric: tabular-nums; }
table.data tr.chosen td { background: #fff3c4; font-weight: 600; }
.scroll { overflow-x: auto; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 4px 18px; font-size: 13.5px; margin: 0; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
.swatch { display: inline-block; width: 11px; height: 11px; border-radius: 2px; margin-right: 5px; vertical-align: -1px; }
ul.warnings { margin: 4px 0; padding-left: 20px; font-size: 13px; }
svg text { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; fill: var(--ink); }
svg .chart-title { font-size: 15px; font-weight: 600; }
svg .chart-subtitle, svg .tick { font-size: 11px; fill: #555; }
svg .axis-label { font-size: 12px; fill: #333; }
svg .legend-text, svg .bar-label, svg .bar-value, svg .heat-row, svg .heat-col { font-size: 12px; }
svg .bar-value { paint-order: stroke; stroke: #fff; stroke-width: 3px; stroke-linejoin: round; }
svg .heat-val { font-size: 11px; font-variant-numeric: tabular-nums; }
svg .heat-val.light { fill: #fff; }
svg .grid { stroke: #e6e6ea; stroke-width: 1; }
svg .axis { stroke: #333; stroke-width: 1; }
svg .chosen-band { fill: #fff3c4; }
svg .points circle { fill-opacity: .72; }
footer { font-size: 12px; color: var(--muted); text-align: center; margin-top: 20px; }
@media print {
  body { background: #fff; font-size: 12px; }
  main { max-width: none; padding: 0; }
  nav { display: none; }
  section { border: none; padding: 0; margin: 14px 0; break-inside: auto; }
  figure, .card, tr { break-inside: avoid; }
  figure.wide svg { max-width: 100%; }
  @page { margin: 12mm; }
}
)CSS";

}  // namespace

std::string_view report_stylesheet() { return stylesheet; }

std::string render_report(const report_input& in) {
  const std::string file = std::filesystem::path(in.options.input).filename().string();
  std::string html;
  html.reserve(1 << 20);
  html += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n";
  // No network, no scripts: the policy makes any accidental external reference fail visibly (and offline).
  html +=
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src "
      "data:\"/>\n";
  html += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n";
  html += "<title>Segments of " + h(file) + " – segmint report</title>\n<style>" + std::string(stylesheet) +
          "</style>\n</head>\n<body>\n<main>\n";
  html += summary_section(in);
  html +=
      "<nav><a href=\"#segments\">Segments</a><a href=\"#sizes\">Sizes</a><a href=\"#differences\">What sets them "
      "apart</a>"
      "<a href=\"#map\">Customer map</a><a href=\"#choice-of-k\">Choice of k</a>";
  if (in.dendrogram) html += "<a href=\"#hierarchy\">Hierarchy</a>";
  if (in.outcome.value) html += "<a href=\"#value\">Customer value</a>";
  html += "<a href=\"#profiles\">Profiles</a>";
  if (!in.outcome.profiled.empty()) html += "<a href=\"#profiled\">Described, not clustered on</a>";
  html += "<a href=\"#run\">Run facts</a></nav>\n";
  html += cards_section(in);
  html += sizes_section(in);
  html += heatmap_section(in);
  html += scatter_section(in);
  html += choice_of_k_section(in);
  if (in.dendrogram) html += dendrogram_section(in);
  html += value_section(in);
  html += profile_table_section(in);
  html += profiled_section(in);
  html += run_facts_section(in);
  html += "<footer>Generated by segmint " + h(version_string()) + " from " + h(file) + ".</footer>\n";
  html += "</main>\n</body>\n</html>\n";
  return html;
}

}  // namespace segmint::detail
