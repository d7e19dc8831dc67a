#include <gtest/gtest.h>

#include <cmath>
#include <omp.h>

#include "../support/test_support.hpp"
#include "segmint/error.hpp"
#include "segmint/io.hpp"

using namespace segmint;
using segmint::test::temp_dir;

namespace {

/// Parses every column: numeric columns as numbers, the rest as text.
raw_table read_all(const std::string& path, csv_options o = {}) {
  return read_csv(path, o, [](const std::vector<csv_column_info>& cols) {
    csv_plan p;
    for (const auto& c : cols) (c.kind == column_kind::numeric ? p.numeric : p.text).push_back(c.index);
    return p;
  });
}

std::string error_of(const std::string& path, csv_options o = {}) {
  try {
    read_all(path, o);
  } catch (const input_error& e) {
    return e.what();
  }
  return "no error";
}

TEST(CsvReader, CommaFileWithCrlfAndNoFinalNewline) {
  temp_dir t;
  const auto p = t.write("a.csv", "id,x,y\r\n1,1.5,2\r\n2,3,4");
  const auto r = read_all(p);
  EXPECT_EQ(r.delimiter, ',');
  ASSERT_EQ(r.rows(), 2);
  EXPECT_EQ(r.find("x")->numbers, (std::vector<float>{1.5f, 3.0f}));
  EXPECT_EQ(r.find("y")->numbers, (std::vector<float>{2.0f, 4.0f}));
  EXPECT_EQ(r.lines, (std::vector<int64_t>{2, 3}));
  EXPECT_TRUE(r.ledger.balanced());
}

TEST(CsvReader, DetectsTabSemicolonAndPipe) {
  temp_dir t;
  EXPECT_EQ(read_all(t.write("t.tsv", "a\tb\n1\t2\n")).delimiter, '\t');
  EXPECT_EQ(read_all(t.write("s.csv", "a;b\n1;2\n")).delimiter, ';');
  EXPECT_EQ(read_all(t.write("p.csv", "a|b\n1|2\n")).delimiter, '|');
  csv_options forced;
  forced.delimiter = ';';
  EXPECT_EQ(read_all(t.write("f.csv", "a,b;c\n1,2;3\n"), forced).header.size(), 2u);
}

TEST(CsvReader, Utf8BomIsStripped) {
  temp_dir t;
  const auto r = read_all(t.write("b.csv", "\xEF\xBB\xBFid,x\n1,2\n"));
  EXPECT_TRUE(r.had_bom);
  EXPECT_EQ(r.header[0].name, "id");
}

TEST(CsvReader, QuotedFieldsWithDelimitersQuotesAndNewlines) {
  temp_dir t;
  const auto p = t.write("q.csv", "name,x\n\"Smith, J\",1\n\"say \"\"hi\"\"\",2\n\"two\nlines\",3\nplain,4\n");
  const auto r = read_all(p);
  ASSERT_EQ(r.rows(), 4);
  EXPECT_EQ(r.find("name")->text, (std::vector<std::string>{"Smith, J", "say \"hi\"", "two\nlines", "plain"}));
  EXPECT_EQ(r.lines, (std::vector<int64_t>{2, 3, 4, 6}));  // the embedded newline moves the next record down
}

TEST(CsvReader, BlankLinesAreSkippedAndCounted) {
  temp_dir t;
  const auto r = read_all(t.write("b.csv", "\n\nx,y\n1,2\n\n3,4\n  \n"));
  EXPECT_EQ(r.rows(), 2);
  EXPECT_EQ(r.blank_lines, 2);
  EXPECT_EQ(r.lines, (std::vector<int64_t>{4, 6}));
}

TEST(CsvReader, MissingValuesBecomeNaNAndAreCounted) {
  temp_dir t;
  const auto r = read_all(t.write("m.csv", "x,y\n1,\nNA,2\n3,null\n4,5\n"));
  const auto* x = r.find("x");
  ASSERT_EQ(x->kind, column_kind::numeric);
  EXPECT_TRUE(std::isnan(x->numbers[1]));
  EXPECT_EQ(x->missing, 1);
  EXPECT_EQ(r.find("y")->missing, 2);
}

TEST(CsvReader, RaggedRowNamesFileAndLine) {
  temp_dir t;
  const auto p = t.write("r.csv", "a,b,c\n1,2,3\n4,5\n6,7,8\n");
  const std::string e = error_of(p);
  EXPECT_NE(e.find("r.csv:3"), std::string::npos) << e;
  EXPECT_NE(e.find("expected 3 fields"), std::string::npos) << e;
  EXPECT_NE(e.find("found 2"), std::string::npos) << e;
  csv_options skip;
  skip.on_bad_row = bad_row_policy::skip;
  const auto r = read_all(p, skip);
  EXPECT_EQ(r.rows(), 2);
  EXPECT_EQ(r.ledger.read, 3);
  EXPECT_EQ(r.ledger.rejected.at("wrong_field_count"), 1);
  EXPECT_TRUE(r.ledger.balanced());
}

TEST(CsvReader, NonNumericValueNamesLineColumnAndValue) {
  temp_dir t;
  // The first 1000 rows make the column numeric; row 1201 then holds text.
  std::string body = "id,income\n";
  for (int i = 0; i < 1200; ++i) body += std::to_string(i) + "," + std::to_string(i * 10) + "\n";
  body += "1200,lots\n";
  const auto p = t.write("n.csv", body);
  const std::string e = error_of(p);
  EXPECT_NE(e.find("n.csv:1202"), std::string::npos) << e;
  EXPECT_NE(e.find("column 2 'income'"), std::string::npos) << e;
  EXPECT_NE(e.find("'lots'"), std::string::npos) << e;
}

TEST(CsvReader, InfinityAndFloatOverflowAreErrors) {
  temp_dir t;
  const std::string e1 = error_of(t.write("i.csv", "x\n1\ninf\n"));
  EXPECT_NE(e1.find("infinite"), std::string::npos) << e1;
  const std::string e2 = error_of(t.write("o.csv", "x\n1\n1e308\n"));
  EXPECT_NE(e2.find("float32"), std::string::npos) << e2;
  EXPECT_NE(e2.find("o.csv:3"), std::string::npos) << e2;
}

TEST(CsvReader, EmptyFileAndHeaderOnly) {
  temp_dir t;
  EXPECT_NE(error_of(t.write("e.csv", "")).find("empty file"), std::string::npos);
  EXPECT_NE(error_of(t.write("w.csv", " \n\n")).find("empty file"), std::string::npos);
  EXPECT_NE(error_of(t.write("h.csv", "a,b\n")).find("no data rows"), std::string::npos);
}

TEST(CsvReader, DuplicateColumnNames) {
  temp_dir t;
  const std::string e = error_of(t.write("d.csv", "a,b,a\n1,2,3\n"));
  EXPECT_NE(e.find("duplicate column name"), std::string::npos) << e;
  EXPECT_NE(e.find("column 3"), std::string::npos) << e;
}

TEST(CsvReader, UnterminatedQuote) {
  temp_dir t;
  const std::string e = error_of(t.write("u.csv", "a,b\n1,2\n\"3,4\n5,6\n"));
  EXPECT_NE(e.find("u.csv:3"), std::string::npos) << e;
  EXPECT_NE(e.find("unterminated"), std::string::npos) << e;
}

TEST(CsvReader, DecimalCommaWithSemicolons) {
  temp_dir t;
  csv_options o;
  o.decimal = ',';
  const auto r = read_all(t.write("dc.csv", "a;b\n1,5;2\n3;4,25\n"), o);
  EXPECT_EQ(r.delimiter, ';');
  EXPECT_EQ(r.find("a")->numbers, (std::vector<float>{1.5f, 3.0f}));
  EXPECT_EQ(r.find("b")->numbers, (std::vector<float>{2.0f, 4.25f}));
}

TEST(CsvReader, Latin1TextIsReencodedAsUtf8) {
  temp_dir t;
  const auto r = read_all(t.write("l.csv", "city,x\nK\xF6ln,1\n"));
  EXPECT_EQ(r.find("city")->text[0], "K\xC3\xB6ln");
}

TEST(CsvReader, EmptyHeaderCellsGetNames) {
  temp_dir t;
  const auto r = read_all(t.write("u.csv", ",x\n0,1\n1,2\n"));
  EXPECT_EQ(r.header[0].name, "unnamed_1");
  EXPECT_TRUE(r.header[0].unnamed);
}

/// A file larger than one parse chunk: the parallel parse must equal the serial one exactly,
/// including line numbers, whatever the thread count.
TEST(CsvReader, MultiChunkParseIsExactAndThreadIndependent) {
  temp_dir t;
  std::string body = "id,a,b\n";
  const int rows = 400000;  // ~8 MB: two or more chunks
  for (int i = 0; i < rows; ++i) {
    body += std::to_string(i) + "," + std::to_string(i % 1000) + ".25," + std::to_string((i * 7) % 1003) + "\n";
    if (i % 100000 == 5) body += "\n";  // blank lines inside chunks
  }
  const auto p = t.write("big.csv", body);
  const int saved = omp_get_max_threads();
  omp_set_num_threads(1);
  const auto one = read_all(p);
  omp_set_num_threads(2);
  const auto two = read_all(p);
  omp_set_num_threads(saved);
  ASSERT_EQ(one.rows(), rows);
  EXPECT_EQ(one.blank_lines, 4);
  EXPECT_EQ(one.lines, two.lines);
  EXPECT_EQ(one.find("a")->numbers, two.find("a")->numbers);
  EXPECT_EQ(one.find("a")->numbers[123456], 456.25f);
  EXPECT_EQ(one.find("b")->numbers[rows - 1], static_cast<float>((int64_t{rows - 1} * 7) % 1003));
  EXPECT_EQ(one.lines.back(), rows + 1 + 4);
}

TEST(CsvReader, QuotedMultiChunkFileKeepsRecordsWhole) {
  temp_dir t;
  std::string body = "note,x\n";
  const int rows = 300000;
  for (int i = 0; i < rows; ++i) body += "\"line " + std::to_string(i) + "\nsecond, part\"," + std::to_string(i) + "\n";
  const auto r = read_all(t.write("qbig.csv", body));
  ASSERT_EQ(r.rows(), rows);
  EXPECT_EQ(r.find("x")->numbers[rows - 1], static_cast<float>(rows - 1));
  EXPECT_EQ(r.find("note")->text[77777], "line 77777\nsecond, part");
  EXPECT_EQ(r.lines[77777], 2 + 2 * 77777);
}

TEST(CsvReader, MissingFileIsAnInputError) {
  EXPECT_THROW(read_all("/nonexistent/x.csv"), input_error);
}

}  // namespace
