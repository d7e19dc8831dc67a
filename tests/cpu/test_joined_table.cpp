// Sources about the same customers joined by id (--join): a left join on the input's customers, with every
// row of every file accounted for.
#include <gtest/gtest.h>

#include <cmath>

#include "../support/test_support.hpp"
#include "segmint/error.hpp"
#include "segmint/table.hpp"
#include "../../host/io/join_source.hpp"

using namespace segmint;
using segmint::test::temp_dir;

namespace {

std::string error_of(const std::string& base, const std::vector<std::string>& joins, const table_params& p) {
  try {
    load_joined_table(base, joins, p);
  } catch (const input_error& e) {
    return e.what();
  }
  return "no error";
}

TEST(JoinedTable, LeftJoinByIdWithTheLedgerOfEverySource) {
  temp_dir t;
  const std::string base = t.write("customers.csv", "CustomerID,spend\nc1,10\n,20\nc3,30\nc4,40\n");
  const std::string survey = t.write("survey.csv", "CustomerID,tasty,Like\nc3,Yes,+2\nc1,No,I hate it!-5\nc9,Yes,+1\n");
  const std::string web = t.write("web.tsv", "CustomerID\tvisits\nc4\t7\nc1\t3\n");
  table_params p;
  p.id = "CustomerID";
  p.csv.on_bad_row = bad_row_policy::skip;  // the second row has no id
  const auto table = load_joined_table(base, {survey, web}, p);
  EXPECT_EQ(table.ids, (std::vector<std::string>{"c1", "c3", "c4"}));
  EXPECT_EQ(table.feature_names(), (std::vector<std::string>{"spend", "tasty", "Like", "visits"}));
  // c4 has no survey row: tasty and Like are missing there and get the medians of c1 and c3 (0.5, -1.5);
  // c3 has no web row: visits gets the median of 3 and 7.
  const std::vector<std::vector<float>> expected = {{10, 0, -5, 3}, {30, 1, 2, 5}, {40, 0.5f, -1.5f, 7}};
  for (int64_t i = 0; i < 3; ++i)
    for (int64_t j = 0; j < 4; ++j) EXPECT_EQ(table.values(i, j), expected[static_cast<size_t>(i)][static_cast<size_t>(j)]) << i << "," << j;
  EXPECT_EQ(table.features[1].text_rule, "yes/no");
  EXPECT_EQ(table.ledger.read, 4);
  EXPECT_EQ(table.ledger.rejected.at("missing_id"), 1);
  EXPECT_TRUE(table.ledger.balanced());
  ASSERT_EQ(table.joins.size(), 2u);
  EXPECT_EQ(table.joins[0].rows_read, 3);
  EXPECT_EQ(table.joins[0].matched, 2);
  EXPECT_EQ(table.joins[0].not_in_base, 1);  // c9
  EXPECT_EQ(table.joins[0].customers_without_row, 1);  // c4
  EXPECT_EQ(table.joins[1].columns, (std::vector<std::string>{"visits"}));
}

TEST(JoinedTable, RepeatedIdsClashingColumnsAndAMissingIdAreRefused) {
  temp_dir t;
  const std::string base = t.write("b.csv", "id,spend\n1,10\n2,20\n3,30\n");
  table_params p;
  p.id = "id";
  const std::string twice = t.write("twice.csv", "id,score\n1,5\n2,6\n1,7\n");
  const std::string e = error_of(base, {twice}, p);
  EXPECT_NE(e.find("twice.csv:4"), std::string::npos) << e;
  EXPECT_NE(e.find("repeated id '1'"), std::string::npos) << e;
  p.csv.on_bad_row = bad_row_policy::skip;
  const auto kept_first = load_joined_table(base, {twice}, p);
  EXPECT_EQ(kept_first.values(0, 1), 5.0f);
  EXPECT_EQ(kept_first.joins[0].rejected.at("duplicate_id"), 1);
  EXPECT_NE(error_of(base, {t.write("clash.csv", "id,spend\n1,2\n")}, p).find("'spend' is also in"), std::string::npos);
  EXPECT_NE(error_of(base, {t.write("noid.csv", "key,score\n1,2\n")}, p).find("needs the id column 'id'"), std::string::npos);
  table_params no_id;
  EXPECT_NE(error_of(base, {twice}, no_id).find("--join needs --id"), std::string::npos);
}

TEST(JoinedTable, WholeNumberIdsMatchByValue) {
  using detail::join_key;
  EXPECT_EQ(join_key("00042"), "42");
  EXPECT_EQ(join_key("42.0"), "42");
  EXPECT_EQ(join_key("42."), "42");
  EXPECT_EQ(join_key("0"), "0");
  EXPECT_EQ(join_key("000"), "0");
  EXPECT_EQ(join_key("42.5"), "42.5");
  EXPECT_EQ(join_key("42a"), "42a");
  EXPECT_EQ(join_key("-42"), "-42");
  EXPECT_EQ(join_key("c0042"), "c0042");
  temp_dir t;
  const std::string base = t.write("crm.csv", "id,spend\n1,10\n2,20\n3,30\n");
  const std::string survey = t.write("survey.csv", "id,score\n0003,7\n0001.0,5\n");
  table_params p;
  p.id = "id";
  const auto table = load_joined_table(base, {survey}, p);
  EXPECT_EQ(table.joins.at(0).matched, 2);
  EXPECT_EQ(table.values(0, 1), 5);
  EXPECT_EQ(table.values(2, 1), 7);
  EXPECT_EQ(table.values(1, 1), 6);  // no survey row: the median of 5 and 7
  // Two spellings of one number in the base table could not be told apart by a joined file.
  const std::string twice = t.write("twice.csv", "id,spend\n7,1\n007,2\n");
  EXPECT_NE(error_of(twice, {survey}, p).find("twice.csv:3: column 1 'id': id '007' is the same number as '7' (line 2)"), std::string::npos)
      << error_of(twice, {survey}, p);
}

}  // namespace
