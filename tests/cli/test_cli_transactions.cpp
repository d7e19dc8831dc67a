// segmint features and segmint run --transactions, in-process, on hand-made logs and on Online Retail.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <sstream>

#include "../support/test_support.hpp"

using namespace segmint;
using test::run_cli;

namespace {

/// A small log: 40 customers, some frequent recent big spenders, some who bought once long ago.
std::string small_log() {
  std::string s = "InvoiceNo,CustomerID,InvoiceDate,Quantity,UnitPrice\n";
  int invoice = 1000;
  for (int c = 0; c < 40; ++c) {
    const bool loyal = c % 3 == 0;
    const int orders = loyal ? 6 + c % 5 : 1;
    for (int k = 0; k < orders; ++k) {
      const int month = loyal ? 12 - k : 1 + c % 3;
      char date[32];
      std::snprintf(date, sizeof date, "2011-%02d-%02d 10:00:00", month, 1 + (c * 7 + k) % 27);
      s += std::to_string(invoice++) + "," + std::to_string(17000 + c) + ".0," + date + "," + std::to_string(1 + c % 4) + "," +
           (loyal ? "25.5" : "3.25") + "\n";
    }
  }
  return s;
}

const std::vector<std::string> columns = {"--customer", "CustomerID", "--date", "InvoiceDate", "--quantity", "Quantity",
                                          "--price", "UnitPrice", "--invoice", "InvoiceNo"};

std::vector<std::string> args(std::vector<std::string> a, const std::vector<std::string>& more = columns) {
  a.insert(a.end(), more.begin(), more.end());
  return a;
}

std::vector<std::string> csv_rows(const std::string& text) {
  std::vector<std::string> rows;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) rows.push_back(line);
  return rows;
}

TEST(CliTransactions, FeaturesWritesTheTableAndItsLedger) {
  test::temp_dir t;
  const std::string log = t.write("log.csv", small_log());
  const auto r = run_cli(args({"features", "--transactions", log, "--out", t.file("customers.csv")}));
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("→ 40 customers, 8 features"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Lines: 138 read, 138 used"), std::string::npos) << r.out;
  const auto rows = csv_rows(test::read_file(t.file("customers.csv")));
  ASSERT_EQ(rows.size(), 41u);
  EXPECT_EQ(rows[0],
            "CustomerID,recency_days,frequency,repeat_frequency,monetary_total,avg_order_value,tenure_days,avg_days_between,"
            "return_rate,first_purchase,last_purchase");
  // Customer 17000: 6 orders of 25.50 from 6 July to 1 December; as-of is 26 December (last line: 25 Dec).
  EXPECT_EQ(rows[1], "17000,25,6,5,153,25.5,173,29.6,0,2011-07-06,2011-12-01");
  EXPECT_EQ(rows[2], "17001,321,1,0,6.5,6.5,321,,0,2011-02-08,2011-02-08");  // one purchase: no gap
  const auto ledger = test::load_json(t.file("customers.ledger.json"));
  EXPECT_EQ(ledger["lines"]["read"], 138);
  EXPECT_TRUE(ledger["lines"]["balanced"].get<bool>());
  EXPECT_EQ(ledger["as_of"], "2011-12-26");
  EXPECT_EQ(ledger["as_of_source"], "default: the day after the last transaction");
}

TEST(CliTransactions, RunInlineEqualsFeaturesThenRun) {
  test::temp_dir t;
  const std::string log = t.write("log.csv", small_log());
  ASSERT_EQ(run_cli(args({"features", "--transactions", log, "--out", t.file("c.csv")})).code, 0);
  const auto a = run_cli(args({"run", "--transactions", log, "--out", t.file("a"), "--k", "2..4", "--quiet"}));
  ASSERT_EQ(a.code, 0) << a.err;
  const auto b = run_cli({"run", t.file("c.csv"), "--id", "CustomerID", "--features", "recency_days,frequency,monetary_total",
                          "--log", "auto", "--out", t.file("b"), "--k", "2..4", "--quiet"});
  ASSERT_EQ(b.code, 0) << b.err;
  EXPECT_EQ(test::read_file(t.file("a/segments.csv")), test::read_file(t.file("b/segments.csv")));
  // The model of a transaction run scores a customer table made by `segmint features`: same segments.
  const auto p = run_cli({"predict", "--model", t.file("a/model.json"), t.file("c.csv"), "--out", t.file("p.csv")});
  ASSERT_EQ(p.code, 0) << p.err;
  EXPECT_EQ(test::read_file(t.file("p.csv")), test::read_file(t.file("a/segments.csv")));
  const auto run = test::load_json(t.file("a/run.json"));
  EXPECT_EQ(run["transactions"]["as_of"], "2011-12-26");
  EXPECT_EQ(run["config"]["as_of"], "2011-12-26");
  EXPECT_EQ(run["transactions"]["lines"]["read"], 138);
  EXPECT_TRUE(run["config"]["log_auto"].get<bool>());  // the default for transaction logs
  EXPECT_EQ(run["rows"]["read"], 40);
  EXPECT_NE(a.out.find("Lines: 138 read"), std::string::npos) << a.out;
}

TEST(CliTransactions, BadInputsExitTwoWithFileAndLine) {
  test::temp_dir t;
  const std::string bad = t.write("bad.csv", "InvoiceNo,CustomerID,InvoiceDate,Quantity,UnitPrice\n1,7,2011-01-01,1,2\n2,7,01/02/2011,1,2\n");
  auto r = run_cli(args({"features", "--transactions", bad, "--out", t.file("c.csv")}));
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err.rfind("segmint: error: " + bad + ":3: column 3 'InvoiceDate': not a date", 0), 0u) << r.err;
  EXPECT_FALSE(std::filesystem::exists(t.file("c.csv")));
  r = run_cli(args({"features", "--transactions", bad, "--out", t.file("c.csv"), "--date-format", "%d/%m/%Y"}));
  EXPECT_EQ(r.code, 2);  // now line 2 is the bad one
  EXPECT_NE(r.err.find(":2: column 3"), std::string::npos) << r.err;
  r = run_cli(args({"features", "--transactions", bad, "--out", t.file("c.csv"), "--on-bad-row", "skip"}));
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("(bad_date: 1)"), std::string::npos) << r.out;
  EXPECT_EQ(run_cli({"run", "--out", t.file("o")}).code, 2);
  EXPECT_EQ(run_cli(args({"run", bad, "--transactions", bad, "--out", t.file("o")})).code, 2);
  EXPECT_EQ(run_cli(args({"run", "--transactions", bad, "--out", t.file("o"), "--id", "x"})).code, 2);
  r = run_cli({"features", "--transactions", bad, "--customer", "CustomerID", "--date", "InvoiceDate", "--out", t.file("c.csv")});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("give --amount COL, or --quantity COL and --price COL"), std::string::npos) << r.err;
}

std::vector<std::string> online_retail_files() {
  std::vector<std::string> files;
  for (const auto& e : std::filesystem::directory_iterator(test::example("online_retail/by-day")))
    if (e.path().extension() == ".gz") files.push_back(e.path().string());
  std::sort(files.begin(), files.end());
  return files;
}

TEST(CliTransactions, OnlineRetailRfmSegmentsEndToEnd) {
  test::temp_dir t;
  std::vector<std::string> a{"run", "--transactions"};
  const auto files = online_retail_files();
  a.insert(a.end(), files.begin(), files.end());
  a = args(a);
  for (const char* s : {"--out", "", "--k", "4", "--quiet"}) a.push_back(s);
  a[a.size() - 4] = t.file("out");
  const auto r = run_cli(a);
  ASSERT_EQ(r.code, 0) << r.err;
  const auto run = test::load_json(t.file("out/run.json"));
  EXPECT_EQ(run["transactions"]["lines"]["read"], 541909);
  EXPECT_EQ(run["transactions"]["lines"]["rejected_by_reason"]["missing_customer_id"], 135080);
  EXPECT_EQ(run["transactions"]["facts"]["cancellation_lines"], 9288);
  EXPECT_TRUE(run["transactions"]["lines"]["balanced"].get<bool>());
  EXPECT_EQ(run["transactions"]["as_of"], "2011-12-10");
  EXPECT_EQ(run["rows"]["used"], 4339);
  EXPECT_EQ(run["columns"]["log1p"], (nlohmann::json{"recency_days", "frequency", "monetary_total"}));
  EXPECT_EQ(csv_rows(test::read_file(t.file("out/segments.csv"))).size(), 4340u);
  // RFM structure: a recent, frequent, high-spend segment and a lapsed one (far above average recency).
  bool champions = false, lapsed = false;
  for (const auto& s : run["segments"]) {
    std::map<std::string, double> z;
    for (const auto& d : s["drivers"]) z[d["feature"]] = d["z"];
    if (z.count("recency_days") && z["recency_days"] > 0.8) lapsed = true;
    if (z["recency_days"] < 0 && z["frequency"] > 0.5 && z["monetary_total"] > 0.5) champions = true;
  }
  EXPECT_TRUE(champions) << run["segments"].dump();
  EXPECT_TRUE(lapsed) << run["segments"].dump();
}

}  // namespace
