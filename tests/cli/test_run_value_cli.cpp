// `segmint run --transactions … --value`: value per segment in the run's folder, the same figures as the
// `value` command gives for the run's segments, in profile.csv, run.json and the report.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <sstream>

#include "../support/test_support.hpp"

using namespace segmint;
using test::numeric_column;
using test::run_cli;

namespace {

const std::string cdnow_log = test::example("cdnow/CDNOW_sample.txt").string();

std::vector<std::string> log_options() {
  return {"--transactions", cdnow_log, "--no-header", "--delimiter", "whitespace", "--customer", "2", "--date", "3",
          "--amount", "5", "--keep-duplicates", "--calibration-end", "1997-09-30"};
}

std::vector<std::string> run_args(const std::string& out) {
  std::vector<std::string> a = {"run"};
  for (const auto& o : log_options()) a.push_back(o);
  for (const char* o : {"--value", "--k", "3", "--seed", "5", "--quiet"}) a.push_back(o);
  a.push_back("--out");
  a.push_back(out);
  return a;
}

TEST(RunValue, TheSameFiguresAsTheValueCommandForTheRunsSegments) {
  test::temp_dir t;
  const auto run = run_cli(run_args(t.file("run")));
  ASSERT_EQ(run.code, 0) << run.err;
  EXPECT_NE(run.out.find("Customer value (BG/NBD, next 90 days; holdout 1997-09-30 → 1998-06-30"), std::string::npos) << run.out;
  for (const char* f : {"segments.csv", "profile.csv", "value.csv", "value.json", "run.json", "report.html"})
    EXPECT_TRUE(std::filesystem::exists(t.file("run/" + std::string(f)))) << f;
  // The value command on the same log with the run's folder as --segments: the same value.csv, byte for byte.
  std::vector<std::string> value = {"value"};
  for (const auto& o : log_options()) value.push_back(o);
  for (const std::string& o : std::vector<std::string>{"--monetary", "repeat", "--segments", t.file("run"), "--seed", "5", "--out", t.file("value")})
    value.push_back(o);
  const auto alone = run_cli(value);
  ASSERT_EQ(alone.code, 0) << alone.err;
  EXPECT_EQ(test::read_file(t.file("run/value.csv")), test::read_file(t.file("value/value.csv")));
  // profile.csv's value columns are value.json's per-segment figures.
  const auto by_segment = test::load_json(t.file("value/value.json"))["segments"]["by_segment"];
  const std::string profile = test::read_file(t.file("run/profile.csv"));
  const auto mean_clv = numeric_column(profile, "value_mean_clv");
  const auto alive = numeric_column(profile, "value_mean_p_alive");
  const auto segment = numeric_column(profile, "segment");
  ASSERT_EQ(mean_clv.size(), by_segment.size());
  for (size_t i = 0; i < by_segment.size(); ++i) {
    ASSERT_EQ(segment[i], by_segment[i]["segment"].get<double>());
    EXPECT_NEAR(mean_clv[i], by_segment[i]["mean_clv"].get<double>(), 1e-6 * mean_clv[i]) << i;
    EXPECT_NEAR(alive[i], by_segment[i]["mean_p_alive"].get<double>(), 1e-6) << i;
  }
  // run.json carries the models: the CDNOW calibration fits of lifetimes (tests/fixtures/lifetimes_value.json).
  const auto json = test::load_json(t.file("run/run.json"));
  const auto fx = test::load_json(test::fixture("lifetimes_value.json"))["days"];
  for (const char* p : {"r", "alpha", "a", "b"})
    EXPECT_NEAR(json["value"]["bgnbd"][p].get<double>(), fx["bgnbd"][p].get<double>(), 1e-5 * fx["bgnbd"][p].get<double>()) << p;
  for (const char* p : {"p", "q", "v"})
    EXPECT_NEAR(json["value"]["gamma_gamma"][p].get<double>(), fx["gamma_gamma"][p].get<double>(), 1e-5 * fx["gamma_gamma"][p].get<double>());
  EXPECT_EQ(json["value"]["holdout"]["actual_purchases"].get<double>(), 1882);
  EXPECT_EQ(json["value"]["segments"]["by_segment"].size(), 3u);
  // The report's value section: charts of value and P(alive) per segment, and the holdout chart.
  const std::string report = test::read_file(t.file("run/report.html"));
  for (const char* text : {"id=\"value\"", "Mean customer lifetime value", "Mean P(alive)", "Holdout: actual against expected",
                           "href=\"#value\""})
    EXPECT_NE(report.find(text), std::string::npos) << text;
}

TEST(RunValue, SegmentsAndModelsSeeOnlyTheCalibrationPeriod) {
  // The run clusters the customers as of the calibration end: the same table `features --as-of` gives.
  test::temp_dir t;
  ASSERT_EQ(run_cli(run_args(t.file("run"))).code, 0);
  std::vector<std::string> features = {"features", "--transactions", cdnow_log, "--no-header", "--delimiter", "whitespace",
                                       "--customer", "2", "--date", "3", "--amount", "5", "--keep-duplicates",
                                       "--as-of", "1997-10-01", "--out", t.file("c.csv")};
  ASSERT_EQ(run_cli(features).code, 0);
  const auto json = test::load_json(t.file("run/run.json"));
  EXPECT_EQ(json["transactions"]["as_of"], "1997-10-01");
  EXPECT_EQ(numeric_column(test::read_file(t.file("c.csv")), "frequency").size(), 2357u);
  EXPECT_EQ(json["rows"]["used"].get<int>(), 2357);
}

TEST(RunValue, ValueOptionsNeedValueAndALog) {
  test::temp_dir t;
  const std::string mall = test::example("mall_customers/Mall_Customers.csv").string();
  struct refused {
    std::vector<std::string> args;
    const char* words;
  };
  const std::vector<refused> cases = {
      {{"run", mall, "--value", "--out", t.file("a")}, "--value needs --transactions"},
      {{"run", mall, "--horizon", "30", "--out", t.file("b")}, "need --value"},
      {[&] {
         auto a = run_args(t.file("c"));
         a.insert(a.end() - 2, {"--as-of", "1997-10-01"});
         return a;
       }(),
       "not --as-of"},
      {[&] {
         auto a = run_args(t.file("d"));
         a.insert(a.end() - 2, {"--horizon", "0"});
         return a;
       }(),
       "--horizon must be a positive number"},
  };
  for (const auto& c : cases) {
    const auto r = run_cli(c.args);
    EXPECT_EQ(r.code, 2) << c.words << ": " << r.err;
    EXPECT_NE(r.err.find(c.words), std::string::npos) << r.err;
  }
  for (const char* d : {"a", "b", "c", "d"}) EXPECT_FALSE(std::filesystem::exists(t.file(d))) << d;
}

}  // namespace

namespace {

TEST(RunValue, ALaterRunWithoutValueRemovesTheValueFiles) {
  // A folder holds one run's outputs: value.csv and value.json from an earlier --value run go.
  test::temp_dir t;
  ASSERT_EQ(run_cli(run_args(t.file("run"))).code, 0);
  auto again = run_args(t.file("run"));
  again.erase(std::find(again.begin(), again.end(), "--value"));
  again.erase(std::find(again.begin(), again.end(), "--calibration-end"), std::find(again.begin(), again.end(), "--calibration-end") + 2);
  const auto r = run_cli(again);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_FALSE(std::filesystem::exists(t.file("run/value.csv")));
  EXPECT_FALSE(std::filesystem::exists(t.file("run/value.json")));
  EXPECT_NE(r.err.find("removed value.csv"), std::string::npos) << r.err;
  EXPECT_EQ(numeric_column(test::read_file(t.file("run/profile.csv")), "size").size(), 3u);
  EXPECT_EQ(test::read_file(t.file("run/profile.csv")).find("value_mean_p_alive"), std::string::npos);
}

}  // namespace

namespace {

TEST(RunValue, WithoutSpendTheValueHasNoClv) {
  // CDNOW with every amount 0: the purchase model still fits, the spend model has nobody to learn from.
  test::temp_dir t;
  std::istringstream in(test::read_file(cdnow_log));
  std::string line, zeroed;
  while (std::getline(in, line)) zeroed += line.substr(0, line.find_last_of(" \t") + 1) + "0\n";
  const std::string log = t.write("no_spend.txt", zeroed);
  auto args = run_args(t.file("run"));
  args[2] = log;
  const auto r = run_cli(args);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find("customer value without spend and CLV: 0 repeat buyers with a positive purchase value"), std::string::npos) << r.err;
  const auto json = test::load_json(t.file("run/value.json"));
  EXPECT_FALSE(json.contains("gamma_gamma"));
  EXPECT_NEAR(json["bgnbd"]["r"].get<double>(), test::load_json(test::fixture("lifetimes_value.json"))["days"]["bgnbd"]["r"].get<double>(),
              1e-5);
  EXPECT_EQ(test::read_file(t.file("run/value.csv")).find(",clv"), std::string::npos);
  const std::string profile = test::read_file(t.file("run/profile.csv"));
  EXPECT_EQ(test::numeric_column(profile, "value_mean_p_alive").size(), 3u);
}

}  // namespace
