#include <gtest/gtest.h>

#include <cmath>

#include "../support/test_support.hpp"
#include "segmint/error.hpp"
#include "segmint/table.hpp"

using namespace segmint;
using segmint::test::temp_dir;

namespace {

std::string error_of(const std::string& path, const table_params& p = {}) {
  try {
    load_feature_table(path, p);
  } catch (const input_error& e) {
    return e.what();
  }
  return "no error";
}

TEST(ColumnRoles, IdLikeNames) {
  for (const char* n : {"id", "ID", "CustomerID", "customer_id", "ClientId", "user-id", "uuid", "Customer ID"})
    EXPECT_TRUE(looks_like_id(n)) << n;
  for (const char* n : {"Income", "Paid", "Idle time", "width", "Video", "Ideas", "Kidhome"})
    EXPECT_FALSE(looks_like_id(n)) << n;
}

TEST(FeatureTable, MallDefaultsUseNumericNonIdColumns) {
  const auto t = load_feature_table(test::example("mall_customers/Mall_Customers.csv").string(), {});
  EXPECT_EQ(t.id_column, "CustomerID");
  EXPECT_EQ(t.ids.front(), "0001");  // leading zeros kept: ids are text
  EXPECT_EQ(t.feature_names(), (std::vector<std::string>{"Age", "Annual Income (k$)", "Spending Score (1-100)"}));
  EXPECT_EQ(t.rows(), 200);
  ASSERT_EQ(t.skipped_columns.size(), 1u);
  EXPECT_NE(t.skipped_columns[0].find("Genre"), std::string::npos);
}

TEST(FeatureTable, CategoricalOneHotInSortedLevelOrder) {
  table_params p;
  p.categorical = {"Genre"};
  p.features = {"Age"};
  const auto t = load_feature_table(test::example("mall_customers/Mall_Customers.csv").string(), p);
  EXPECT_EQ(t.feature_names(), (std::vector<std::string>{"Age", "Genre=Female", "Genre=Male"}));
  double female = 0;
  for (int64_t i = 0; i < t.rows(); ++i) female += t.values(i, 1);
  EXPECT_EQ(female, 112);  // SOURCE.md: Female 112, Male 88
  EXPECT_EQ(t.values(0, 2), 1.0f);  // row 1 is Male
}

TEST(FeatureTable, MarketingImputesIncomeWithTheMedian) {
  table_params p;
  p.categorical = {"Education", "Marital_Status"};
  const auto t = load_feature_table(test::example("marketing_campaign/marketing_campaign.csv").string(), p);
  EXPECT_EQ(t.id_column, "ID");
  const auto names = t.feature_names();
  const auto it = std::find(names.begin(), names.end(), "Income");
  ASSERT_NE(it, names.end());
  const auto& income = t.features[static_cast<size_t>(it - names.begin())];
  EXPECT_EQ(income.imputed, 24);
  EXPECT_DOUBLE_EQ(income.impute_value, 51381.5);  // pandas: df.Income.median()
  // Absurd (2 customers), YOLO (2) and Alone (3) are each under 1% of 2,240: pooled into one level.
  EXPECT_EQ(std::count(names.begin(), names.end(), "Marital_Status=YOLO"), 0);
  EXPECT_EQ(t.categorical_levels.at("Marital_Status"),
            (std::vector<std::string>{"(other)", "Divorced", "Married", "Single", "Together", "Widow"}));
  const auto other = static_cast<int64_t>(std::find(names.begin(), names.end(), "Marital_Status=(other)") - names.begin());
  float pooled = 0;
  for (int64_t i = 0; i < t.rows(); ++i) pooled += t.values(i, other);
  EXPECT_EQ(pooled, 7.0f);
  EXPECT_EQ(t.categorical_levels.at("Education").size(), 5u);  // Basic holds 54 (2.4%): kept
}

TEST(FeatureTable, ALevelWrittenOtherJoinsThePooledRareLevels) {
  // 200 rows: "(other)" is a common answer in the data, x and y are rare (under 1% each) and pooled with it.
  temp_dir t;
  std::string csv = "spend,channel\n";
  for (int i = 0; i < 198; ++i) csv += std::to_string(i) + "," + (i % 3 == 0 ? "web" : i % 3 == 1 ? "store" : "(other)") + "\n";
  csv += "5,x\n6,y\n";
  table_params p;
  p.categorical = {"channel"};
  const auto table = load_feature_table(t.write("c.csv", csv), p);
  EXPECT_EQ(table.categorical_levels.at("channel"), (std::vector<std::string>{"(other)", "store", "web"}));
  const auto names = table.feature_names();
  const auto other = static_cast<int64_t>(std::find(names.begin(), names.end(), "channel=(other)") - names.begin());
  ASSERT_LT(other, static_cast<int64_t>(names.size()));
  float pooled = 0;
  for (int64_t i = 0; i < table.rows(); ++i) pooled += table.values(i, other);
  EXPECT_EQ(pooled, 66.0f + 2.0f);
}

TEST(FeatureTable, ExplicitIdDuplicatesFailOrAreSkipped) {
  temp_dir t;
  const auto p = t.write("d.csv", "cid,x\na,1\nb,2\na,3\n");
  table_params tp;
  tp.id = "cid";
  const std::string e = error_of(p, tp);
  EXPECT_NE(e.find("d.csv:4"), std::string::npos) << e;
  EXPECT_NE(e.find("duplicate id 'a'"), std::string::npos) << e;
  EXPECT_NE(e.find("line 2"), std::string::npos) << e;
  tp.csv.on_bad_row = bad_row_policy::skip;
  const auto ft = load_feature_table(p, tp);
  EXPECT_EQ(ft.rows(), 2);
  EXPECT_EQ(ft.ledger.rejected.at("duplicate_id"), 1);
  EXPECT_TRUE(ft.ledger.balanced());
}

TEST(FeatureTable, MissingIdRejectsTheRow) {
  temp_dir t;
  const auto p = t.write("m.csv", "customer_id,x,y\nc1,1,2\n,3,4\nc3,5,6\n");
  const std::string e = error_of(p);
  EXPECT_NE(e.find("m.csv:3"), std::string::npos) << e;
  EXPECT_NE(e.find("missing id"), std::string::npos) << e;
  table_params tp;
  tp.csv.on_bad_row = bad_row_policy::skip;
  const auto ft = load_feature_table(p, tp);
  EXPECT_EQ(ft.ids, (std::vector<std::string>{"c1", "c3"}));
  EXPECT_EQ(ft.ledger.read, 3);
  EXPECT_EQ(ft.ledger.used, 2);
  EXPECT_EQ(ft.ledger.rejected.at("missing_id"), 1);
}

TEST(FeatureTable, NonUniqueAutoIdFallsBackToRowNumbers) {
  temp_dir t;
  const auto ft = load_feature_table(t.write("a.csv", "store_id,x\n1,1\n1,2\n2,3\n"), {});
  EXPECT_TRUE(ft.id_generated);
  EXPECT_EQ(ft.ids, (std::vector<std::string>{"1", "2", "3"}));
  EXPECT_EQ(ft.feature_names(), (std::vector<std::string>{"x"}));
  EXPECT_FALSE(ft.warnings.empty());
}

TEST(FeatureTable, UnknownFeatureColumnListsTheHeader) {
  temp_dir t;
  table_params tp;
  tp.features = {"x", "income"};
  const std::string e = error_of(t.write("u.csv", "x,y\n1,2\n"), tp);
  EXPECT_NE(e.find("--features"), std::string::npos) << e;
  EXPECT_NE(e.find("'income'"), std::string::npos) << e;
  EXPECT_NE(e.find("'y'"), std::string::npos) << e;
}

TEST(FeatureTable, TextColumnAsFeatureIsAnError) {
  temp_dir t;
  table_params tp;
  tp.features = {"city"};
  const std::string e = error_of(t.write("c.csv", "city,x\nParis,1\n"), tp);
  EXPECT_NE(e.find("c.csv:2: column 1 'city'"), std::string::npos) << e;
  EXPECT_NE(e.find("--categorical"), std::string::npos) << e;
}

TEST(FeatureTable, MostlyNumericColumnIsSkippedByDefaultAndParsedWhenNamed) {
  temp_dir t;
  const auto p = t.write("m.csv", "a,b\n1,2\n3,unknown\n5,6\n");
  const auto ft = load_feature_table(p, {});
  EXPECT_EQ(ft.feature_names(), (std::vector<std::string>{"a"}));
  ASSERT_FALSE(ft.warnings.empty());
  EXPECT_NE(ft.warnings[0].find("line 3"), std::string::npos) << ft.warnings[0];
  table_params tp;
  tp.features = {"a", "b"};
  const std::string e = error_of(p, tp);
  EXPECT_NE(e.find("m.csv:3: column 2 'b': not a number: 'unknown'"), std::string::npos) << e;
}

TEST(FeatureTable, NoNumericColumns) {
  temp_dir t;
  EXPECT_NE(error_of(t.write("n.csv", "a,b\nx,y\n")).find("no numeric feature"), std::string::npos);
}

TEST(FeatureTable, EveryRowRejected) {
  temp_dir t;
  table_params tp;
  tp.csv.on_bad_row = bad_row_policy::skip;
  EXPECT_NE(error_of(t.write("r.csv", "id,a\n,1\n,2\n"), tp).find("no usable rows"), std::string::npos);
}

TEST(FeatureTable, SchemaLoadUsesTrainingMediansAndLevels) {
  temp_dir t;
  table_schema s;
  s.id_column = "id";
  feature_info x;
  x.name = x.source = "x";
  x.impute_value = 10;
  feature_info a;
  a.name = "c=a";
  a.source = "c";
  a.kind = feature_kind::one_hot;
  a.level = "a";
  feature_info b = a;
  b.name = "c=b";
  b.level = "b";
  s.features = {x, a, b};
  const auto ft = load_with_schema(t.write("s.csv", "c,x,id\nb,,r1\nz,4,r2\n"), s, {});
  EXPECT_EQ(ft.values(0, 0), 10.0f);
  EXPECT_EQ(ft.values(0, 2), 1.0f);
  EXPECT_EQ(ft.values(1, 1) + ft.values(1, 2), 0.0f);  // unseen level 'z'
  EXPECT_EQ(ft.ids, (std::vector<std::string>{"r1", "r2"}));
  EXPECT_FALSE(ft.warnings.empty());
}

}  // namespace
