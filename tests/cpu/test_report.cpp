// render_report on a hand-made run: the hooks other algorithms use (GMM's BIC/AIC in per-k extras, Ward's
// dendrogram) show up, and a result without per-k scores still renders.
#include <gtest/gtest.h>

#include "../../host/report/report.hpp"
#include "../support/xml_check.hpp"
#include "segmint/naming.hpp"

using namespace segmint;
using namespace segmint::detail;
using test::count_of;

namespace {

struct fixture {
  run_options options;
  run_outcome outcome;
  report_scatter scatter;

  fixture() {
    options.input = "customers.csv";
    options.kmeans.seed = 7;
    auto& r = outcome;
    r.backend = "cpu";
    r.device = "test CPU";
    r.table.id_column = "id";
    r.table.ids = {"a", "b", "c", "d", "e", "f"};
    r.table.features = {{"monetary_total", "monetary_total"}, {"frequency", "frequency"}};
    r.table.values = matrix(6, 2);
    const float spend[] = {10, 12, 11, 50, 55, 52};
    const float freq[] = {1, 2, 1, 9, 8, 9};
    for (int64_t i = 0; i < 6; ++i) r.table.values(i, 0) = spend[i], r.table.values(i, 1) = freq[i];
    r.table.ledger.read = r.table.ledger.used = 6;
    r.seg.algorithm = "gmm";
    r.seg.k = 2;
    r.seg.labels = {0, 0, 0, 1, 1, 1};
    r.seg.rule = "lowest BIC";
    r.seg.reason = "k = 2 has the lowest BIC of k = 2..3.";
    r.seg.centres = matrix(2, 2);
    for (int k : {2, 3}) {
      candidate_score c;
      c.k = k;
      c.inertia = 10.0 / k;
      c.scores.silhouette = 0.5;
      c.scores.silhouette_per_cluster = std::vector<double>(static_cast<size_t>(k), 0.5);
      c.extra = {{"bic", 100.0 + k}, {"aic", 90.0 + k}};
      r.seg.per_k.push_back(c);
    }
    r.profiles = profile_segments(r.table, r.seg.labels, 2);
    r.roles = assign_roles(r.table.features, {});
    name_segments(r.profiles, r.roles);
    r.timings = {{"read", 0.5}};
    scatter.x = {0, 1, 2, 3, 4, 5};
    scatter.y = {0, 1, 0, 1, 0, 1};
    scatter.segment = r.seg.labels;
    scatter.ids = r.table.ids;
    scatter.centre_x = {1, 4};
    scatter.centre_y = {0.5, 0.5};
    scatter.x_label = "PC1";
    scatter.y_label = "PC2";
    scatter.rows_total = 6;
  }
};

TEST(ReportDocument, GmmScoresFromExtrasAreCharted) {
  fixture f;
  const std::string html = render_report({f.options, f.outcome, f.scatter, std::nullopt});
  const auto problem = test::xml_problem(html);
  ASSERT_FALSE(problem.has_value()) << *problem;
  EXPECT_NE(html.find("<title>BIC (Bayesian information criterion)</title>"), std::string::npos);
  EXPECT_NE(html.find("<title>AIC (Akaike information criterion)</title>"), std::string::npos);
  EXPECT_NE(html.find("<th class=\"num\">bic</th>"), std::string::npos);
  EXPECT_EQ(html.find("id=\"hierarchy\""), std::string::npos);
  EXPECT_NE(html.find("Loyal high spenders"), std::string::npos) << "the RFM-style columns are recognised";
}

TEST(ReportDocument, WardDendrogramHook) {
  fixture f;
  f.outcome.seg.algorithm = "ward";
  // SciPy order: {0,1} → 6, {3,4} → 7, {5,7} → 8, {2,6} → 9, root.
  const dendrogram_spec d{.linkage = {{0, 1, 1.0, 2}, {3, 4, 1.0, 2}, {5, 7, 1.2, 3}, {2, 6, 1.5, 3}, {9, 8, 8.0, 6}},
                          .cut_k = 2,
                          .observation_segment = f.outcome.seg.labels};
  const std::string html = render_report({f.options, f.outcome, f.scatter, d});
  const auto problem = test::xml_problem(html);
  ASSERT_FALSE(problem.has_value()) << *problem;
  EXPECT_NE(html.find("id=\"hierarchy\""), std::string::npos);
  EXPECT_NE(html.find("href=\"#hierarchy\""), std::string::npos);
  EXPECT_NE(html.find("cut → 2 segments"), std::string::npos);
}

TEST(ReportDocument, RendersWithoutPerKScores) {
  fixture f;
  f.outcome.seg.per_k.clear();
  const std::string html = render_report({f.options, f.outcome, f.scatter, std::nullopt});
  EXPECT_FALSE(test::xml_problem(html).has_value());
  EXPECT_EQ(count_of(html, "<title>Silhouette per segment</title>"), 0u);
}

}  // namespace
