// The report's SVG writer and charts: escaping, numbers, well-formedness, and the dendrogram on a
// hand-made SciPy linkage.
#include <gtest/gtest.h>

#include <cmath>

#include "../../host/report/charts.hpp"
#include "../../host/report/dendrogram.hpp"
#include "../../host/report/svg.hpp"
#include "../support/xml_check.hpp"
#include "segmint/error.hpp"

using namespace segmint;
using namespace segmint::detail;
using test::count_of;
using test::xml_problem;

namespace {

const std::string hostile = "<script>alert(1)</script>&\"'";
const std::string hostile_escaped = "&lt;script&gt;alert(1)&lt;/script&gt;&amp;&quot;&#39;";

void expect_well_formed(const std::string& doc) {
  const auto problem = xml_problem(doc);
  EXPECT_FALSE(problem.has_value()) << *problem << "\n" << doc.substr(0, 400);
}

TEST(XmlEscape, EscapesMarkupCharacters) {
  EXPECT_EQ(xml_escape(hostile), hostile_escaped);
  EXPECT_EQ(xml_escape("plain text"), "plain text");
  EXPECT_EQ(xml_escape(""), "");
}

TEST(XmlEscape, KeepsUtf8AndReplacesWhatXmlForbids) {
  EXPECT_EQ(xml_escape("Größe €"), "Größe €");
  EXPECT_EQ(xml_escape("a\x01"
                       "b"),
            "a\xEF\xBF\xBD"
            "b");                                                                 // control character
  EXPECT_EQ(xml_escape("x\xFFy"), "x\xEF\xBF\xBDy");                              // not UTF-8
  EXPECT_EQ(xml_escape("\xC3"), "\xEF\xBF\xBD");                                  // truncated sequence
  EXPECT_EQ(xml_escape("\xED\xA0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // a surrogate, byte by byte
  EXPECT_EQ(xml_escape("tab\tnewline\n"), "tab\tnewline\n");
}

TEST(SvgNum, ShortFiniteNumbers) {
  EXPECT_EQ(svg_num(1.0), "1");
  EXPECT_EQ(svg_num(1.234), "1.23");
  EXPECT_EQ(svg_num(1.5), "1.5");
  EXPECT_EQ(svg_num(-0.001), "0");
  EXPECT_EQ(svg_num(-2.5), "-2.5");
  EXPECT_EQ(svg_num(1e6), "1000000");
  EXPECT_EQ(svg_num(std::nan("")), "0");
  EXPECT_EQ(svg_num(INFINITY), "0");
}

TEST(Svg, ElementsAreWellFormedAndEscaped) {
  svg s(100, 50, hostile);
  s.rect(1, 2, 3, 4, {{"fill", "#fff"}, {"data-x", hostile}});
  s.line(0, 0, 10, 10);
  s.circle(5, 5, 2);
  s.circle_with_tip(5, 5, 2, hostile);
  s.polyline({{0, 0}, {1.25, 2.5}});
  s.path("M0 0L1 1Z");
  s.rect(0, 0, -5, 1);
  s.open_group({{"class", "g"}}).tip(hostile).text(1, 2, hostile);  // left open: str() closes it
  const std::string out = s.str();
  expect_well_formed(out);
  EXPECT_EQ(out.find("<script"), std::string::npos);
  EXPECT_EQ(count_of(out, hostile_escaped), 5u);
  EXPECT_NE(out.find("viewBox=\"0 0 100 50\""), std::string::npos);
  EXPECT_NE(out.find("points=\"0,0 1.25,2.5\""), std::string::npos);
  EXPECT_NE(out.find("width=\"0\""), std::string::npos) << "negative sizes are clamped";
}

TEST(Charts, NiceTicksAndLabels) {
  EXPECT_EQ(nice_ticks(0, 10, 5), (std::vector<double>{0, 2, 4, 6, 8, 10}));
  const auto t = nice_ticks(0.3, 0.56, 4);
  ASSERT_EQ(t.size(), 3u);
  for (size_t i = 0; i < t.size(); ++i) EXPECT_NEAR(t[i], 0.3 + 0.1 * static_cast<double>(i), 1e-12);
  EXPECT_EQ(nice_ticks(-1, 1, 4), (std::vector<double>{-1, -0.5, 0, 0.5, 1}));
  EXPECT_EQ(nice_ticks(5, 5), (std::vector<double>{5}));
  EXPECT_TRUE(nice_ticks(0, NAN).empty());
  EXPECT_EQ(tick_label(0.25, {0, 0.25, 0.5}), "0.25");
  EXPECT_EQ(tick_label(2.5, {0, 2.5, 5}), "2.5");
  EXPECT_EQ(tick_label(1500000, {0, 500000, 1000000}), "1,500,000");
}

TEST(Charts, DivergingColoursAreSymmetricAndSaturate) {
  EXPECT_EQ(diverging_colour(0, 2), "#F7F7F7");
  EXPECT_EQ(diverging_colour(-2, 2), "#2166AC");
  EXPECT_EQ(diverging_colour(2, 2), "#B2182B");
  EXPECT_EQ(diverging_colour(9, 2), "#B2182B");
  EXPECT_EQ(diverging_colour(NAN, 2), "#FFFFFF");
  EXPECT_NE(segment_colour(0), segment_colour(1));
  EXPECT_EQ(segment_colour(0), segment_colour(16));
}

TEST(Charts, ScoreChartMarksChosenAndElbowAndSkipsNaN) {
  score_chart_spec spec{.title = hostile,
                        .subtitle = "lower is better",
                        .y_label = "inertia",
                        .series_label = "inertia",
                        .k = {2, 3, 4, 5},
                        .value = {10, 6, NAN, 3},
                        .chosen_k = 3,
                        .marked_k = 4,
                        .marked_label = "elbow"};
  const std::string out = score_chart(spec);
  expect_well_formed(out);
  EXPECT_EQ(count_of(out, "<circle"), 3u + 1u + 1u) << "3 finite points, the chosen ring, the legend ring";
  EXPECT_NE(out.find("chosen k = 3"), std::string::npos);
  EXPECT_NE(out.find("elbow (k = 4)"), std::string::npos);
  EXPECT_EQ(out.find("<script"), std::string::npos);
}

TEST(Charts, BarChartWithNegativeValues) {
  bar_chart_spec spec{.title = "Silhouette",
                      .value_label = "silhouette",
                      .category_label = "segment",
                      .labels = {hostile, "b"},
                      .values = {-0.2, 0.7},
                      .value_texts = {"-0.200", "0.700"},
                      .reference = 0.4,
                      .reference_label = "mean"};
  const std::string out = bar_chart(spec);
  expect_well_formed(out);
  EXPECT_EQ(count_of(out, "<g class=\"bar\">"), 2u);
  EXPECT_NE(out.find(hostile_escaped), std::string::npos);
}

TEST(Charts, HeatmapPrintsEveryValue) {
  heatmap_spec spec{.title = "Heat",
                    .row_axis = "feature",
                    .column_axis = "segment",
                    .row_labels = {hostile, "income"},
                    .column_labels = {"0 · A", "1 · B", "2 · C"},
                    .values = {{1.234, -0.04, NAN}, {3, -3, 0}}};
  const std::string out = heatmap(spec);
  expect_well_formed(out);
  EXPECT_EQ(count_of(out, "<g class=\"cell\">"), 6u);
  for (const char* v : {">+1.2<", ">+0.0<", ">–<", ">+3.0<", ">-3.0<"}) EXPECT_NE(out.find(v), std::string::npos) << v;
}

TEST(Charts, ScatterDrawsPointsPerGroupAndCentres) {
  scatter_spec spec{.title = "Map",
                    .x_label = "PC1",
                    .y_label = "PC2",
                    .x = {0, 1, 2, 3},
                    .y = {0, 1, 0, NAN},
                    .group = {0, 1, 1, 0},
                    .tips = {"id <1>", "id 2", "id 3", "id 4"},
                    .centre_x = {0, 1.5},
                    .centre_y = {0, 0.5},
                    .group_names = {"0 · A", hostile}};
  const std::string out = scatter_chart(spec);
  expect_well_formed(out);
  EXPECT_EQ(count_of(out, "<g class=\"points\""), 2u);
  EXPECT_EQ(count_of(out, "<g class=\"centre\">"), 2u);
  EXPECT_NE(out.find("id &lt;1&gt;"), std::string::npos);
  EXPECT_EQ(count_of(out, "<title>id "), 3u) << "the NaN point is left out";
}

// Six observations on a line: 0,1 merge at 1; 2,3 at 1.5; 4,5 at 2; (0,1)+(2,3) at 4; all at 9.
// Clusters: 6 = {0,1}, 7 = {2,3}, 8 = {4,5}, 9 = {0,1,2,3}, 10 = root.
const std::vector<linkage_step> six = {{0, 1, 1.0, 2}, {2, 3, 1.5, 2}, {4, 5, 2.0, 2}, {6, 7, 4.0, 4}, {9, 8, 9.0, 6}};

TEST(Dendrogram, WholeTreeWithCut) {
  const std::string out = dendrogram_svg({.linkage = six, .cut_k = 2, .title = hostile});
  expect_well_formed(out);
  EXPECT_EQ(count_of(out, " d=\"M"), 5u) << "one U per merge";
  EXPECT_EQ(count_of(out, ">(1)<"), 6u) << "six single-observation leaves";
  EXPECT_NE(out.find("cut → 2 segments"), std::string::npos);
  EXPECT_NE(out.find(hostile_escaped), std::string::npos);
  // Below the cut (4 merges) the subtrees take two colours; the root merge is grey.
  EXPECT_EQ(count_of(out, "stroke=\"#555555\""), 1u + 1u) << "root merge and its legend line";
  EXPECT_GE(count_of(out, "stroke=\"" + segment_colour(0) + "\""), 3u);
  EXPECT_GE(count_of(out, "stroke=\"" + segment_colour(1) + "\""), 1u);
}

TEST(Dendrogram, TruncatedToTheLastMergesLikeScipyLastp) {
  const std::string out = dendrogram_svg({.linkage = six, .cut_k = 3, .max_leaves = 3});
  expect_well_formed(out);
  EXPECT_EQ(count_of(out, " d=\"M"), 2u) << "p = 3 leaves: the last 2 merges";
  EXPECT_EQ(count_of(out, ">(2)<"), 3u) << "leaves are the clusters {0,1}, {2,3}, {4,5}";
}

TEST(Dendrogram, ColoursFollowTheSegmentsWhenGiven) {
  const std::vector<int32_t> seg = {1, 1, 1, 1, 0, 0};
  const std::string out = dendrogram_svg({.linkage = six, .cut_k = 2, .observation_segment = seg});
  // {4,5} is segment 0: its merge is drawn in segment 0's colour; {0..3} in segment 1's (3 merges).
  EXPECT_EQ(count_of(out, " d=\"M"), 5u);
  EXPECT_EQ(count_of(out, "stroke=\"" + segment_colour(1) + "\" stroke-width=\"2\""), 3u);
}

TEST(Dendrogram, RejectsInvalidLinkage) {
  EXPECT_THROW(dendrogram_svg({}), segmint::error);
  EXPECT_THROW(dendrogram_svg({.linkage = {{0, 5, 1.0, 2}}}), segmint::error) << "cluster 5 does not exist";
  EXPECT_THROW(dendrogram_svg({.linkage = {{0, 1, 1.0, 2}, {0, 2, 2.0, 2}}}), segmint::error) << "0 merged twice";
  EXPECT_THROW(dendrogram_svg({.linkage = {{0, 1, 2.0, 2}, {3, 2, 1.0, 3}}}), segmint::error) << "heights decrease";
  EXPECT_THROW(dendrogram_svg({.linkage = {{0, 1, NAN, 2}}}), segmint::error);
}

TEST(XmlCheck, CatchesTheMistakesItIsFor) {
  EXPECT_FALSE(xml_problem("<!DOCTYPE html>\n<a><b x=\"1\"/>t &amp; &#39; &#x27;</a>\n").has_value());
  EXPECT_TRUE(xml_problem("<a><b></a></b>").has_value());
  EXPECT_TRUE(xml_problem("<a>x < y</a>").has_value());
  EXPECT_TRUE(xml_problem("<a>fish & chips</a>").has_value());
  EXPECT_TRUE(xml_problem("<a x=1></a>").has_value());
  EXPECT_TRUE(xml_problem("<a x=\"1\" x=\"2\"></a>").has_value());
  EXPECT_TRUE(xml_problem("<a>&nbsp;</a>").has_value());
  EXPECT_TRUE(xml_problem("<a></a><b></b>").has_value());
  EXPECT_TRUE(xml_problem("<a>\xFF</a>").has_value());
  EXPECT_TRUE(xml_problem("<a>").has_value());
}

}  // namespace
