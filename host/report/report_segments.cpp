// Report sections about the segments: summary, cards, sizes, heatmap, customer map, profile table.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>

#include "../algo/naming_text.hpp"
#include "charts.hpp"
#include "report_sections.hpp"

namespace segmint::detail {
namespace {

/// "82.1" for numeric features, "72%" for one-hot shares.
std::string value_text(const feature_profile& f, double v) {
  return f.kind == feature_kind::one_hot ? pct(v, 0) : f.yes_no ? pct(v, 0) : format_value(v, f.name);
}

std::string feature_label(const feature_profile& f) {
  return f.kind == feature_kind::one_hot ? f.source + ": " + f.level : f.name;
}

/// The three features that differ most (an under-represented level is left out: its column's most
/// over-represented level says more), then each categorical column's most over-represented level.
std::string key_figures(const segment_profile& p, double silhouette) {
  std::vector<int> order;
  for (size_t j = 0; j < p.features.size(); ++j)
    if (p.features[j].kind == feature_kind::numeric || p.features[j].z > 0) order.push_back(static_cast<int>(j));
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
    return std::fabs(p.features[static_cast<size_t>(a)].z) > std::fabs(p.features[static_cast<size_t>(b)].z);
  });
  if (order.size() > 3) order.resize(3);
  for (const auto& c : p.categories)
    if (std::find(order.begin(), order.end(), c.feature) == order.end()) order.push_back(c.feature);
  std::string t =
      "<table><thead><tr><th></th><th class=\"num\">segment</th><th class=\"num\">all</th><th "
      "class=\"num\">diff</th></tr></thead><tbody>";
  for (int j : order) {
    const auto& f = p.features[static_cast<size_t>(j)];
    t += "<tr><td>" + h(feature_label(f)) + "</td><td class=\"num\">" + h(value_text(f, f.mean)) +
         "</td><td class=\"num\">" + h(value_text(f, f.population_mean)) + "</td><td class=\"num\">" +
         h(signed_z(f.z)) + " SD</td></tr>";
  }
  t += "</tbody></table>";
  if (std::isfinite(silhouette)) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.3f", silhouette);
    t += std::string("<p class=\"sil\">Silhouette ") + buf + " (−1 … 1; higher = more distinct)</p>";
  }
  return t;
}

double silhouette_of(const report_input& in, size_t segment) {
  if (in.outcome.seg.per_k.empty()) return std::nan("");
  const auto& per = in.outcome.seg.chosen().scores.silhouette_per_cluster;
  return segment < per.size() ? per[segment] : std::nan("");
}

}  // namespace

std::string h(std::string_view text) { return xml_escape(text); }

std::string pct(double share, int decimals) {
  if (!std::isfinite(share)) return "n/a";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.*f%%", decimals, 100.0 * share);
  return buf;
}

std::string figure(const std::string& svg_element, const std::string& caption, bool wide) {
  return std::string("<figure class=\"chart-figure") + (wide ? " wide" : "") + "\">" + svg_element +
         (caption.empty() ? "" : "<figcaption>" + caption + "</figcaption>") + "</figure>\n";
}

std::string segment_label(const segment_profile& p) { return std::to_string(p.id) + " · " + p.name; }

std::string summary_section(const report_input& in) {
  const auto& r = in.outcome;
  const std::string file = std::filesystem::path(in.options.input).filename().string();
  std::string s = "<header>\n<h1>Customer segments of " + h(file) + "</h1>\n";
  s += "<p class=\"lead\">" + std::to_string(r.table.ledger.used) + " customers in " + std::to_string(r.seg.k) +
       " segments · " + h(r.seg.algorithm) + " · seed " + std::to_string(in.options.kmeans.seed) + "</p>\n";
  s += "<div class=\"why\"><strong>Why " + std::to_string(r.seg.k) + " segments?</strong> " + h(r.seg.reason) +
       "</div>\n";
  return s + "</header>\n";
}

std::string cards_section(const report_input& in) {
  std::string s = "<section id=\"segments\">\n<h2>The segments</h2>\n";
  s +=
      "<p class=\"note\">Each name comes from a documented rule over feature roles (spend, frequency, recency, income, "
      "age, …) and the reason gives the figures behind it. Key figures: segment mean vs all customers, and the "
      "difference in standard deviations (SD).</p>\n<div class=\"cards\">\n";
  for (size_t i = 0; i < in.outcome.profiles.size(); ++i) {
    const auto& p = in.outcome.profiles[i];
    s += "<article class=\"card\" style=\"--seg:" + segment_colour(p.id) + "\">";
    s += "<div class=\"id\">Segment " + std::to_string(p.id) + "</div><h3>" + h(p.name) + "</h3>";
    s += "<p class=\"size\"><strong>" + std::to_string(p.size) + "</strong> customers · " + pct(p.share) + "</p>";
    s += "<p class=\"reason\">" + h(p.reason) + "</p>";
    s += key_figures(p, silhouette_of(in, i));
    s += "</article>\n";
  }
  return s + "</div>\n</section>\n";
}

std::string sizes_section(const report_input& in) {
  const auto& profiles = in.outcome.profiles;
  bar_chart_spec sizes{.title = "Segment sizes",
                       .subtitle = "customers per segment and share of all customers",
                       .value_label = "customers",
                       .category_label = "segment"};
  for (const auto& p : profiles) {
    sizes.labels.push_back(segment_label(p));
    sizes.values.push_back(static_cast<double>(p.size));
    sizes.value_texts.push_back(std::to_string(p.size) + " · " + pct(p.share));
    sizes.colours.push_back(segment_colour(p.id));
  }
  std::string s = "<section id=\"sizes\">\n<h2>Sizes and how distinct each segment is</h2>\n<div class=\"charts\">\n";
  s += figure(bar_chart(sizes), "");
  const metrics::scores scores = in.outcome.seg.per_k.empty() ? metrics::scores{} : in.outcome.seg.chosen().scores;
  if (scores.silhouette_per_cluster.size() == profiles.size() && profiles.size() > 1) {
    bar_chart_spec sil{.title = "Silhouette per segment",
                       .subtitle = "−1 … 1: how much closer customers are to their own segment than to the next",
                       .value_label = "mean silhouette of the segment's customers",
                       .category_label = "segment",
                       .reference = scores.silhouette,
                       .reference_label = "all customers: " + compact_number(scores.silhouette),
                       .min_value = 0.0,
                       .max_value = 1.0};
    for (const auto& p : profiles) {
      const double v = scores.silhouette_per_cluster[static_cast<size_t>(p.id)];
      sil.labels.push_back(segment_label(p));
      sil.values.push_back(v);
      char buf[32];
      std::snprintf(buf, sizeof buf, "%.3f", v);
      sil.value_texts.push_back(std::isfinite(v) ? buf : "n/a");
      sil.colours.push_back(segment_colour(p.id));
    }
    std::string caption =
        "Segments with a low silhouette overlap their neighbours; their names describe a tendency "
        "rather than a clear-cut group.";
    if (scores.silhouette_sampled)
      caption += " Computed on a seeded sample of " + std::to_string(scores.silhouette_rows) + " customers.";
    s += figure(bar_chart(sil), h(caption));
  }
  return s + "</div>\n</section>\n";
}

namespace {

/// Feature rows shown in the heatmap and the profile table: all but constant ones (dropped before
/// clustering: they tell no segment apart), or on wide tables the `report_max_features` whose largest |z|
/// over the segments is largest (in input order), so the page stays readable and small; profile.csv keeps
/// every feature.
constexpr size_t report_max_features = 50;

std::vector<size_t> shown_features(const std::vector<segment_profile>& profiles) {
  std::vector<size_t> rows;
  for (size_t j = 0; j < profiles.front().features.size(); ++j)
    if (profiles.front().features[j].population_sd > 0) rows.push_back(j);
  const size_t d = rows.size();
  if (d <= report_max_features) return rows;
  std::vector<double> spread(profiles.front().features.size(), 0.0);
  for (const auto& p : profiles)
    for (size_t j : rows) spread[j] = std::max(spread[j], std::fabs(p.features[j].z));
  std::stable_sort(rows.begin(), rows.end(), [&](size_t a, size_t b) { return spread[a] > spread[b]; });
  rows.resize(report_max_features);
  std::sort(rows.begin(), rows.end());
  return rows;
}

std::string shown_note(const std::vector<segment_profile>& profiles, size_t shown) {
  size_t d = 0;  // constant features are never shown: not counted
  for (const auto& f : profiles.front().features) d += f.population_sd > 0;
  return shown < d ? " Showing the " + std::to_string(shown) + " of " + std::to_string(d) +
                         " features that differ most between segments; profile.csv has all of them."
                   : std::string();
}

}  // namespace

std::string heatmap_section(const report_input& in) {
  const auto& profiles = in.outcome.profiles;
  heatmap_spec spec{.title = "What sets the segments apart",
                    .subtitle = "standardised difference of each segment's mean from all customers",
                    .row_axis = "feature",
                    .column_axis = "segment"};
  if (profiles.empty()) return {};
  const std::vector<size_t> shown = shown_features(profiles);
  for (size_t j : shown) spec.row_labels.push_back(profiles.front().features[j].name);
  for (const auto& p : profiles) {
    spec.column_labels.push_back(segment_label(p));
    spec.column_colours.push_back(segment_colour(p.id));
  }
  spec.values.resize(spec.row_labels.size());
  spec.tips.resize(spec.row_labels.size());
  for (size_t r = 0; r < shown.size(); ++r) {
    for (const auto& p : profiles) {
      const auto& f = p.features[shown[r]];
      spec.values[r].push_back(f.z);
      spec.tips[r].push_back(segment_label(p) + " — " + f.name + ": " + value_text(f, f.mean) + " vs " +
                             value_text(f, f.population_mean) + " overall (" + signed_z(f.z) + " SD)");
    }
  }
  return "<section id=\"differences\">\n" +
         figure(heatmap(spec),
                "Read across a row to see which segments are above (red) or below (blue) average on a "
                "feature; read down a column for a segment's profile. For a category level the value is "
                "the difference in its share." + shown_note(profiles, shown.size()),
                true) +
         "</section>\n";
}

std::string scatter_section(const report_input& in) {
  const report_scatter& sc = in.scatter;
  scatter_spec spec{.title = "Customer map",
                    .subtitle = "each dot is a customer, coloured by segment",
                    .x_label = sc.x_label,
                    .y_label = sc.y_label,
                    .x = sc.x,
                    .y = sc.y,
                    .group = sc.segment,
                    .centre_x = sc.centre_x,
                    .centre_y = sc.centre_y};
  for (const auto& p : in.outcome.profiles)
    spec.group_names.push_back(segment_label(p) + " (" + std::to_string(p.size) + ")");
  for (size_t i = 0; i < sc.ids.size(); ++i)
    spec.tips.push_back(in.outcome.table.id_column + " " + sc.ids[i] + " · segment " + std::to_string(sc.segment[i]));
  std::string caption = sc.projection + " ";
  caption += static_cast<int64_t>(sc.x.size()) < sc.rows_total
                 ? "Showing a seeded random sample of " + std::to_string(sc.x.size()) + " of " +
                       std::to_string(sc.rows_total) + " customers."
                 : "Showing all " + std::to_string(sc.rows_total) + " customers.";
  caption += " Segments that overlap here may still be separated by dimensions the map does not show.";
  return "<section id=\"map\">\n" + figure(scatter_chart(spec), h(caption)) + "</section>\n";
}

std::string profile_table_section(const report_input& in) {
  const auto& profiles = in.outcome.profiles;
  if (profiles.empty()) return {};
  std::string s = "<section id=\"profiles\">\n<h2>Profiles in original units</h2>\n";
  const std::vector<size_t> shown = shown_features(profiles);
  s += "<p class=\"note\">Mean (median) per segment; category levels as the share of the segment's customers. The same "
       "figures are in profile.csv." + h(shown_note(profiles, shown.size())) + "</p>\n<div class=\"scroll\"><table class=\"data\"><thead><tr><th>feature</th><th "
       "class=\"num\">all customers</th>";
  for (const auto& p : profiles)
    s += "<th class=\"num\"><span class=\"swatch\" style=\"background:" + segment_colour(p.id) + "\"></span>" +
         h(segment_label(p)) + "</th>";
  s += "</tr></thead><tbody>";
  for (size_t j : shown) {
    const auto& f0 = profiles.front().features[j];
    s += "<tr><td>" + h(f0.name) + "</td><td class=\"num\">" + h(value_text(f0, f0.population_mean)) + "</td>";
    for (const auto& p : profiles) {
      const auto& f = p.features[j];
      s += "<td class=\"num\">" + h(value_text(f, f.mean)) +
           (f.kind == feature_kind::numeric && !f.yes_no ? " (" + h(format_value(f.median, f.name)) + ")" : std::string()) + "</td>";
    }
    s += "</tr>";
  }
  return s + "</tbody></table></div>\n</section>\n";
}

}  // namespace segmint::detail
