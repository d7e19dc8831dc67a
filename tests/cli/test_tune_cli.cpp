// `segmint tune` end to end (issue #16's acceptance): populations with known segments, the recommendation,
// `run --config` reproducing it, determinism, and a GMM run that one unlucky start no longer decides.
#include <gtest/gtest.h>

#include <map>

#include "../support/synthetic_segments.hpp"
#include "../support/test_support.hpp"

using namespace segmint;

namespace {

/// Segments of segments.csv by id (ids 1..n as the synthetic tables write them).
std::vector<int32_t> segments_by_id(const std::string& path) {
  const std::string csv = test::read_file(path);
  const std::vector<double> ids = test::numeric_column(csv, "id");
  const std::vector<double> seg = test::numeric_column(csv, "segment");
  std::vector<int32_t> out(ids.size());
  for (size_t i = 0; i < ids.size(); ++i) out[static_cast<size_t>(ids[i]) - 1] = static_cast<int32_t>(seg[i]);
  return out;
}

struct tuned {
  nlohmann::json json;
  std::vector<int32_t> run_segments;  ///< from `run --config` (empty when no structure)
  test::cli_result tune_result;
};

/// tune on the table, then `run --config` of its recommendation.
tuned tune_and_run(const test::temp_dir& t, const test::synthetic& s, std::vector<std::string> extra) {
  const std::string input = t.write("input.csv", s.csv());
  std::vector<std::string> args{"tune", input, "--out", t.file("tune"), "--quiet", "--no-report"};
  args.insert(args.end(), extra.begin(), extra.end());
  tuned out;
  out.tune_result = test::run_cli(args);
  EXPECT_EQ(out.tune_result.code, 0) << out.tune_result.err;
  out.json = test::load_json(t.file("tune/tune.json"));
  if (out.json["recommended"]["structure"].get<bool>()) {
    const auto r = test::run_cli({"run", input, "--config", t.file("tune/tune.json"), "--out", t.file("run"), "--quiet", "--no-report"});
    EXPECT_EQ(r.code, 0) << r.err;
    out.run_segments = segments_by_id(t.file("run/segments.csv"));
  }
  return out;
}

const std::vector<std::string> quick_grid{"--k", "1..9", "--bootstrap", "8", "--stability-rows", "1500"};

std::vector<std::string> with(std::vector<std::string> args, const std::vector<std::string>& more) {
  args.insert(args.end(), more.begin(), more.end());
  return args;
}

}  // namespace

TEST(TuneCli, SixGaussianSegmentsGiveSixForEverySeed) {
  for (const uint64_t seed : {1u, 2u, 3u}) {
    test::temp_dir t;
    const test::synthetic s = test::six_gaussians(seed, 3000);
    const tuned r = tune_and_run(t, s, with(quick_grid, {"--algo", "kmeans,gmm", "--seed", std::to_string(seed)}));
    EXPECT_EQ(r.json["recommended"]["k"].get<int>(), 6) << "seed " << seed << ": " << r.tune_result.out;
    ASSERT_EQ(r.run_segments.size(), s.truth.size());
    EXPECT_GE(test::adjusted_rand_index(r.run_segments, s.truth), 0.99) << "seed " << seed;
  }
}

TEST(TuneCli, SkewedRfmIsRecommendedWithTheLogTransform) {
  test::temp_dir t;
  const test::synthetic s = test::skewed_rfm(1, 4000);
  const tuned r = tune_and_run(t, s, quick_grid);
  EXPECT_EQ(r.json["recommended"]["log"], "auto") << r.tune_result.out;
  EXPECT_EQ(r.json["recommended"]["k"].get<int>(), 4) << r.tune_result.out;
  ASSERT_EQ(r.run_segments.size(), s.truth.size());
  EXPECT_GE(test::adjusted_rand_index(r.run_segments, s.truth), 0.99);
}

TEST(TuneCli, OneGaussianBlobHasNoClusterStructure) {
  test::temp_dir t;
  const tuned r = tune_and_run(t, test::one_blob(4, 2000, 6), {"--algo", "kmeans,gmm", "--k", "1..6", "--bootstrap", "6", "--restarts", "3"});
  EXPECT_FALSE(r.json["recommended"]["structure"].get<bool>());
  EXPECT_EQ(r.json["recommended"]["k"].get<int>(), 1);
  EXPECT_NE(r.tune_result.out.find("no cluster structure found (k = 1)"), std::string::npos) << r.tune_result.out;
  const auto run = test::run_cli({"run", t.file("input.csv"), "--config", t.file("tune/tune.json"), "--out", t.file("run"), "--quiet"});
  EXPECT_EQ(run.code, 2);
  EXPECT_NE(run.err.find("no cluster structure"), std::string::npos) << run.err;
}

TEST(TuneCli, RunConfigRefitsExactlyWhatTuneScored) {
  test::temp_dir t;
  const tuned r = tune_and_run(t, test::six_gaussians(7, 1000), {"--algo", "kmeans,gmm", "--k", "1..8", "--bootstrap", "4", "--restarts", "3"});
  const auto& rec = r.json["recommended"];
  double tuned_inertia = -1;
  std::vector<int64_t> tuned_sizes;
  for (const auto& c : r.json["configurations"]) {
    if (c["algo"] != rec["algo"] || c["log"] != rec["log"] || c["pca"] != rec["pca"] || c.value("covariance", "") != rec.value("covariance", ""))
      continue;
    for (const auto& k : c["per_k"])
      if (k["k"] == rec["k"]) tuned_inertia = k["inertia"].get<double>(), tuned_sizes = k["sizes"].get<std::vector<int64_t>>();
  }
  const auto run = test::load_json(t.file("run/run.json"));
  double run_inertia = -2;
  for (const auto& k : run["selection"]["per_k"])
    if (k["k"] == rec["k"]) run_inertia = k["inertia"].get<double>();
  // The same fit: the same segment sizes, and the inertia up to summation order (run numbers segments by size).
  EXPECT_NEAR(tuned_inertia, run_inertia, 1e-7 * run_inertia);
  std::vector<int64_t> run_sizes(static_cast<size_t>(rec["k"].get<int>()), 0);
  for (const int32_t s : r.run_segments) ++run_sizes[static_cast<size_t>(s)];
  EXPECT_EQ(run_sizes, tuned_sizes);
}

TEST(TuneCli, SameBytesOnAnyThreadCount) {
  test::temp_dir t;
  const std::string input = t.write("input.csv", test::skewed_rfm(2, 800).csv());
  std::map<std::string, std::string> first;
  for (const char* threads : {"1", "2"}) {
    std::vector<std::string> args{"tune", input, "--out", t.file(std::string("out") + threads), "--quiet", "--threads", threads};
    const auto r = test::run_cli(with(args, with(quick_grid, {"--algo", "kmeans,gmm", "--restarts", "3"})));
    ASSERT_EQ(r.code, 0) << r.err;
    for (const char* f : {"tune.json", "tune.csv", "report.html"}) {
      std::string bytes = test::read_file(t.file(std::string("out") + threads + "/" + f));
      if (std::string(f) == "tune.json") {  // the command line (its --threads and --out) is the one expected difference
        auto j = nlohmann::ordered_json::parse(bytes);
        EXPECT_EQ(j["command_line"].size(), 18u);
        j.erase("command_line");
        bytes = j.dump(1);
      }
      if (first.count(f)) {
        EXPECT_TRUE(bytes == first[f]) << f << " differs between 1 and 2 threads";
      }
      first[f] = bytes;
    }
  }
}

TEST(GmmRun, OneUnluckyStartNoLongerDecidesK) {
  // Issue #16: with one K-Means start inside the GMM initialisation, seed 3 fitted k = 6 poorly and BIC chose 7.
  test::temp_dir t;
  const std::string input = t.write("input.csv", test::six_gaussians(1, 10000).csv());
  for (const char* seed : {"1", "2", "3", "4", "5"}) {
    const auto r = test::run_cli({"run", input, "--algo", "gmm", "--k", "2..10", "--seed", seed, "--out", t.file(std::string("out") + seed),
                                  "--quiet", "--no-report"});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_NE(r.out.find("segmint: 10000 customers → 6 segments"), std::string::npos) << "seed " << seed << ": " << r.out;
  }
}
