// The command line end to end, in-process, on the bundled data and on bad inputs.
#include <gtest/gtest.h>
#include <omp.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "../support/test_support.hpp"

using namespace segmint;
using test::run_cli;

namespace {

const std::string mall = test::example("mall_customers/Mall_Customers.csv").string();
const std::string marketing = test::example("marketing_campaign/marketing_campaign.csv").string();

std::vector<std::string> files_in(const std::filesystem::path& dir) {
  std::vector<std::string> names;
  if (!std::filesystem::exists(dir)) return names;
  for (const auto& e : std::filesystem::directory_iterator(dir)) names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

TEST(Cli, MallAcceptance) {
  test::temp_dir t;
  const auto r = run_cli({"run", mall, "--out", t.file("out"), "--features", "Annual Income (k$),Spending Score (1-100)",
                          "--k", "2..10", "--quiet"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("→ 5 segments"), std::string::npos) << r.out;
  EXPECT_EQ(files_in(t.path() / "out"),
            (std::vector<std::string>{"model.json", "profile.csv", "report.html", "run.json", "segments.csv"}));
  const auto run = test::load_json(t.path() / "out" / "run.json");
  EXPECT_EQ(run["selection"]["chosen_k"], 5);
  EXPECT_EQ(run["rows"]["read"], 200);
  EXPECT_EQ(run["rows"]["used"], 200);
  EXPECT_TRUE(run["rows"]["balanced"].get<bool>());
  EXPECT_EQ(run["selection"]["per_k"].size(), 9u);
  // segments.csv: id as in the input (zero-padded), segment 0 the largest.
  const std::string seg = test::read_file(t.file("out/segments.csv"));
  EXPECT_EQ(seg.rfind("CustomerID,segment,segment_name,distance\n0001,", 0), 0u) << seg.substr(0, 80);
  const auto sizes = run["segments"];
  for (size_t i = 1; i < sizes.size(); ++i) EXPECT_GE(sizes[i - 1]["size"].get<int>(), sizes[i]["size"].get<int>());
}

TEST(Cli, PredictReproducesTrainingSegmentsExactly) {
  test::temp_dir t;
  ASSERT_EQ(run_cli({"run", mall, "--out", t.file("out"), "--categorical", "Genre", "--k", "4", "--quiet"}).code, 0);
  const auto p = run_cli({"predict", "--model", t.file("out/model.json"), mall, "--out", t.file("pred.csv")});
  ASSERT_EQ(p.code, 0) << p.err;
  EXPECT_EQ(test::read_file(t.file("pred.csv")), test::read_file(t.file("out/segments.csv")));
}

TEST(Cli, PredictWithPcaAndLogReproducesTrainingSegments) {
  test::temp_dir t;
  ASSERT_EQ(run_cli({"run", marketing, "--out", t.file("out"), "--categorical", "Education,Marital_Status", "--log", "auto",
                     "--pca", "0.9", "--k", "3..5", "--quiet"}).code, 0);
  const auto p = run_cli({"predict", "--model", t.file("out/model.json"), marketing, "--out", t.file("pred.csv")});
  ASSERT_EQ(p.code, 0) << p.err;
  EXPECT_EQ(test::read_file(t.file("pred.csv")), test::read_file(t.file("out/segments.csv")));
}

TEST(Cli, MarketingCampaignReportsImputationAndDroppedColumns) {
  test::temp_dir t;
  const auto r = run_cli({"run", marketing, "--out", t.file("out"), "--categorical", "Education,Marital_Status", "--quiet"});
  ASSERT_EQ(r.code, 0) << r.err;
  const auto run = test::load_json(t.path() / "out" / "run.json");
  EXPECT_EQ(run["columns"]["imputed"]["Income"]["count"], 24);
  EXPECT_EQ(run["columns"]["imputed"]["Income"]["median"], 51381.5);
  EXPECT_EQ(run["columns"]["dropped_constant"], (nlohmann::json{"Z_CostContact", "Z_Revenue"}));
  EXPECT_EQ(run["rows"]["used"], 2240);
  EXPECT_NE(r.err.find("imputed 24 missing values of 'Income'"), std::string::npos) << r.err;
}

TEST(Cli, SameSeedGivesByteIdenticalOutputsAcrossThreadCounts) {
  test::temp_dir t;
  ASSERT_EQ(run_cli({"run", marketing, "--out", t.file("a"), "--threads", "1", "--seed", "5", "--quiet"}).code, 0);
  ASSERT_EQ(run_cli({"run", marketing, "--out", t.file("b"), "--threads", "2", "--seed", "5", "--quiet"}).code, 0);
  for (const char* f : {"segments.csv", "model.json", "profile.csv"})
    EXPECT_EQ(test::read_file(t.file(std::string("a/") + f)), test::read_file(t.file(std::string("b/") + f))) << f;
}

struct bad_case {
  const char* name;
  std::string content;
  std::vector<std::string> extra_args;
  int code;
  std::vector<std::string> must_contain;
};
void PrintTo(const bad_case& c, std::ostream* os) { *os << c.name; }

class CliBadInput : public ::testing::TestWithParam<bad_case> {};

TEST_P(CliBadInput, ExitCodeMessageAndNoOutputs) {
  const auto& c = GetParam();
  test::temp_dir t;
  const std::string in = t.write(std::string(c.name) + ".csv", c.content);
  std::vector<std::string> args{"run", in, "--out", t.file("out"), "--quiet"};
  args.insert(args.end(), c.extra_args.begin(), c.extra_args.end());
  const auto r = run_cli(args);
  EXPECT_EQ(r.code, c.code) << r.err;
  for (const auto& word : c.must_contain) EXPECT_NE(r.err.find(word), std::string::npos) << "missing '" << word << "' in: " << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << "one clear line: " << r.err;
  EXPECT_TRUE(files_in(t.path() / "out").empty()) << "partial outputs left behind";
}

INSTANTIATE_TEST_SUITE_P(
    Cases, CliBadInput,
    ::testing::Values(
        bad_case{"empty", "", {}, 2, {"empty.csv", "empty file"}},
        bad_case{"header_only", "a,b\r\n", {}, 2, {"header_only.csv", "no data rows"}},
        bad_case{"ragged", "a,b,c\n1,2,3\n4,5,6\n7,8\n", {}, 2, {"ragged.csv:4", "expected 3 fields", "found 2"}},
        bad_case{"non_numeric", "id,x,y\n1,2,3\n2,oops,4\n", {"--features", "x,y"}, 2,
                 {"non_numeric.csv:3", "column 2 'x'", "'oops'"}},
        bad_case{"unknown_feature", "a,b\n1,2\n", {"--features", "a,c"}, 2, {"--features", "'c'"}},
        bad_case{"huge", "a,b\n1,2\n3,1e39\n", {}, 2, {"huge.csv:3", "float32"}},
        bad_case{"inf", "a,b\n1,2\n3,-inf\n", {}, 2, {"inf.csv:3", "infinite"}},
        bad_case{"dup_columns", "a,b,a\n1,2,3\n", {}, 2, {"duplicate column name"}},
        bad_case{"k_too_big", "a,b\n1,2\n3,4\n", {"--k", "3"}, 2, {"k = 3", "number of rows"}},
        bad_case{"k_zero", "a,b\n1,2\n3,4\n", {"--k", "0"}, 2, {"--k"}},
        bad_case{"bad_k", "a,b\n1,2\n3,4\n", {"--k", "two"}, 2, {"--k", "'two'"}},
        bad_case{"too_few_distinct", "a,b\n1,2\n1,2\n3,4\n", {"--k", "3"}, 2, {"distinct rows"}},
        bad_case{"all_constant", "a,b\n1,2\n1,2\n1,2\n", {}, 2, {"constant"}},
        bad_case{"unknown_option", "a\n1\n", {"--frobnicate"}, 2, {"frobnicate"}},
        bad_case{"unterminated", "a,b\n1,2\n\"3,4\n", {}, 2, {"unterminated.csv:3", "unterminated"}}),
    [](const auto& param_info) { return std::string(param_info.param.name); });

TEST(Cli, SkipPolicyCountsEveryRejectedRow) {
  test::temp_dir t;
  const std::string in = t.write("mixed.csv", "id,x,y\n1,1,2\n2,bad,3\n3,4\n,5,6\n5,6,7\n6,7,9\n7,1,1\n");
  const auto r = run_cli({"run", in, "--out", t.file("out"), "--k", "2", "--on-bad-row", "skip", "--features", "x,y", "--quiet"});
  ASSERT_EQ(r.code, 0) << r.err;
  const auto run = test::load_json(t.path() / "out" / "run.json");
  EXPECT_EQ(run["rows"]["read"], 7);
  EXPECT_EQ(run["rows"]["used"], 4);
  EXPECT_EQ(run["rows"]["rejected_by_reason"]["not_a_number"], 1);
  EXPECT_EQ(run["rows"]["rejected_by_reason"]["wrong_field_count"], 1);
  EXPECT_EQ(run["rows"]["rejected_by_reason"]["missing_id"], 1);
  EXPECT_TRUE(run["rows"]["balanced"].get<bool>());
}

TEST(Cli, SeveralFilesAreOneTableInOrder) {
  // Mall (CRLF) split in three parts (the first and last with LF line ends, the second with CRLF and a
  // BOM): the same segments, profiles and ledger as the whole file; run.json lists the files; a bad row in
  // part 3 names part 3 and its own line.
  test::temp_dir t;
  std::string whole = test::read_file(mall);
  whole.erase(std::remove(whole.begin(), whole.end(), '\r'), whole.end());
  const size_t header_end = whole.find('\n') + 1;
  const std::string header = whole.substr(0, header_end);
  std::vector<std::string> lines;
  for (size_t p = header_end; p < whole.size();) {
    const size_t e = std::min(whole.find('\n', p), whole.size());  // the file's last line has no '\n'
    lines.push_back(whole.substr(p, e - p) + "\n");
    p = e + 1;
  }
  ASSERT_EQ(lines.size(), 200u);
  auto part = [&](size_t from, size_t to, bool crlf) {
    std::string s = crlf ? "\xEF\xBB\xBF" : "";
    for (size_t i = 0; i <= to - from; ++i) {
      std::string l = i == 0 ? header : lines[from + i - 1];
      if (crlf) l.insert(l.size() - 1, "\r");
      s += l;
    }
    return s;
  };
  const std::string p1 = t.write("p1.csv", part(0, 70, false));
  const std::string p2 = t.write("p2.csv", part(70, 150, true));
  const std::string p3 = t.write("p3.csv", part(150, 200, false));
  const std::vector<std::string> opts{"--features", "Annual Income (k$),Spending Score (1-100)", "--id", "CustomerID", "--quiet"};
  auto with = [&](std::vector<std::string> a) {
    a.insert(a.end(), opts.begin(), opts.end());
    return a;
  };
  ASSERT_EQ(run_cli(with({"run", mall, "--out", t.file("one")})).code, 0);
  const auto r = run_cli(with({"run", p1, p2, p3, "--out", t.file("three")}));
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(test::read_file(t.file("three/segments.csv")), test::read_file(t.file("one/segments.csv")));
  EXPECT_EQ(test::read_file(t.file("three/profile.csv")), test::read_file(t.file("one/profile.csv")));
  const auto run = test::load_json(t.path() / "three" / "run.json");
  EXPECT_EQ(run["input"]["paths"], nlohmann::json({p1, p2, p3}));
  EXPECT_EQ(run["rows"], test::load_json(t.path() / "one" / "run.json")["rows"]);

  std::string bad = part(150, 200, false);
  const size_t line5 = [&] {
    size_t p = 0;
    for (int i = 0; i < 4; ++i) p = bad.find('\n', p) + 1;
    return p;
  }();
  bad.insert(bad.find('\n', line5), "x");  // line 5 of p3 gets 'NNx' as its spending score
  const std::string p3bad = t.write("p3bad.csv", bad);
  const auto e = run_cli(with({"run", p1, p2, p3bad, "--out", t.file("bad")}));
  EXPECT_EQ(e.code, 2);
  EXPECT_NE(e.err.find("p3bad.csv:5: column 5 'Spending Score (1-100)'"), std::string::npos) << e.err;
  EXPECT_FALSE(std::filesystem::exists(t.file("bad/segments.csv")));
}

TEST(Cli, CudaBackendWithoutCudaIsExitThree) {
  test::temp_dir t;
  const auto r = run_cli({"run", mall, "--out", t.file("out"), "--backend", "cuda", "--quiet"});
  EXPECT_EQ(r.code, 3) << r.err;
  EXPECT_NE(r.err.find("--backend cuda"), std::string::npos) << r.err;
  EXPECT_TRUE(files_in(t.path() / "out").empty());
}

TEST(Cli, UnwritableOutputFolderIsExitTwo) {
  if (::geteuid() == 0) GTEST_SKIP() << "root ignores folder permissions";
  test::temp_dir t;
  std::filesystem::create_directories(t.path() / "ro");
  std::filesystem::permissions(t.path() / "ro", std::filesystem::perms::owner_read | std::filesystem::perms::owner_exec);
  const auto r = run_cli({"run", mall, "--out", t.file("ro/out"), "--quiet"});
  EXPECT_EQ(r.code, 2) << r.err;
}

TEST(Cli, OutputPathThatIsAFileIsExitTwo) {
  test::temp_dir t;
  const std::string file = t.write("not_a_dir", "x");
  const auto r = run_cli({"run", mall, "--out", file, "--quiet"});
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_NE(r.err.find("not a folder"), std::string::npos) << r.err;
}

TEST(Cli, PredictWithMissingColumnOrCorruptModel) {
  test::temp_dir t;
  ASSERT_EQ(run_cli({"run", mall, "--out", t.file("out"), "--k", "3", "--quiet"}).code, 0);
  const std::string other = t.write("other.csv", "CustomerID,Age,Income\n1,20,30\n");
  auto r = run_cli({"predict", "--model", t.file("out/model.json"), other, "--out", t.file("p.csv")});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("Annual Income (k$)"), std::string::npos) << r.err;
  const std::string broken = t.write("broken.json", test::read_file(t.file("out/model.json")).substr(0, 100));
  r = run_cli({"predict", "--model", broken, mall, "--out", t.file("p.csv")});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("not a valid model file"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(t.path() / "p.csv"));
}

TEST(Cli, NpyInputAndExport) {
  test::temp_dir t;
  ASSERT_EQ(run_cli({"run", mall, "--out", t.file("a"), "--k", "3", "--export-matrix", t.file("x.npy"), "--quiet"}).code, 0);
  const auto r = run_cli({"run", t.file("x.npy"), "--out", t.file("b"), "--k", "3", "--no-standardize", "--quiet"});
  ASSERT_EQ(r.code, 0) << r.err;
  const auto a = test::load_json(t.path() / "a" / "run.json");
  const auto b = test::load_json(t.path() / "b" / "run.json");
  EXPECT_NEAR(a["model"]["inertia"].get<double>(), b["model"]["inertia"].get<double>(), 1e-9);
}

TEST(Cli, HelpVersionAndInfo) {
  EXPECT_EQ(run_cli({"--help"}).code, 0);
  EXPECT_EQ(run_cli({"run", "--help"}).code, 0);
  EXPECT_NE(run_cli({"run", "--help"}).out.find("--on-bad-row"), std::string::npos);
  const auto info = run_cli({"info"});
  EXPECT_EQ(info.code, 0);
  EXPECT_NE(info.out.find("cpu backend: yes"), std::string::npos);
  EXPECT_EQ(run_cli({}).code, 2);
}

}  // namespace

namespace {

TEST(CliGmm, PredictReproducesProbabilitiesAndSegments) {
  test::temp_dir t;
  const auto r = run_cli({"run", mall, "--out", t.file("out"), "--features", "Annual Income (k$),Spending Score (1-100)",
                          "--algo", "gmm", "--k", "3..6", "--probabilities", "--quiet"});
  ASSERT_EQ(r.code, 0) << r.err;
  const auto run = test::load_json(t.path() / "out" / "run.json");
  EXPECT_EQ(run["selection"]["algorithm"], "gmm");
  EXPECT_TRUE(run["selection"]["per_k"][0].contains("bic"));
  double best = 1e300;
  int best_k = 0;
  for (const auto& s : run["selection"]["per_k"])
    if (s["bic"].get<double>() < best) best = s["bic"].get<double>(), best_k = s["k"].get<int>();
  EXPECT_EQ(run["selection"]["chosen_k"], best_k);
  const std::string seg = test::read_file(t.file("out/segments.csv"));
  EXPECT_EQ(seg.rfind("CustomerID,segment,segment_name,probability,distance,prob_0,", 0), 0u) << seg.substr(0, 100);
  const auto p = run_cli({"predict", "--model", t.file("out/model.json"), mall, "--out", t.file("pred.csv"), "--probabilities"});
  ASSERT_EQ(p.code, 0) << p.err;
  EXPECT_EQ(test::read_file(t.file("pred.csv")), seg);
}

TEST(CliGmm, DiagAndTiedAndAuto) {
  test::temp_dir t;
  for (const char* cov : {"diag", "spherical", "tied", "full,diag"}) {
    const auto r = run_cli({"run", marketing, "--out", t.file(std::string("o_") + cov), "--algo", "gmm", "--covariance", cov,
                            "--k", "2..3", "--quiet"});
    ASSERT_EQ(r.code, 0) << cov << ": " << r.err;
    const auto p = run_cli({"predict", "--model", t.file(std::string("o_") + cov + "/model.json"), marketing, "--out",
                            t.file(std::string("p_") + cov + ".csv")});
    ASSERT_EQ(p.code, 0) << p.err;
    EXPECT_EQ(test::read_file(t.file(std::string("p_") + cov + ".csv")),
              test::read_file(t.file(std::string("o_") + cov + "/segments.csv")))
        << cov;
  }
  const auto a = run_cli({"run", mall, "--out", t.file("auto"), "--algo", "auto", "--k", "2..6", "--quiet"});
  ASSERT_EQ(a.code, 0) << a.err;
  const auto run = test::load_json(t.path() / "auto" / "run.json");
  EXPECT_NE(run["selection"]["reason"].get<std::string>().find("auto: K-Means chose k"), std::string::npos);
  EXPECT_TRUE(run["model"].contains("auto_silhouette_gmm"));
}

TEST(CliGmm, BadOptions) {
  test::temp_dir t;
  EXPECT_EQ(run_cli({"run", mall, "--out", t.file("a"), "--algo", "gmm", "--covariance", "banana", "--quiet"}).code, 2);
  EXPECT_EQ(run_cli({"run", mall, "--out", t.file("b"), "--probabilities", "--quiet"}).code, 2);
  EXPECT_EQ(run_cli({"run", mall, "--out", t.file("c"), "--algo", "ward9", "--quiet"}).code, 2);
}

}  // namespace

namespace {

TEST(Cli, ProfileMediansReadAsTheDataWereWritten) {
  // Values are read as float32: 55.67 is 55.66999816894531 in double, and profile.csv once said 55.669998.
  test::temp_dir t;
  std::string csv = "id,spend,visits\n";
  for (int i = 0; i < 20; ++i) csv += std::to_string(i) + "," + (i < 10 ? "55.67" : "912.31") + "," + std::to_string(i % 3) + "\n";
  const auto r = run_cli({"run", t.write("t.csv", csv), "--k", "2", "--no-report", "--out", t.file("o")});
  ASSERT_EQ(r.code, 0) << r.err;
  const std::string profile = test::read_file(t.file("o/profile.csv"));
  EXPECT_NE(profile.find(",55.67,"), std::string::npos) << profile;
  EXPECT_NE(profile.find(",912.31,"), std::string::npos) << profile;
  EXPECT_EQ(profile.find("55.669998"), std::string::npos) << profile;
}

}  // namespace

namespace {

TEST(Cli, ATransactionLogGivenAsACustomerTableGetsAHint) {
  test::temp_dir t;
  const std::string day = test::example("online_retail/by-day/2010-12-01.csv.gz").string();
  const auto r = run_cli({"run", day, "--k", "3", "--on-bad-row", "skip", "--no-report", "--out", t.file("o")});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find("looks like a transaction log (columns 'InvoiceDate' and 'InvoiceNo')"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("give --transactions"), std::string::npos) << r.err;
  // A customer table does not get it.
  const auto customers = run_cli({"run", mall, "--no-report", "--out", t.file("m")});
  ASSERT_EQ(customers.code, 0) << customers.err;
  EXPECT_EQ(customers.err.find("transaction log"), std::string::npos) << customers.err;
  // Nor does the customer table segmint builds from a log (avg_order_value, first_purchase, ...).
  ASSERT_EQ(run_cli({"features", "--transactions", test::example("cdnow/CDNOW_sample.txt").string(), "--no-header", "--delimiter",
                     "whitespace", "--customer", "2", "--date", "3", "--amount", "5", "--out", t.file("c.csv")})
                .code,
            0);
  const auto built = run_cli({"run", t.file("c.csv"), "--no-report", "--out", t.file("c")});
  ASSERT_EQ(built.code, 0) << built.err;
  EXPECT_EQ(built.err.find("transaction log"), std::string::npos) << built.err;
}

}  // namespace

namespace {

TEST(Cli, SmallTablesRunOnOneThreadUnlessTold) {
  // Below context::small_data_values a parallel region costs more than it saves (and far more on a busy
  // machine), so a run whose threads were not set uses one; the bytes are the same either way.
  if (std::getenv("OMP_NUM_THREADS") != nullptr || omp_get_max_threads() < 2) GTEST_SKIP() << "needs the default of several threads";
  const int before = omp_get_max_threads();
  test::temp_dir t;
  ASSERT_EQ(run_cli({"run", mall, "--no-report", "--out", t.file("auto")}).code, 0);
  EXPECT_EQ(test::load_json(t.file("auto/run.json"))["config"]["threads"], 1);
  EXPECT_EQ(omp_get_max_threads(), before);  // restored when the run's context ended
  ASSERT_EQ(run_cli({"run", mall, "--no-report", "--threads", "2", "--out", t.file("two")}).code, 0);
  EXPECT_EQ(test::load_json(t.file("two/run.json"))["config"]["threads"], 2);
  EXPECT_EQ(test::read_file(t.file("auto/segments.csv")), test::read_file(t.file("two/segments.csv")));
  EXPECT_EQ(test::read_file(t.file("auto/profile.csv")), test::read_file(t.file("two/profile.csv")));
}

}  // namespace
