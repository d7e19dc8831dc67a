// Real customer data used as a marketer would, with defaults (issue "Real customer data"): the McDonald's
// survey, Mall with its gender column, wholesale code columns, the marketing-campaign table.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <sstream>

#include "../support/test_support.hpp"
#include "segmint/metrics.hpp"

using namespace segmint;
using test::run_cli;

namespace {

const std::string mcdonalds = test::example("mcdonalds/mcdonalds.csv").string();
const std::string mall = test::example("mall_customers/Mall_Customers.csv").string();
const std::string wholesale = test::example("wholesale_customers/wholesale_customers.csv").string();
const std::string marketing = test::example("marketing_campaign/marketing_campaign.csv").string();

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

/// The segment column of a segments.csv.
std::vector<int32_t> labels_in(const std::string& segments_csv) {
  std::vector<int32_t> labels;
  for (double v : test::numeric_column(segments_csv, "segment")) labels.push_back(static_cast<int32_t>(v));
  return labels;
}

TEST(SurveyCli, McDonaldsDefaultsUseEveryAnswerAndNameSegmentsByThem) {
  const std::vector<std::string> attributes = {"yummy", "convenient", "spicy",     "fattening", "greasy",    "fast",
                                               "cheap", "tasty",      "expensive", "healthy",   "disgusting"};
  for (const char* k : {"2..10", "4"}) {  // the default range, and the MSA book's four segments
    test::temp_dir t;
    const auto r = run_cli({"run", mcdonalds, "--out", t.file("out"), "--k", k});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_NE(r.err.find("not used: Gender (text"), std::string::npos) << r.err;
    const auto run = test::load_json(t.path() / "out" / "run.json");
    std::vector<std::string> expected = attributes;
    for (const char* c : {"Like", "Age", "VisitFrequency"}) expected.emplace_back(c);
    EXPECT_EQ(run["columns"]["features"].get<std::vector<std::string>>(), expected);
    EXPECT_EQ(run["columns"]["text_scales"]["Like"]["answers"]["I love it!+5"], 5.0);
    EXPECT_EQ(run["columns"]["text_scales"]["VisitFrequency"]["answers"]["More than once a week"], 5.0);
    EXPECT_EQ(run["columns"]["text_scales"]["yummy"]["rule"], "yes/no");
    // Each name says an attribute or a behaviour a marketer reads directly; no two alike, no "… 2".
    std::set<std::string> names;
    for (const auto& s : run["segments"]) {
      const std::string name = s["name"].get<std::string>();
      names.insert(name);
      const std::string l = lower(name);
      const bool readable = std::any_of(attributes.begin(), attributes.end(), [&](const std::string& a) { return l.find(a) != std::string::npos; }) ||
                            l.find("buyers") != std::string::npos || l.find("older") != std::string::npos ||
                            l.find("young") != std::string::npos;
      EXPECT_TRUE(readable) << name;
      EXPECT_FALSE(std::isdigit(static_cast<unsigned char>(name.back()))) << name;
    }
    EXPECT_EQ(names.size(), run["segments"].size());
  }
}

TEST(SurveyCli, PredictReadsAnswersWithTheModelsScales) {
  test::temp_dir t;
  ASSERT_EQ(run_cli({"run", mcdonalds, "--out", t.file("out"), "--k", "4", "--quiet"}).code, 0);
  const auto model = test::load_json(t.path() / "out" / "model.json");
  EXPECT_EQ(model["input_features"][11]["text_scale"]["rule"], "number in the text");
  const auto p = run_cli({"predict", "--model", t.file("out/model.json"), mcdonalds, "--out", t.file("pred.csv")});
  ASSERT_EQ(p.code, 0) << p.err;
  EXPECT_EQ(test::read_file(t.file("pred.csv")), test::read_file(t.file("out/segments.csv")));
}

TEST(SurveyCli, MallGenreWeighsOneFeatureAndKeepsTheGenderFreeSegments) {
  test::temp_dir t;
  ASSERT_EQ(run_cli({"run", mall, "--out", t.file("plain"), "--quiet"}).code, 0);
  const auto r = run_cli({"run", mall, "--out", t.file("genre"), "--categorical", "Genre", "--quiet"});
  ASSERT_EQ(r.code, 0) << r.err;
  const int k = test::load_json(t.path() / "genre" / "run.json")["selection"]["chosen_k"].get<int>();
  EXPECT_GE(k, 4);
  EXPECT_LE(k, 6);
  const double ari = metrics::adjusted_rand_index(labels_in(test::read_file(t.file("plain/segments.csv"))),
                                                  labels_in(test::read_file(t.file("genre/segments.csv"))));
  EXPECT_GE(ari, 0.9);
}

TEST(SurveyCli, WholesaleCodeColumnsAreNotAmounts) {
  test::temp_dir t;
  const auto r = run_cli({"run", wholesale, "--out", t.file("out")});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find("not used: Channel, Region (integer codes"), std::string::npos) << r.err;
  const auto run = test::load_json(t.path() / "out" / "run.json");
  EXPECT_EQ(run["columns"]["features"],
            (nlohmann::json{"Fresh", "Milk", "Grocery", "Frozen", "Detergents_Paper", "Delicassen"}));
  // Named, they are used as given.
  const auto named = run_cli({"run", wholesale, "--out", t.file("named"), "--features", "Channel,Fresh", "--quiet"});
  ASSERT_EQ(named.code, 0) << named.err;
  EXPECT_EQ(test::load_json(t.path() / "named" / "run.json")["columns"]["features"], (nlohmann::json{"Channel", "Fresh"}));
}

TEST(SurveyCli, MarketingCampaignOutcomesStayOutAndNoSegmentIsTiny) {
  for (const char* algo : {"kmeans", "ward"}) {
    test::temp_dir t;
    const auto r = run_cli({"run", marketing, "--out", t.file("out"), "--algo", algo, "--categorical",
                            "Education,Marital_Status", "--quiet"});
    ASSERT_EQ(r.code, 0) << r.err;
    const auto run = test::load_json(t.path() / "out" / "run.json");
    for (const auto& f : run["columns"]["features"]) {
      const std::string name = f.get<std::string>();
      EXPECT_EQ(name.find("Accepted"), std::string::npos) << name;
      EXPECT_NE(name, "Response");
      EXPECT_NE(name, "Complain");
    }
    for (const auto& s : run["segments"]) EXPECT_GE(s["share"].get<double>(), 0.01) << algo << " " << s["name"];
  }
}

TEST(SurveyCli, OutcomesAndProfileOnlyColumnsAreDescribedPerSegment) {
  test::temp_dir t;
  const auto r = run_cli({"run", marketing, "--out", t.file("out"), "--k", "3", "--profile-only", "Education", "--quiet"});
  ASSERT_EQ(r.code, 0) << r.err;
  const auto run = test::load_json(t.path() / "out" / "run.json");
  const auto labels = labels_in(test::read_file(t.file("out/segments.csv")));
  // Recompute Response per segment from the input (tab-separated, every row used, in input order).
  std::istringstream in(test::read_file(marketing));
  std::string line;
  std::getline(in, line);
  auto fields = [](const std::string& l) {
    std::vector<std::string> f;
    std::istringstream s(l);
    for (std::string x; std::getline(s, x, '\t');) f.push_back(x);
    return f;
  };
  const auto header = fields(line);
  const auto at = [&](const char* name) { return static_cast<size_t>(std::find(header.begin(), header.end(), name) - header.begin()); };
  std::vector<double> sum(3, 0.0), n(3, 0.0);
  std::vector<std::map<std::string, double>> education(3);
  for (size_t i = 0; std::getline(in, line); ++i) {
    const auto f = fields(line);
    sum[static_cast<size_t>(labels[i])] += std::stod(f[at("Response")]);
    n[static_cast<size_t>(labels[i])] += 1;
    education[static_cast<size_t>(labels[i])][f[at("Education")]] += 1;
  }
  const nlohmann::json* response = nullptr;
  const nlohmann::json* edu = nullptr;
  for (const auto& p : run["profiled"]) {
    if (p["column"] == "Response") response = &p;
    if (p["column"] == "Education") edu = &p;
  }
  ASSERT_NE(response, nullptr);
  ASSERT_NE(edu, nullptr);
  EXPECT_EQ((*response)["why"], "outcome");
  EXPECT_EQ((*edu)["why"], "--profile-only");
  for (size_t c = 0; c < 3; ++c) {
    EXPECT_NEAR((*response)["segments"][c]["mean"].get<double>(), sum[c] / n[c], 1e-12) << c;
    const double p = (*response)["segments"][c]["p_value"].get<double>();
    EXPECT_TRUE(p >= 0 && p <= 1) << p;
    const auto& levels = (*edu)["levels"];
    for (size_t l = 0; l < levels.size(); ++l)
      EXPECT_NEAR((*edu)["segments"][c]["shares"][l].get<double>(), education[c][levels[l].get<std::string>()] / n[c], 1e-12);
  }
  EXPECT_NE(test::read_file(t.file("out/report.html")).find("<section id=\"profiled\">"), std::string::npos);
  EXPECT_EQ(std::find(run["columns"]["features"].begin(), run["columns"]["features"].end(), "Education"),
            run["columns"]["features"].end());
}

TEST(SurveyCli, JoinedSourcesGiveTheSegmentsOfTheWholeTable) {
  // The marketing table split in two files by column (web behaviour apart), then joined back by ID: the same
  // segments and profiles as the whole table with the same features.
  test::temp_dir t;
  std::istringstream in(test::read_file(marketing));
  std::string base, web, line;
  std::vector<std::string> removed;  // ids left out of the web file
  for (size_t row = 0; std::getline(in, line); ++row) {
    std::vector<std::string> f;
    std::istringstream s(line);
    for (std::string x; std::getline(s, x, '\t');) f.push_back(x);
    std::string b, w = f[0];
    for (size_t j = 0; j < f.size(); ++j) {
      if (j == 16 || j == 19) w += "," + f[j];  // NumWebPurchases, NumWebVisitsMonth
      else b += (b.empty() ? "" : "\t") + f[j];
    }
    base += b + "\n";
    if (row > 0 && row % 500 == 0) removed.push_back(f[0]);
    else web += w + "\n";
  }
  const std::string features = "Income,MntWines,MntMeatProducts,NumStorePurchases,NumWebPurchases,NumWebVisitsMonth";
  const auto whole = run_cli({"run", marketing, "--out", t.file("whole"), "--features", features, "--k", "4", "--quiet"});
  ASSERT_EQ(whole.code, 0) << whole.err;
  const std::string full_web = t.write("web_full.csv", [&] {
    std::istringstream again(test::read_file(marketing));
    std::string out, l;
    while (std::getline(again, l)) {
      std::vector<std::string> f;
      std::istringstream s(l);
      for (std::string x; std::getline(s, x, '\t');) f.push_back(x);
      out += f[0] + "," + f[16] + "," + f[19] + "\n";
    }
    return out;
  }());
  const std::string base_file = t.write("base.tsv", base);
  const auto joined = run_cli({"run", base_file, "--join", full_web, "--id", "ID", "--out", t.file("joined"), "--features",
                               features, "--k", "4", "--quiet"});
  ASSERT_EQ(joined.code, 0) << joined.err;
  EXPECT_EQ(test::read_file(t.file("joined/segments.csv")), test::read_file(t.file("whole/segments.csv")));
  EXPECT_EQ(test::read_file(t.file("joined/profile.csv")), test::read_file(t.file("whole/profile.csv")));
  // The model scores the customers from the same two files, joined by its id column.
  const auto scored = run_cli({"predict", base_file, "--join", full_web, "--model", t.file("joined/model.json"), "--out",
                               t.file("scored.csv")});
  ASSERT_EQ(scored.code, 0) << scored.err;
  EXPECT_EQ(test::read_file(t.file("scored.csv")), test::read_file(t.file("joined/segments.csv")));
  // Four customers without a web row: counted, and their web columns imputed with the medians.
  const auto partial = run_cli({"run", base_file, "--join", t.write("web.csv", web), "--id", "ID", "--out", t.file("partial"),
                                "--features", features, "--k", "4"});
  ASSERT_EQ(partial.code, 0) << partial.err;
  EXPECT_NE(partial.err.find("joined " + t.file("web.csv") + ": 2236 rows, 2236 matched, 0 not in"), std::string::npos) << partial.err;
  const auto run = test::load_json(t.path() / "partial" / "run.json");
  EXPECT_EQ(run["joins"][0]["customers_without_row"], removed.size());
  EXPECT_EQ(run["columns"]["imputed"]["NumWebPurchases"]["count"], removed.size());
  EXPECT_EQ(run["rows"]["used"], 2240);
}

}  // namespace
