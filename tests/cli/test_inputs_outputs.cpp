// Nothing lost, nothing overwritten, nothing planted: outputs never replace an input (whatever path names
// it), temporary files are unpredictable and never followed through a link, inputs that are not regular
// text files are refused at once with what they are.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <regex>

#include "../../host/io/atomic_file.hpp"
#include "../../host/io/gzip.hpp"
#include "../support/test_support.hpp"

using namespace segmint;
using test::run_cli;

namespace {

const std::string mall = test::example("mall_customers/Mall_Customers.csv").string();

void expect_refused(const test::cli_result& r, const std::string& words) {
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_NE(r.err.find(words), std::string::npos) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
}

TEST(OutputsNeverOverwriteInputs, PredictOutIsItsInput) {
  test::temp_dir t;
  ASSERT_EQ(run_cli({"run", mall, "--out", t.file("model"), "--k", "4", "--quiet"}).code, 0);
  const std::string in = t.write("customers.csv", test::read_file(mall));
  const auto r = run_cli({"predict", "--model", t.file("model/model.json"), in, "--out", in});
  expect_refused(r, "would overwrite the input file");
  EXPECT_EQ(test::read_file(in), test::read_file(mall));
}

TEST(OutputsNeverOverwriteInputs, RunOutFolderHoldsTheInputNamedLikeAnOutput) {
  test::temp_dir t;
  std::filesystem::create_directories(t.file("out"));
  const std::string in = t.write("out/segments.csv", test::read_file(mall));
  const auto r = run_cli({"run", in, "--out", t.file("out"), "--k", "3", "--quiet"});
  expect_refused(r, "segments.csv: this output would overwrite the input file");
  EXPECT_EQ(test::read_file(in), test::read_file(mall));
  size_t files = 0;
  for (const auto& e : std::filesystem::directory_iterator(t.file("out"))) files += e.is_regular_file();
  EXPECT_EQ(files, 1u) << "only the input is left in the folder";
}

TEST(OutputsNeverOverwriteInputs, ExportMatrixOntoTheInput) {
  test::temp_dir t;
  const std::string in = t.write("table.csv", test::read_file(mall));
  const auto r = run_cli({"run", in, "--out", t.file("out"), "--k", "3", "--quiet", "--export-matrix", in});
  expect_refused(r, "would overwrite the input file");
  EXPECT_EQ(test::read_file(in), test::read_file(mall));
  EXPECT_FALSE(std::filesystem::exists(t.file("out/segments.csv")));
}

TEST(OutputsNeverOverwriteInputs, FeaturesOutIsTheLog) {
  test::temp_dir t;
  const std::string log = t.write("log.csv",
                                  "InvoiceNo,CustomerID,InvoiceDate,Quantity,UnitPrice\n1,7,2011-01-02,1,2.5\n2,8,2011-01-03,2,1.5\n");
  const std::string before = test::read_file(log);
  const auto r = run_cli({"features", "--transactions", log, "--customer", "CustomerID", "--date", "InvoiceDate",
                          "--quantity", "Quantity", "--price", "UnitPrice", "--out", log});
  expect_refused(r, "would overwrite the input file");
  EXPECT_EQ(test::read_file(log), before);
}

TEST(OutputsNeverOverwriteInputs, AnotherSpellingOrALinkOfTheInputIsTheInput) {
  test::temp_dir t;
  ASSERT_EQ(run_cli({"run", mall, "--out", t.file("model"), "--k", "4", "--quiet"}).code, 0);
  const std::string in = t.write("customers.csv", test::read_file(mall));
  std::filesystem::create_directories(t.file("sub"));
  std::filesystem::create_symlink(in, t.file("link.csv"));
  for (const std::string& out : {t.file("sub/../customers.csv"), t.file("link.csv")}) {
    const auto r = run_cli({"predict", "--model", t.file("model/model.json"), in, "--out", out});
    expect_refused(r, "would overwrite the input file");
  }
  EXPECT_EQ(test::read_file(in), test::read_file(mall));
}

TEST(TemporaryFiles, NamesAreUnpredictableAndLinksAreNeverFollowed) {
  test::temp_dir t;
  const std::string victim = t.write("victim.txt", "precious");
  std::filesystem::create_symlink(victim, t.file("out.txt"));  // planted at the final name
  detail::atomic_file a(t.file("out.txt"));
  detail::atomic_file b(t.file("out.txt"));
  const std::regex name(".*/out\\.txt\\.segmint-tmp-[0-9a-f]{16}");
  EXPECT_TRUE(std::regex_match(a.temp_path(), name)) << a.temp_path();
  EXPECT_NE(a.temp_path(), b.temp_path());
  a.write("new content");
  a.commit();
  EXPECT_EQ(test::read_file(victim), "precious");  // the link itself was replaced, not its target
  EXPECT_FALSE(std::filesystem::is_symlink(t.file("out.txt")));
  EXPECT_EQ(test::read_file(t.file("out.txt")), "new content");
}

TEST(InputFileKinds, NamedPipeIsRefusedWithoutBlocking) {
  test::temp_dir t;
  ASSERT_EQ(::mkfifo(t.file("pipe.csv").c_str(), 0600), 0);
  expect_refused(run_cli({"run", t.file("pipe.csv"), "--out", t.file("out"), "--quiet"}), "is a named pipe (FIFO)");
  expect_refused(run_cli({"features", "--transactions", t.file("pipe.csv"), "--customer", "c", "--date", "d", "--amount",
                          "a", "--out", t.file("f.csv")}),
                 "is a named pipe (FIFO)");
  EXPECT_FALSE(std::filesystem::exists(t.file("out/segments.csv")));
}

TEST(InputFileKinds, SpreadsheetsAndColumnarFilesAreNamed) {
  test::temp_dir t;
  const std::vector<std::pair<std::string, std::string>> cases = {
      {std::string("PK\x03\x04\x14\x00\x06\x00", 8) + "[Content_Types].xml", "ZIP archive (an Excel .xlsx"},
      {std::string("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\x00\x00", 10), "legacy Excel .xls"},
      {std::string("PAR1\x15\x04\x15\x10", 8), "Parquet file"},
  };
  for (const auto& [bytes, words] : cases) {
    const std::string f = t.write("table.csv", bytes);
    expect_refused(run_cli({"run", f, "--out", t.file("out"), "--quiet"}), words);
    expect_refused(run_cli({"features", "--transactions", f, "--customer", "c", "--date", "d", "--amount", "a", "--out",
                            t.file("f.csv")}),
                   words);
  }
}

}  // namespace

namespace {

/// A .npy file: the magic, version 1.0, a padded header dict, then `data`.
std::string npy_bytes(const std::string& shape, const std::string& data) {
  std::string dict = "{'descr': '<f4', 'fortran_order': True, 'shape': " + shape + ", }";
  while ((10 + dict.size() + 1) % 64 != 0) dict += ' ';
  dict += '\n';
  std::string out("\x93NUMPY\x01\x00", 8);
  out += static_cast<char>(dict.size() & 0xff);
  out += static_cast<char>(dict.size() >> 8);
  return out + dict + data;
}

TEST(SizesAreChecked, NpyShapeWhoseByteCountOverflowsIsRefused) {
  test::temp_dir t;
  // 2^62 columns × 4 bytes = 2^64 ≡ 0: an unchecked product would match the empty data.
  const std::string f = t.write("big.npy", npy_bytes("(1, 4611686018427387904)", ""));
  expect_refused(run_cli({"run", f, "--out", t.file("out"), "--quiet"}), "is larger than any file can hold");
  const std::string g = t.write("short.npy", npy_bytes("(2, 1)", std::string(4, '\0')));
  expect_refused(run_cli({"run", g, "--out", t.file("out2"), "--quiet"}), ".npy data has 4 bytes, shape needs 8");
}

TEST(SizesAreChecked, GzipTrailerDoesNotSizeTheBuffer) {
  // A 4 GB size claimed by the trailer of a tiny member: the buffer must stay near what the input can inflate to.
  std::string tiny("\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03\x03\x00\x00\x00\x00\x00\x00\x00\x00\x00", 20);
  tiny.replace(tiny.size() - 4, 4, std::string("\xff\xff\xff\xff", 4));
  std::string out;
  const auto err = detail::inflate_all(tiny, out);
  EXPECT_TRUE(err.has_value());
  EXPECT_LT(out.capacity(), size_t{1} << 20) << "the trailer's claim sized the buffer";
}

}  // namespace

namespace {

TEST(NothingLost, UnterminatedQuoteInATransactionLogCostsOneLine) {
  test::temp_dir t;
  std::string log = "InvoiceNo,CustomerID,InvoiceDate,Quantity,UnitPrice\n";
  for (int i = 1; i <= 40; ++i)
    log += i == 10 ? "10,\"109,2011-01-11,1,2.5\n"
                   : std::to_string(i) + "," + std::to_string(100 + i % 9) + ",2011-01-" + (i % 27 + 1 < 10 ? "0" : "") +
                         std::to_string(i % 27 + 1) + ",1,2.5\n";
  const auto r = run_cli({"features", "--transactions", t.write("log.csv", log), "--customer", "CustomerID", "--date",
                          "InvoiceDate", "--quantity", "Quantity", "--price", "UnitPrice", "--out", t.file("c.csv"),
                          "--on-bad-row", "skip"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("Lines: 40 read, 39 used"), std::string::npos) << r.out;  // not "10 read": nothing swallowed
  EXPECT_NE(r.out.find("1 rejected (malformed_quotes: 1)"), std::string::npos) << r.out;
}

/// A log whose line 11 opens a quote that a stray quote on line 21 closes: ten good lines lie inside it.
std::string log_with_a_quote_spanning_lines() {
  std::string log = "InvoiceNo,CustomerID,InvoiceDate,Quantity,UnitPrice\n";
  for (int i = 1; i <= 40; ++i) {
    const std::string day = std::string(i % 27 + 1 < 10 ? "0" : "") + std::to_string(i % 27 + 1);
    const std::string invoice = i == 10 ? "\"10" : i == 20 ? "20\"" : std::to_string(i);
    log += invoice + "," + std::to_string(100 + i % 9) + ",2011-01-" + day + ",1,2.5\n";
  }
  return log;
}

TEST(NothingLost, AQuoteClosingLinesLaterInATransactionLogCostsOneLine) {
  test::temp_dir t;
  const auto r = run_cli({"features", "--transactions", t.write("log.csv", log_with_a_quote_spanning_lines()), "--customer",
                          "CustomerID", "--date", "InvoiceDate", "--quantity", "Quantity", "--price", "UnitPrice", "--out",
                          t.file("c.csv"), "--on-bad-row", "skip"});
  ASSERT_EQ(r.code, 0) << r.err;
  // Line 11 is rejected alone; lines 12-21 are read as themselves (a quote inside a field is text, RFC 4180).
  EXPECT_NE(r.out.find("Lines: 40 read, 39 used"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("1 rejected (malformed_quotes: 1)"), std::string::npos) << r.out;
}

TEST(NothingLost, AQuoteClosingLinesLaterInATransactionLogIsNamedWithTheLinesItSpans) {
  test::temp_dir t;
  const auto r = run_cli({"features", "--transactions", t.write("log.csv", log_with_a_quote_spanning_lines()), "--customer",
                          "CustomerID", "--date", "InvoiceDate", "--quantity", "Quantity", "--price", "UnitPrice", "--out",
                          t.file("c.csv")});
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_NE(r.err.find("log.csv:11"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("runs from this line over the next 10 lines"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(t.file("c.csv")));
}

}  // namespace

namespace {

TEST(NoMadeUpCustomers, PredictRejectsARowWithNoFeatureValue) {
  test::temp_dir t;
  std::string train = "id,spend,visits\n";
  for (int i = 0; i < 30; ++i) train += "c" + std::to_string(i) + "," + std::to_string(i % 7 + 1) + "," + std::to_string(i % 5 + 2) + "\n";
  ASSERT_EQ(run_cli({"run", t.write("train.csv", train), "--out", t.file("out"), "--k", "2", "--quiet"}).code, 0);
  const std::string scoring = t.write("new.csv", "id,spend,visits\nn1,3,4\nn2,,\nn3,6,2\n");
  const auto fail = run_cli({"predict", "--model", t.file("out/model.json"), scoring, "--out", t.file("p.csv")});
  EXPECT_EQ(fail.code, 2) << fail.err;
  EXPECT_NE(fail.err.find("new.csv:3"), std::string::npos) << fail.err;
  EXPECT_NE(fail.err.find("no value in any feature column"), std::string::npos) << fail.err;
  EXPECT_FALSE(std::filesystem::exists(t.file("p.csv")));
  const auto skip = run_cli({"predict", "--model", t.file("out/model.json"), scoring, "--out", t.file("p.csv"), "--on-bad-row", "skip"});
  ASSERT_EQ(skip.code, 0) << skip.err;
  EXPECT_NE(skip.out.find("no_feature_values: 1"), std::string::npos) << skip.out;
  const std::string predicted = test::read_file(t.file("p.csv"));
  EXPECT_EQ(predicted.find("\nn2,"), std::string::npos) << predicted;
  EXPECT_NE(predicted.find("\nn3,"), std::string::npos) << predicted;
}

TEST(OutputSets, AFolderInTheWayStopsTheRunBeforeAnyOutputAppears) {
  test::temp_dir t;
  std::filesystem::create_directories(t.file("out/report.html"));
  const auto r = run_cli({"run", mall, "--out", t.file("out"), "--k", "3", "--quiet", "--export-matrix", t.file("z.npy")});
  expect_refused(r, "report.html: a folder is in the way of this output");
  for (const char* name : {"segments.csv", "profile.csv", "model.json", "run.json"})
    EXPECT_FALSE(std::filesystem::exists(t.file(std::string("out/") + name))) << name;
  EXPECT_FALSE(std::filesystem::exists(t.file("z.npy"))) << "the exported matrix is written with the outputs, not before";
}

TEST(OutputSets, OptionalOutputsOfAnEarlierRunAreRemovedButNotOtherFiles) {
  test::temp_dir t;
  ASSERT_EQ(run_cli({"run", mall, "--out", t.file("out"), "--algo", "ward", "--k", "3", "--quiet"}).code, 0);
  ASSERT_TRUE(std::filesystem::exists(t.file("out/linkage.csv")));
  const auto r = run_cli({"run", mall, "--out", t.file("out"), "--k", "3", "--quiet", "--no-report"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_FALSE(std::filesystem::exists(t.file("out/linkage.csv")));
  EXPECT_FALSE(std::filesystem::exists(t.file("out/report.html")));
  EXPECT_NE(r.err.find("removed linkage.csv left in"), std::string::npos) << r.err;
  // A file of the user's that merely shares the name is not segmint's to remove.
  t.write("mine/report.html", "");
  std::filesystem::create_directories(t.file("mine"));
  t.write("mine/report.html", "<html>my own notes</html>");
  ASSERT_EQ(run_cli({"run", mall, "--out", t.file("mine"), "--k", "3", "--quiet", "--no-report"}).code, 0);
  EXPECT_EQ(test::read_file(t.file("mine/report.html")), "<html>my own notes</html>");
}

}  // namespace

namespace {

std::string table_with_formula_ids() {
  std::string s = "id,spend,visits\n";
  const std::vector<std::string> ids = {"=1+2", "@SUM(A1)", "+cmd", "-x", "-5", "plain"};
  for (int i = 0; i < 30; ++i)
    s += (i < 6 ? ids[static_cast<size_t>(i)] : "c" + std::to_string(i)) + "," + std::to_string(i % 7 + 1) + "," +
         std::to_string(i % 5 + 2) + "\n";
  return s;
}

TEST(SpreadsheetSafety, FormulaLikeIdsRoundTripByDefaultWithAWarning) {
  test::temp_dir t;
  const std::string in = t.write("customers.csv", table_with_formula_ids());
  const auto r = run_cli({"run", in, "--out", t.file("out"), "--k", "2", "--quiet"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find("4 ids start with =, +, - or @"), std::string::npos) << r.err;  // -5 is a number
  const std::string seg = test::read_file(t.file("out/segments.csv"));
  EXPECT_NE(seg.find("\n=1+2,"), std::string::npos) << seg;
  EXPECT_NE(seg.find("\n-5,"), std::string::npos);
}

TEST(SpreadsheetSafety, TheOptionQuotesThemForSpreadsheets) {
  test::temp_dir t;
  const std::string in = t.write("customers.csv", table_with_formula_ids());
  const auto r = run_cli({"run", in, "--out", t.file("out"), "--k", "2", "--quiet", "--spreadsheet-safe"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.err.find("ids start with"), std::string::npos) << r.err;
  const std::string seg = test::read_file(t.file("out/segments.csv"));
  for (const char* v : {"\n'=1+2,", "\n'@SUM(A1),", "\n'+cmd,", "\n'-x,", "\n-5,", "\nplain,"})
    EXPECT_NE(seg.find(v), std::string::npos) << v << "\n" << seg;
  const auto p = run_cli({"predict", "--model", t.file("out/model.json"), in, "--out", t.file("p.csv"), "--spreadsheet-safe"});
  ASSERT_EQ(p.code, 0) << p.err;
  EXPECT_NE(test::read_file(t.file("p.csv")).find("\n'=1+2,"), std::string::npos);
}

TEST(SpreadsheetSafety, CategoryLevelsInTheProfileAreGuardedToo) {
  test::temp_dir t;
  std::string table = "id,spend,visits,channel\n";
  for (int i = 0; i < 30; ++i)
    table += "c" + std::to_string(i) + "," + std::to_string(i < 15 ? 1 + i % 3 : 20 + i % 3) + "," + std::to_string(i % 5 + 2) +
             "," + (i < 15 ? "=HYPERLINK(1)" : "web") + "\n";
  const std::string in = t.write("customers.csv", table);
  const auto plain = run_cli({"run", in, "--out", t.file("a"), "--k", "2", "--quiet", "--categorical", "channel"});
  ASSERT_EQ(plain.code, 0) << plain.err;
  EXPECT_NE(plain.err.find("column or category name"), std::string::npos) << plain.err;
  EXPECT_NE(test::read_file(t.file("a/profile.csv")).find(",=HYPERLINK(1),"), std::string::npos);
  const auto safe = run_cli({"run", in, "--out", t.file("b"), "--k", "2", "--quiet", "--categorical", "channel", "--spreadsheet-safe"});
  ASSERT_EQ(safe.code, 0) << safe.err;
  const std::string profile = test::read_file(t.file("b/profile.csv"));
  EXPECT_NE(profile.find(",'=HYPERLINK(1),"), std::string::npos) << profile;
  EXPECT_EQ(profile.find(",=HYPERLINK"), std::string::npos) << profile;
}

}  // namespace
