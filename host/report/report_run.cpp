// Report sections about the run: the choice of k, the Ward hierarchy hook, and the run facts.
#include <cmath>
#include <cstdio>
#include <map>

#include "../algo/naming_text.hpp"
#include "charts.hpp"
#include "report_sections.hpp"
#include "segmint/version.hpp"

namespace segmint::detail {
namespace {

struct score_def {
  std::string key;
  std::string title;
  std::string subtitle;
  std::string colour;
};

/// Extra per-k scores from the algorithm (GMM: "bic", "aic", ...): known names get a title and direction.
score_def extra_def(const std::string& key) {
  static const std::map<std::string, score_def> known = {
      {"bic", {"bic", "BIC (Bayesian information criterion)", "lower is better", "#CC79A7"}},
      {"aic", {"aic", "AIC (Akaike information criterion)", "lower is better", "#882255"}},
      {"log_likelihood", {"log_likelihood", "Log-likelihood", "higher is better (always grows with k)", "#44AA99"}}};
  const auto it = known.find(key);
  return it != known.end() ? it->second : score_def{key, key, "", "#117733"};
}

std::string cell(double v) { return "<td class=\"num\">" + h(compact_number(v)) + "</td>"; }

std::string fact(const std::string& name, const std::string& value_html) {
  return "<dt>" + h(name) + "</dt><dd>" + value_html + "</dd>";
}

std::string joined(const std::vector<std::string>& items) {
  std::string s;
  for (const auto& i : items) s += (s.empty() ? "" : ", ") + i;
  return s.empty() ? "none" : s;
}

std::string roles_text(const std::vector<role_assignment>& roles) {
  std::map<std::string, std::vector<std::string>> by_role;
  for (const auto& r : roles)
    by_role[std::string(role_name(r.role))].push_back(r.feature + (r.inverted ? " (inverted)" : "") +
                                                      (r.from_option ? " (--role)" : ""));
  std::string s;
  for (const auto& [role, features] : by_role) s += (s.empty() ? "" : "; ") + role + ": " + joined(features);
  return s.empty() ? "none recognised (names are built from the driving features)" : s;
}

}  // namespace

std::string choice_of_k_section(const report_input& in) {
  const auto& seg = in.outcome.seg;
  std::string s = "<section id=\"choice-of-k\">\n<h2>Choice of k</h2>\n";
  s += "<p class=\"note\"><strong>Rule:</strong> " + h(seg.rule) +
       ". <strong>Chosen:</strong> k = " + std::to_string(seg.k) + ". " + h(seg.reason) + "</p>\n";
  std::vector<int> ks;
  for (const auto& c : seg.per_k) ks.push_back(c.k);
  std::vector<std::string> extras;
  for (const auto& c : seg.per_k)
    for (const auto& [key, value] : c.extra)
      if (std::find(extras.begin(), extras.end(), key) == extras.end()) extras.push_back(key);
  if (seg.per_k.size() > 1) {
    auto series = [&](auto get) {
      std::vector<double> v;
      for (const auto& c : seg.per_k) v.push_back(get(c));
      return v;
    };
    std::vector<score_chart_spec> charts;
    charts.push_back({"Inertia (elbow)", "lower is better; past the elbow more segments gain little",
                      "inertia (within-segment sum of squares)", "inertia", ks,
                      series([](const candidate_score& c) { return c.inertia; }), seg.k, seg.elbow_k, "elbow",
                      "#0072B2"});
    charts.push_back({"Silhouette", "higher is better: segments are compact and well apart", "mean silhouette",
                      "silhouette", ks, series([](const candidate_score& c) { return c.scores.silhouette; }), seg.k,
                      std::nullopt, "", "#E69F00"});
    charts.push_back({"Calinski–Harabasz", "higher is better: spread between vs within segments",
                      "Calinski–Harabasz index", "Calinski–Harabasz", ks,
                      series([](const candidate_score& c) { return c.scores.calinski_harabasz; }), seg.k, std::nullopt,
                      "", "#009E73"});
    charts.push_back({"Davies–Bouldin", "lower is better: similarity to the closest segment", "Davies–Bouldin index",
                      "Davies–Bouldin", ks, series([](const candidate_score& c) { return c.scores.davies_bouldin; }),
                      seg.k, std::nullopt, "", "#D55E00"});
    for (const auto& key : extras) {
      const score_def d = extra_def(key);
      charts.push_back({d.title, d.subtitle, d.title, key, ks, series([&](const candidate_score& c) {
                          const auto it = c.extra.find(key);
                          return it == c.extra.end() ? std::nan("") : it->second;
                        }),
                        seg.k, std::nullopt, "", d.colour});
    }
    s += "<div class=\"charts\">\n";
    for (const auto& c : charts) s += "<figure class=\"chart-figure\">" + score_chart(c) + "</figure>\n";
    s += "</div>\n";
  } else {
    s += "<p class=\"note\">k was fixed at " + std::to_string(seg.k) +
         " (no range was given), so there is no choice to chart.</p>\n";
  }
  s += "<div class=\"scroll\"><table class=\"data\"><thead><tr><th class=\"num\">k</th><th class=\"num\">inertia</th>"
       "<th class=\"num\">silhouette</th><th class=\"num\">Calinski–Harabasz</th><th class=\"num\">Davies–Bouldin</th>";
  for (const auto& key : extras) s += "<th class=\"num\">" + h(key) + "</th>";
  s += "<th class=\"num\">iterations</th><th>converged</th></tr></thead><tbody>";
  for (const auto& c : seg.per_k) {
    s += std::string("<tr") + (c.k == seg.k ? " class=\"chosen\"" : "") + "><td class=\"num\">" + std::to_string(c.k) +
         (c.k == seg.k ? " (chosen)" : "") + (seg.elbow_k && *seg.elbow_k == c.k ? " (elbow)" : "") + "</td>" +
         cell(c.inertia) + cell(c.scores.silhouette) + cell(c.scores.calinski_harabasz) + cell(c.scores.davies_bouldin);
    for (const auto& key : extras) {
      const auto it = c.extra.find(key);
      s += cell(it == c.extra.end() ? std::nan("") : it->second);
    }
    s +=
        "<td class=\"num\">" + std::to_string(c.iterations) + "</td><td>" + (c.converged ? "yes" : "no") + "</td></tr>";
  }
  return s + "</tbody></table></div>\n</section>\n";
}

std::string dendrogram_section(const report_input& in) {
  if (!in.dendrogram) return {};
  return "<section id=\"hierarchy\">\n<figure class=\"chart-figure\">" + dendrogram_svg(*in.dendrogram) +
         "<figcaption>Ward merges clusters bottom-up; cutting the tree at the dashed line gives the "
         "segments.</figcaption>"
         "</figure>\n</section>\n";
}

std::string run_facts_section(const report_input& in) {
  const auto& r = in.outcome;
  const auto& t = r.table;
  std::string rejected = std::to_string(t.ledger.rejected_total());
  if (!t.ledger.rejected.empty()) {
    std::vector<std::string> reasons;
    for (const auto& [reason, count] : t.ledger.rejected) reasons.push_back(reason + ": " + std::to_string(count));
    rejected += " (" + joined(reasons) + ")";
  }
  std::vector<std::string> imputed;
  for (const auto& f : t.features)
    if (f.kind == feature_kind::numeric && f.imputed > 0)
      imputed.push_back(f.name + ": " + std::to_string(f.imputed) + " (median " + format_value(f.impute_value) + ")");
  std::vector<std::string> logged;
  for (const auto& c : r.preprocess.columns)
    if (c.log1p) logged.push_back(c.name);
  std::string pca_text = "not used";
  if (r.preprocess.pca) {
    double total = 0;
    for (double v : r.preprocess.pca->explained_variance_ratio) total += v;
    pca_text = std::to_string(r.preprocess.pca->components.cols()) + " components, " + pct(total) + " of the variance";
  }
  std::vector<std::string> facts;
  for (const auto& [name, value] : r.seg.facts) facts.push_back(name + " = " + compact_number(value));
  // A long run of file arguments (305 daily transaction files) is shortened to its ends; run.json has all.
  std::string cmd;
  const auto& args = in.options.command_line;
  for (size_t i = 0; i < args.size();) {
    size_t end = i;
    while (end < args.size() && (args[end].empty() || args[end][0] != '-')) ++end;
    if (end - i > 4) {
      cmd += (cmd.empty() ? "" : " ") + args[i] + " " + args[i + 1] + " … (" + std::to_string(end - i - 3) +
             " more) … " + args[end - 1];
      i = end;
    } else {
      cmd += (cmd.empty() ? "" : " ") + args[i];
      ++i;
    }
  }

  std::string s = "<section id=\"run\">\n<h2>Run facts</h2>\n<dl class=\"facts\">";
  s += fact("Input file", h(in.options.input));
  for (const auto& j : t.joins)
    s += fact("Joined by id", h(j.file + ": " + std::to_string(j.matched) + " of " + std::to_string(j.rows_read) + " rows matched, " +
                                 std::to_string(j.not_in_base) + " not in the input; " + std::to_string(j.customers_without_row) +
                                 " customers without a row there; columns " + joined(j.columns)));
  s += fact("Rows", h(std::to_string(t.ledger.read) + " read, " + std::to_string(t.ledger.used) + " used, " + rejected +
                      " rejected; " + std::to_string(t.blank_lines) + " blank lines skipped"));
  s += fact("Customer id", h(t.id_generated ? "row numbers (no id column)" : t.id_column));
  s += fact("Features", h(std::to_string(t.features.size()) + ": " + joined(t.feature_names())));
  s += fact("Columns not used", h(joined(t.skipped_columns)));
  s += fact("Missing values imputed", h(joined(imputed)));
  s += fact("Constant columns dropped", h(joined(r.preprocess.dropped_constant)));
  s += fact("log1p applied to", h(joined(logged)));
  s += fact("Standardised", in.options.preprocess.standardize ? "yes (z-score)" : "no");
  s += fact("PCA", h(pca_text));
  s += fact("Feature roles (for names)", h(roles_text(r.roles)));
  s += fact("Algorithm", h(r.seg.algorithm + (facts.empty() ? "" : " (" + joined(facts) + ")")));
  s += fact("Backend and device", h(r.backend + ", " + r.device));
  s += fact("segmint version", h(version_string()));
  s += fact("Seed", std::to_string(in.options.kmeans.seed));
  if (!cmd.empty()) s += fact("Command", "<code>" + h(cmd) + "</code>");
  s += "</dl>\n";
  if (!r.warnings.empty()) {
    s += "<h3>Warnings</h3><ul class=\"warnings\">";
    for (const auto& w : r.warnings) s += "<li>" + h(w) + "</li>";
    s += "</ul>\n";
  }
  // Timings differ from run to run; they are kept in one element so that everything else is comparable.
  s += "<h3>Timings per stage</h3><table class=\"data\"><thead><tr><th>stage</th><th "
       "class=\"num\">seconds</th></tr></thead><tbody id=\"timings\">";
  for (const auto& [stage, secs] : r.timings) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.3f", secs);
    s += "<tr><td>" + h(stage) + "</td><td class=\"num\">" + buf + "</td></tr>";
  }
  return s + "</tbody></table>\n</section>\n";
}

}  // namespace segmint::detail
