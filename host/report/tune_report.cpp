#include "tune_report.hpp"

#include <cmath>
#include <cstdio>

#include "charts.hpp"
#include "report.hpp"
#include "report_sections.hpp"
#include "segmint/version.hpp"
#include "../io/printf_number.hpp"

namespace segmint::detail {
namespace {

std::string num(double v, const char* f = "%.3f") { return std::isnan(v) ? "–" : printf_number(v, f); }

std::string recommendation_section(const tune::outcome& t) {
  const auto& r = t.recommended;
  std::string s = "<section id=\"recommendation\">\n<h2>Recommendation</h2>\n";
  s += r.structure ? "<p class=\"lead\"><strong>" + h(tune::describe(r.config)) + ", k = " + std::to_string(r.k) + "</strong></p>\n"
                   : "<p class=\"lead\"><strong>No cluster structure found (k = 1)</strong></p>\n";
  s += "<ul>\n";
  for (const auto& reason : r.reasons) s += "<li>" + h(reason) + "</li>\n";
  s += "</ul>\n";
  if (!r.runners_up.empty()) {
    s += "<h3>Runners-up</h3>\n<ol>\n";
    for (const auto& u : r.runners_up) s += "<li>" + h(u) + "</li>\n";
    s += "</ol>\n";
  }
  if (r.structure) {
    char pca[32];
    std::snprintf(pca, sizeof pca, "%g", r.config.prep.pca);
    s += "<p class=\"note\">Run it: <code>segmint run INPUT --config DIR/tune.json --out DIR2</code> (the same as <code>--algo " +
         std::string(algorithm_name(r.config.algo)) + " --k " + std::to_string(r.k) + " --log " + (r.config.prep.log ? "auto" : "none") +
         (r.config.prep.pca > 0 ? std::string(" --pca ") + pca : std::string()) +
         (r.config.algo == algorithm::gmm ? " --covariance " + std::string(gmm::to_string(r.config.covariance)) : std::string()) +
         " --seed " + std::to_string(r.seed) + "</code>).</p>\n";
  }
  return s + "</section>\n";
}

std::string table_section(const tune::outcome& t) {
  std::string s = "<section id=\"configurations\">\n<h2>Every configuration</h2>\n"
                  "<p class=\"note\">Each configuration's own k: the stable k (mean ARI ≥ 0.75, no segment's Jaccard ≤ 0.5) that "
                  "most indices choose. Configurations are ranked by the mean of stability, the weakest segment's Jaccard and seed "
                  "agreement.</p>\n<table class=\"data\">\n<thead><tr><th>configuration</th><th>k</th><th>stability</th>"
                  "<th>weakest Jaccard</th><th>seed agreement</th><th>silhouette</th><th>why</th></tr></thead>\n<tbody>\n";
  for (const auto& c : t.configurations) {
    const tune::k_scores* b = nullptr;
    for (const auto& k : c.per_k)
      if (k.k == c.best_k) b = &k;
    s += "<tr><td>" + h(tune::describe(c.config)) + "</td><td>" + std::to_string(c.best_k) + "</td>";
    if (b != nullptr && c.best_k >= 2)
      s += "<td>" + num(b->stability, "%.2f") + "</td><td>" + num(b->min_jaccard, "%.2f") + "</td><td>" + num(b->seed_agreement, "%.2f") +
           "</td><td>" + num(b->silhouette) + "</td>";
    else
      s += "<td>–</td><td>–</td><td>–</td><td>–</td>";
    s += "<td>" + h(c.best_k_reason) + "</td></tr>\n";
  }
  return s + "</tbody>\n</table>\n</section>\n";
}

std::string curves_section(const tune::outcome& t) {
  std::string s = "<section id=\"curves\">\n<h2>Scores against k</h2>\n<h3>Gap statistic (K-Means, per preprocessing)</h3>\n"
                  "<div class=\"charts\">\n";
  for (const auto& g : t.gaps) {
    tune::configuration c;
    c.prep = g.prep;
    std::string prep = tune::describe(c);
    prep = prep.substr(prep.find(", ") + 2);
    s += "<figure class=\"chart-figure\">" +
         score_chart({"Gap statistic – " + prep, "the 1-SE rule's k is marked; k = 1 means no structure", "gap", "gap", g.k, g.gap,
                      g.k_one_se, std::nullopt, "", "#0072B2"}) +
         "</figure>\n";
  }
  s += "</div>\n";
  for (const auto& c : t.configurations) {
    std::vector<int> ks;
    std::vector<double> stability, silhouette;
    for (const auto& k : c.per_k) {
      ks.push_back(k.k);
      stability.push_back(k.stability);
      silhouette.push_back(k.silhouette);
    }
    s += "<h3>" + h(tune::describe(c.config)) + "</h3>\n<div class=\"charts\">\n";
    s += "<figure class=\"chart-figure\">" +
         score_chart({"Stability", "mean ARI of refits on 80% subsets; ≥ 0.75 is stable", "mean ARI", "stability", ks, stability,
                      c.best_k, std::nullopt, "", "#009E73"}) +
         "</figure>\n";
    s += "<figure class=\"chart-figure\">" +
         score_chart({"Silhouette", "higher is better", "mean silhouette", "silhouette", ks, silhouette, c.best_k, std::nullopt, "",
                      "#D55E00"}) +
         "</figure>\n</div>\n";
  }
  return s + "</section>\n";
}

}  // namespace

std::string render_tune_report(const tune_options& o, const tune_run_outcome& r) {
  const std::string source = o.inputs.empty() ? std::string("the transaction log") : o.inputs.front();
  std::string html = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n";
  html +=
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src "
      "data:\"/>\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n";
  html += "<title>Tuning " + h(source) + " – segmint</title>\n<style>" + std::string(report_stylesheet()) + "</style>\n</head>\n<body>\n<main>\n";
  html += "<h1>Tuning the segmentation of " + h(source) + "</h1>\n<p class=\"note\">" + std::to_string(r.search.rows) + " customers, " +
          std::to_string(r.search.features) + " features; " + std::to_string(r.search.configurations.size()) + " of " +
          std::to_string(r.search.configurations_planned) + " configurations searched over k = " + std::to_string(o.search.k_min) + ".." +
          std::to_string(o.search.k_max) + ", " + std::to_string(o.search.resamples) + " resamples each.</p>\n";
  html += "<nav><a href=\"#recommendation\">Recommendation</a><a href=\"#configurations\">Every configuration</a>"
          "<a href=\"#curves\">Scores against k</a></nav>\n";
  html += recommendation_section(r.search);
  html += table_section(r.search);
  html += curves_section(r.search);
  if (!r.warnings.empty()) {
    html += "<section id=\"warnings\">\n<h2>Warnings</h2>\n<ul>\n";
    for (const auto& w : r.warnings) html += "<li>" + h(w) + "</li>\n";
    html += "</ul>\n</section>\n";
  }
  html += "<footer>Generated by segmint " + h(version_string()) + ".</footer>\n</main>\n</body>\n</html>\n";
  return html;
}

}  // namespace segmint::detail
