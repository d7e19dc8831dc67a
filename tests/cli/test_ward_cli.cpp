// `segmint run --algo ward` end to end, in-process: outputs, SciPy's linkage on Mall Customers, predict,
// two-stage mode, determinism and bad options.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "../support/test_support.hpp"

using namespace segmint;
using test::run_cli;

namespace {

const std::string mall = test::example("mall_customers/Mall_Customers.csv").string();

std::vector<std::vector<std::string>> csv_rows(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::vector<std::string>> rows;
  std::string line;
  while (std::getline(in, line)) {
    std::vector<std::string> fields;
    std::stringstream ss(line);
    std::string f;
    while (std::getline(ss, f, ',')) fields.push_back(f);
    rows.push_back(fields);
  }
  return rows;
}

std::vector<int32_t> segment_column(const std::string& path) {
  std::vector<int32_t> out;
  const auto rows = csv_rows(path);
  for (size_t i = 1; i < rows.size(); ++i) out.push_back(std::stoi(rows[i][1]));
  return out;
}

TEST(CliWard, MallWritesSciPysLinkageAndSegments) {
  test::temp_dir t;
  const auto r = run_cli({"run", mall, "--out", t.file("out"), "--algo", "ward", "--k", "2..6", "--quiet"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("(ward, cpu)"), std::string::npos) << r.out;
  const auto run = test::load_json(t.path() / "out" / "run.json");
  EXPECT_EQ(run["files"], (nlohmann::json{"segments.csv", "profile.csv", "model.json", "linkage.csv", "run.json", "report.html"}));
  EXPECT_EQ(run["selection"]["algorithm"], "ward");
  EXPECT_EQ(run["config"]["ward_mode"], "auto");
  EXPECT_EQ(run["model"]["two_stage"], 0.0);
  EXPECT_EQ(run["linkage"]["leaves"], 200);
  EXPECT_EQ(run["selection"]["per_k"].size(), 5u);
  const int k = run["selection"]["chosen_k"].get<int>();
  EXPECT_EQ(run["linkage"]["cut_nodes"].size(), static_cast<size_t>(k));

  // linkage.csv is SciPy's linkage of the standardised table (the fixture's "mall" case).
  const auto fixture = test::load_json(test::fixture("scipy_ward.json"));
  const auto& fx = fixture["mall"];
  const auto rows = csv_rows(t.file("out/linkage.csv"));
  ASSERT_EQ(rows.size(), 200u);
  EXPECT_EQ(rows[0], (std::vector<std::string>{"a", "b", "height", "size"}));
  for (size_t i = 1; i < rows.size(); ++i) {
    const auto& want = fx["linkage"][i - 1];
    EXPECT_EQ(std::stoll(rows[i][0]), want[0].get<int64_t>()) << i;
    EXPECT_EQ(std::stoll(rows[i][1]), want[1].get<int64_t>()) << i;
    // float32 standardisation on both sides, so the heights agree to float precision
    EXPECT_NEAR(std::stod(rows[i][2]), want[2].get<double>(), 1e-6 * want[2].get<double>()) << i;
    EXPECT_EQ(std::stoll(rows[i][3]), want[3].get<int64_t>()) << i;
  }
  // The segments are SciPy's cut at the chosen k, numbered by decreasing size.
  const auto seg = segment_column(t.file("out/segments.csv"));
  const auto want = fx["cuts"][std::to_string(k)].get<std::vector<int32_t>>();
  EXPECT_DOUBLE_EQ(test::adjusted_rand_index(seg, want), 1.0);
  const auto sizes = run["segments"];
  for (size_t i = 1; i < sizes.size(); ++i) EXPECT_GE(sizes[i - 1]["size"].get<int>(), sizes[i]["size"].get<int>());
}

// Ward's segments are not nearest-centre cells, so predict (nearest centre) cannot reproduce all of them:
// it reproduces exactly the share run.json and model.json record (96% on Mall Customers).
TEST(CliWard, PredictReproducesTheRecordedShareOfTrainingSegments) {
  test::temp_dir t;
  ASSERT_EQ(run_cli({"run", mall, "--out", t.file("out"), "--algo", "ward", "--k", "2..6", "--quiet"}).code, 0);
  const auto p = run_cli({"predict", "--model", t.file("out/model.json"), mall, "--out", t.file("pred.csv")});
  ASSERT_EQ(p.code, 0) << p.err;
  const auto trained = segment_column(t.file("out/segments.csv"));
  const auto predicted = segment_column(t.file("pred.csv"));
  ASSERT_EQ(trained.size(), predicted.size());
  int64_t same = 0;
  for (size_t i = 0; i < trained.size(); ++i) same += trained[i] == predicted[i];
  const double share = static_cast<double>(same) / static_cast<double>(trained.size());
  const auto run = test::load_json(t.path() / "out" / "run.json");
  const auto model = test::load_json(t.path() / "out" / "model.json");
  EXPECT_DOUBLE_EQ(share, run["model"]["nearest_centre_agreement"].get<double>());
  EXPECT_DOUBLE_EQ(share, model["training_agreement"].get<double>());
  EXPECT_EQ(model["algorithm"], "ward");
  EXPECT_GE(share, 0.9);
  // The recorded share is schema-checked on load.
  auto edited = model;
  edited["training_agreement"] = 2.0;
  const std::string bad = t.write("bad.json", edited.dump());
  const auto e = run_cli({"predict", "--model", bad, mall, "--out", t.file("p2.csv")});
  EXPECT_EQ(e.code, 2);
  EXPECT_NE(e.err.find("$.training_agreement"), std::string::npos) << e.err;
}

TEST(CliWard, TwoStageRecordsMicroClusters) {
  test::temp_dir t;
  const auto r = run_cli({"run", mall, "--out", t.file("out"), "--algo", "ward", "--ward-mode", "two-stage",
                          "--ward-micro-clusters", "50", "--k", "3..5", "--quiet"});
  ASSERT_EQ(r.code, 0) << r.err;
  const auto run = test::load_json(t.path() / "out" / "run.json");
  EXPECT_EQ(run["config"]["ward_mode"], "two-stage");
  EXPECT_EQ(run["model"]["two_stage"], 1.0);
  EXPECT_EQ(run["model"]["micro_clusters"], 50.0);
  EXPECT_EQ(run["linkage"]["leaves"], 50);
  EXPECT_NE(run["linkage"]["leaves_are"].get<std::string>().find("micro-clusters"), std::string::npos);
  EXPECT_EQ(csv_rows(t.file("out/linkage.csv")).size(), 50u);  // header + 49 merges
  EXPECT_EQ(segment_column(t.file("out/segments.csv")).size(), 200u);
}

TEST(CliWard, ByteIdenticalOutputsAcrossThreadCounts) {
  test::temp_dir t;
  for (const char* threads : {"1", "2"})
    ASSERT_EQ(run_cli({"run", mall, "--out", t.file(threads), "--algo", "ward", "--threads", threads, "--quiet"}).code, 0);
  for (const char* f : {"segments.csv", "model.json", "profile.csv", "linkage.csv"})
    EXPECT_EQ(test::read_file(t.file(std::string("1/") + f)), test::read_file(t.file(std::string("2/") + f))) << f;
}

TEST(CliWard, BadAlgorithmAndModeAreExitTwo) {
  test::temp_dir t;
  auto r = run_cli({"run", mall, "--out", t.file("out"), "--algo", "dbscan", "--quiet"});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("kmeans,gmm,ward,auto"), std::string::npos) << r.err;
  r = run_cli({"run", mall, "--out", t.file("out"), "--algo", "ward", "--ward-mode", "fastest", "--quiet"});
  EXPECT_EQ(r.code, 2);
  r = run_cli({"run", mall, "--out", t.file("out"), "--algo", "ward", "--k", "300", "--quiet"});
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_NE(r.err.find("more than the number of rows"), std::string::npos) << r.err;
}

}  // namespace
