// A customer table joined with the customer features built from a transaction log (README "Joining
// sources"): lifetimes' CDNOW calibration summary (ids 1, 2, ...) with the CDNOW sample log (ids 0001, ...).
#include <gtest/gtest.h>

#include <map>
#include <sstream>

#include "../support/test_support.hpp"

using namespace segmint;
using test::run_cli;

namespace {

const std::string summary = test::example("cdnow/cdnow_customers_summary.csv").string();
const std::string log_file = test::example("cdnow/CDNOW_sample.txt").string();
const std::vector<std::string> log_options = {"--transactions", log_file, "--no-header", "--delimiter", "whitespace",
                                              "--customer", "2", "--date", "3", "--amount", "5", "--as-of", "1997-10-01"};

std::vector<std::string> fields(const std::string& line) {
  std::vector<std::string> f;
  std::istringstream s(line);
  for (std::string x; std::getline(s, x, ',');) f.push_back(x);
  return f;
}

std::vector<std::string> with_log(std::vector<std::string> args) {
  args.insert(args.begin() + 2, log_options.begin(), log_options.end());
  return args;
}

TEST(JoinedLogCli, TableWithTheLogsFeaturesEqualsTheTableJoinedByHand) {
  test::temp_dir t;
  // The table: the summary's ID, recency and T (its frequency would clash with the log's), less two customers
  // of the log, plus three customers who bought nothing in the log.
  std::istringstream in(test::read_file(summary));
  std::string table = "ID,recency,T\n", line;
  std::getline(in, line);
  std::vector<std::vector<std::string>> rows;
  while (std::getline(in, line)) {
    const auto f = fields(line);
    if (f[0] == "5" || f[0] == "10") continue;
    rows.push_back({f[0], f[2], f[3]});
  }
  for (const char* id : {"9001", "9002", "9003"}) rows.push_back({id, "0", "38.86"});
  for (const auto& r : rows) table += r[0] + "," + r[1] + "," + r[2] + "\n";
  const std::string table_file = t.write("customers.csv", table);
  const std::string features = "recency,T,recency_days,frequency,monetary_total";

  const auto joined = run_cli(with_log({"run", table_file, "--id", "ID", "--features", features, "--k", "3", "--out", t.file("joined")}));
  ASSERT_EQ(joined.code, 0) << joined.err;
  EXPECT_NE(joined.err.find(": 2357 rows, 2355 matched, 2 not in " + table_file + "; 3 customers without a row there (no purchase in the log)"),
            std::string::npos)
      << joined.err;
  const auto run = test::load_json(t.path() / "joined" / "run.json");
  EXPECT_EQ(run["joins"][0]["matched"], 2355);
  EXPECT_EQ(run["joins"][0]["not_in_input"], 2);
  EXPECT_EQ(run["joins"][0]["customers_without_row"], 3);
  EXPECT_EQ(run["joins"][0]["columns"], nlohmann::json::array({"recency_days", "frequency", "monetary_total"}));
  EXPECT_EQ(run["rows"]["used"], rows.size());
  EXPECT_EQ(run["transactions"]["as_of"], "1997-10-01");

  // By hand: `segmint features` on the log, each table row given its customer's features by id value; the
  // non-buyers get 0 purchases and money and a recency of the log's span (1997-01-01 to 1997-10-01: 273 days).
  const auto features_run = run_cli(
      {"features", "--transactions", log_file, "--no-header", "--delimiter", "whitespace", "--customer", "2", "--date", "3",
       "--amount", "5", "--as-of", "1997-10-01", "--out", t.file("log_customers.csv")});
  ASSERT_EQ(features_run.code, 0) << features_run.err;
  std::map<long, std::vector<std::string>> of_customer;  // id value → recency_days, frequency, monetary_total
  std::istringstream log_customers(test::read_file(t.file("log_customers.csv")));
  std::getline(log_customers, line);
  ASSERT_EQ(fields(line)[1], "recency_days");
  while (std::getline(log_customers, line)) {
    const auto f = fields(line);
    of_customer[std::stol(f[0])] = {f[1], f[2], f[4]};
  }
  std::string by_hand = "ID,recency,T,recency_days,frequency,monetary_total\n";
  for (const auto& r : rows) {
    const auto found = of_customer.find(std::stol(r[0]));
    const std::vector<std::string> log_part = found == of_customer.end() ? std::vector<std::string>{"273", "0", "0"} : found->second;
    by_hand += r[0] + "," + r[1] + "," + r[2] + "," + log_part[0] + "," + log_part[1] + "," + log_part[2] + "\n";
  }
  const auto whole = run_cli({"run", t.write("by_hand.csv", by_hand), "--id", "ID", "--features", features, "--log", "auto",
                              "--k", "3", "--out", t.file("by_hand"), "--quiet"});
  ASSERT_EQ(whole.code, 0) << whole.err;
  EXPECT_EQ(test::read_file(t.file("joined/segments.csv")), test::read_file(t.file("by_hand/segments.csv")));
  EXPECT_EQ(test::read_file(t.file("joined/profile.csv")), test::read_file(t.file("by_hand/profile.csv")));

  // The model scores the same customers from the table and the log as the run segmented them.
  const auto scored = run_cli(with_log({"predict", table_file, "--model", t.file("joined/model.json"), "--out", t.file("scored.csv")}));
  ASSERT_EQ(scored.code, 0) << scored.err;
  EXPECT_NE(scored.err.find(": 2357 rows, 2355 matched, 2 not in " + table_file + "; 3 customers without a row there"), std::string::npos)
      << scored.err;
  EXPECT_EQ(test::read_file(t.file("scored.csv")), test::read_file(t.file("joined/segments.csv")));
}

TEST(JoinedLogCli, TuneSearchesTheJoinedTableAndRunTakesItsConfig) {
  test::temp_dir t;
  const std::string table = t.write("customers.csv", [] {
    std::istringstream in(test::read_file(summary));
    std::string out = "ID,T\n", line;
    std::getline(in, line);
    while (std::getline(in, line)) {
      const auto f = fields(line);
      out += f[0] + "," + f[3] + "\n";
    }
    return out;
  }());
  const auto tuned = run_cli(with_log({"tune", table, "--id", "ID", "--features", "T,recency_days,frequency,monetary_total", "--algo",
                                       "kmeans", "--k", "2..4", "--log", "auto", "--pca", "0", "--bootstrap", "3", "--gap-references",
                                       "2", "--quiet", "--no-report", "--out", t.file("tune")}));
  ASSERT_EQ(tuned.code, 0) << tuned.err;
  EXPECT_NE(tuned.err.find(": 2357 rows, 2357 matched, 0 not in " + table), std::string::npos) << tuned.err;
  const auto tune = test::load_json(t.path() / "tune" / "tune.json");
  EXPECT_EQ(tune["input"]["joins"][0]["matched"], 2357);
  EXPECT_EQ(tune["input"]["features"], nlohmann::json::array({"T", "recency_days", "frequency", "monetary_total"}));
  const auto run = run_cli(with_log({"run", table, "--config", t.file("tune/tune.json"), "--quiet", "--out", t.file("run")}));
  ASSERT_EQ(run.code, 0) << run.err;
  EXPECT_EQ(test::load_json(t.path() / "run" / "run.json")["selection"]["chosen_k"], tune["recommended"]["k"]);
}

TEST(JoinedLogCli, RefusesWhatCannotBeJoined) {
  test::temp_dir t;
  struct refused {
    std::vector<std::string> args;
    std::string says;
  };
  const std::string other_ids = t.write("other_ids.csv", "ID,age\nc1,30\nc2,40\nc3,50\n");
  const std::vector<refused> cases = {
      {{"run", summary}, "needs --id COL"},
      {{"run", summary, "--id", "ID"}, "column 'frequency' is also in " + summary},
      {{"run", summary, "--id", "ID", "--features", "recency,T"}, "--features names none of the transaction log's customer features"},
      {{"run", other_ids, "--id", "ID"}, "no id in column 'customer' is a customer of " + other_ids},
      {{"run", summary, "--id", "ID", "--features", "recency,monetary_total", "--value"}, "run --value models the log's customers"},
  };
  for (const auto& c : cases) {
    auto args = with_log(c.args);
    args.push_back("--out");
    args.push_back(t.file("out"));
    const auto r = run_cli(args);
    EXPECT_EQ(r.code, 2) << c.says;
    EXPECT_NE(r.err.find(c.says), std::string::npos) << r.err;
    EXPECT_FALSE(std::filesystem::exists(t.file("out/segments.csv")));
  }
}

}  // namespace
