// The report's customer-value section (segmint run --value): value per segment and the holdout check.
#include <cstdio>

#include "charts.hpp"
#include "report_sections.hpp"

namespace segmint::detail {
namespace {

std::string fixed(double v, int decimals) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

std::string cell(const std::string& text) { return "<td class=\"num\">" + h(text) + "</td>"; }

/// The segment's label and colour as elsewhere in the report (by segment number).
const segment_profile* profile_of(const report_input& in, int segment) {
  for (const auto& p : in.outcome.profiles)
    if (p.id == segment) return &p;
  return nullptr;
}

std::string value_chart(const report_input& in, const value_outcome& v) {
  const bool spend = v.gamma_gamma.has_value();
  bar_chart_spec c{.title = spend ? "Mean customer lifetime value" : "Expected purchases per customer",
                   .subtitle = spend ? "per customer over the CLV months, with a 95% bootstrap interval"
                                     : "per customer in the next " + fixed(v.horizon, 0) + " days",
                   .value_label = spend ? "mean CLV" : "expected purchases per customer",
                   .category_label = "segment"};
  for (const auto& s : v.segments) {
    const segment_profile* p = profile_of(in, s.segment);
    c.labels.push_back(p ? segment_label(*p) : std::to_string(s.segment));
    const double per_customer = s.expected_purchases / static_cast<double>(s.customers);
    c.values.push_back(spend ? s.mean_clv : per_customer);
    c.value_texts.push_back(spend ? compact_number(s.mean_clv) + " [" + compact_number(s.mean_clv_low) + ", " +
                                        compact_number(s.mean_clv_high) + "]"
                                  : fixed(per_customer, 2));
    c.colours.push_back(segment_colour(s.segment));
  }
  return figure(bar_chart(c), "");
}

std::string alive_chart(const report_input& in, const value_outcome& v) {
  bar_chart_spec c{.title = "Mean P(alive)",
                   .subtitle = "the probability a customer has not yet left, by the " + v.model.name() + " model",
                   .value_label = "mean P(alive)",
                   .category_label = "segment",
                   .reference = v.mean_p_alive,
                   .reference_label = "all customers: " + fixed(v.mean_p_alive, 2),
                   .min_value = 0.0,
                   .max_value = 1.0};
  for (const auto& s : v.segments) {
    const segment_profile* p = profile_of(in, s.segment);
    c.labels.push_back(p ? segment_label(*p) : std::to_string(s.segment));
    c.values.push_back(s.mean_p_alive);
    c.value_texts.push_back(fixed(s.mean_p_alive, 2));
    c.colours.push_back(segment_colour(s.segment));
  }
  return figure(bar_chart(c), "");
}

/// lifetimes' calibration/holdout chart as paired bars: actual (dark) and expected (light) mean repeat
/// purchases in the holdout, per calibration frequency.
std::string holdout_chart(const holdout_check& h) {
  bar_chart_spec c{.title = "Holdout: actual against expected",
                   .subtitle = "mean repeat purchases " + h.calibration_end + " → " + h.holdout_end + ", by purchases before",
                   .value_label = "mean repeat purchases in the holdout",
                   .category_label = "repeat purchases in calibration",
                   .colour_legend = {{"#0072B2", legend_mark::square, "actual"}, {"#9ecae1", legend_mark::square, "expected by the model"}}};
  for (const auto& b : h.by_calibration_frequency) {
    c.labels.push_back(b.label + " · actual");
    c.values.push_back(b.actual_mean);
    c.value_texts.push_back(fixed(b.actual_mean, 2));
    c.colours.push_back("#0072B2");
    c.labels.push_back(b.label + " · expected");
    c.values.push_back(b.expected_mean);
    c.value_texts.push_back(fixed(b.expected_mean, 2));
    c.colours.push_back("#9ecae1");
  }
  return figure(bar_chart(c), "Customers who bought more often before the calibration end should buy more after it; where the "
                              "dark and light bars part, the model over- or under-predicts that group.");
}

std::string segment_table(const report_input& in, const value_outcome& v) {
  const bool spend = v.gamma_gamma.has_value();
  const bool holdout = v.holdout && !v.holdout->by_segment.empty();
  std::string s = "<div class=\"scroll\"><table class=\"data\"><thead><tr><th>segment</th><th class=\"num\">customers</th>"
                  "<th class=\"num\">mean P(alive)</th><th class=\"num\">median P(alive)</th><th class=\"num\">expected purchases</th>";
  if (spend) s += "<th class=\"num\">expected spend</th><th class=\"num\">total CLV</th><th class=\"num\">mean CLV [95%]</th>";
  if (holdout) s += "<th class=\"num\">holdout: actual per customer</th><th class=\"num\">expected</th>";
  s += "</tr></thead><tbody>";
  for (const auto& g : v.segments) {
    const segment_profile* p = profile_of(in, g.segment);
    s += "<tr><td>" + h(p ? segment_label(*p) : std::to_string(g.segment)) + "</td>" + cell(std::to_string(g.customers)) +
         cell(fixed(g.mean_p_alive, 3)) + cell(fixed(g.median_p_alive, 3)) + cell(fixed(g.expected_purchases, 1));
    if (spend)
      s += cell(compact_number(g.expected_spend)) + cell(compact_number(g.total_clv)) +
           cell(compact_number(g.mean_clv) + " [" + compact_number(g.mean_clv_low) + ", " + compact_number(g.mean_clv_high) + "]");
    if (holdout) {
      std::string actual = "", expected = "";
      for (const auto& b : v.holdout->by_segment)
        if (p && b.label == p->name) actual = fixed(b.actual_mean, 2), expected = fixed(b.expected_mean, 2);
      s += cell(actual) + cell(expected);
    }
    s += "</tr>";
  }
  return s + "</tbody></table></div>\n";
}

}  // namespace

std::string value_section(const report_input& in) {
  if (!in.outcome.value) return {};
  const value_outcome& v = *in.outcome.value;
  std::string params;
  for (const auto& [name, x] : v.model.named_parameters()) params += (params.empty() ? "" : ", ") + name + " = " + compact_number(x);
  std::string s = "<section id=\"value\">\n<h2>Customer value</h2>\n<p class=\"note\">" + h(v.model.name()) + " (" + h(params) +
                  ") fitted on " + std::to_string(v.customers) + " customers' purchase days through " + h(v.calibration_end) +
                  ". <strong>P(alive)</strong>: the chance a customer has not yet left; <strong>expected purchases</strong>: "
                  "repeat purchase days expected in the next " + fixed(v.horizon, 0) + " days, per segment in total";
  if (v.gamma_gamma)
    s += "; <strong>CLV</strong>: expected purchases × expected spend per purchase (Gamma-Gamma), month by month, discounted";
  s += ". The same figures per customer are in value.csv.</p>\n<div class=\"charts\">\n";
  s += value_chart(in, v) + alive_chart(in, v);
  if (v.holdout) s += holdout_chart(*v.holdout);
  s += "</div>\n" + segment_table(in, v);
  if (v.holdout)
    s += "<p class=\"note\">Holdout " + h(v.holdout->calibration_end) + " → " + h(v.holdout->holdout_end) + ": " +
         fixed(v.holdout->expected_total, 1) + " repeat purchase days expected, " + fixed(v.holdout->actual_total, 0) +
         " made; mean absolute error " + fixed(v.holdout->mean_absolute_error, 3) + " per customer.</p>\n";
  return s + "</section>\n";
}

}  // namespace segmint::detail
