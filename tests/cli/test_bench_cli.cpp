// `segmint bench` on the CPU (CI has no GPU: the GPU side says why it was not measured) and the
// --max-device-memory option's parsing.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "../support/test_support.hpp"

namespace segmint {
namespace {

TEST(BenchCli, JsonRowsForEveryStageAndTheLimits) {
  const auto r = test::run_cli({"bench", "--sizes", "3000", "--silhouette-rows", "400", "--repeat", "1", "--format",
                                "json", "--backend", "cpu", "--threads", "1"});
  ASSERT_EQ(r.code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  std::vector<std::string> stages;
  for (const auto& row : j["rows"]) {
    EXPECT_EQ(row["backend"], "cpu");
    EXPECT_GT(row["ms"].get<double>(), 0);
    EXPECT_GE(row["pct_bandwidth"].get<double>(), 0);
    EXPECT_TRUE(row["pct_fp32_peak"].is_null());  // no FP32 peak for the CPU
    stages.push_back(row["stage"]);
  }
  EXPECT_EQ(stages, (std::vector<std::string>{"lloyd_iteration", "column_moments", "gmm_em_pass", "silhouette_exact"}));
  ASSERT_EQ(j["limits"].size(), 1u);
  EXPECT_GT(j["limits"][0]["bandwidth_gb_per_s"].get<double>(), 0);
  EXPECT_NE(j["note"].get<std::string>().find("GPU: not measured"), std::string::npos);
}

TEST(BenchCli, MarkdownAndCsv) {
  const auto md = test::run_cli({"bench", "--sizes", "2000", "--silhouette-rows", "300", "--repeat", "1", "--threads", "1"});
  ASSERT_EQ(md.code, 0) << md.err;
  EXPECT_NE(md.out.find("| backend | stage | rows |"), std::string::npos);
  EXPECT_NE(md.out.find("% of bandwidth"), std::string::npos);
  const auto csv = test::run_cli({"bench", "--sizes", "2000", "--silhouette-rows", "300", "--repeat", "1", "--format",
                                  "csv", "--threads", "1"});
  ASSERT_EQ(csv.code, 0) << csv.err;
  EXPECT_EQ(csv.out.rfind("backend,stage,rows,d,k,ms,", 0), 0u);
}

TEST(BenchCli, BadArguments) {
  EXPECT_EQ(test::run_cli({"bench", "--sizes", "abc"}).code, 2);
  EXPECT_EQ(test::run_cli({"bench", "--sizes", "5", "--k", "8"}).code, 2);
  EXPECT_EQ(test::run_cli({"bench", "--format", "xml"}).code, 2);
}

TEST(MaxDeviceMemory, ParsedWithBinarySuffixes) {
  test::temp_dir t;
  const std::string input = test::example("mall_customers/Mall_Customers.csv").string();
  for (const char* ok : {"512M", "4G", "1048576"}) {
    const auto r = test::run_cli({"run", input, "--out", t.file(std::string("o") + ok), "--k", "3", "--backend", "cpu",
                                  "--max-device-memory", ok, "--quiet", "--no-report"});
    EXPECT_EQ(r.code, 0) << ok << ": " << r.err;
  }
  for (const char* bad : {"-1", "0", "12Q", "4GB", "1.5G", "99999999999T"}) {
    const auto r = test::run_cli({"run", input, "--out", t.file("bad"), "--backend", "cpu", "--max-device-memory", bad,
                                  "--quiet"});
    EXPECT_EQ(r.code, 2) << bad;
    EXPECT_NE(r.err.find("--max-device-memory"), std::string::npos) << r.err;
  }
}

}  // namespace
}  // namespace segmint
