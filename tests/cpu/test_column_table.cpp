// table_from_columns (the Python package's input): the same table as the file it was read from.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "../support/test_support.hpp"
#include "segmint/error.hpp"
#include "segmint/table.hpp"

using namespace segmint;

namespace {

/// The columns of `path` as a DataFrame would hold them: numbers for numeric columns, text for the rest.
column_table columns_of(const std::string& path, const std::vector<int>& text_columns) {
  const raw_table raw = read_csv(path, {}, [&](const std::vector<csv_column_info>& header) {
    csv_plan plan;
    for (const auto& c : header) {
      if (std::find(text_columns.begin(), text_columns.end(), c.index) != text_columns.end()) plan.text.push_back(c.index);
      else plan.numeric.push_back(c.index);
    }
    return plan;
  });
  column_table t;
  t.source = "DataFrame";
  for (const auto& h : raw.header) {
    const raw_column* c = raw.find(h.name);
    column_table::column col;
    col.name = h.name;
    col.numeric = c->kind == column_kind::numeric;
    if (col.numeric) col.numbers.assign(c->numbers.begin(), c->numbers.end());
    else col.text = c->text;
    t.columns.push_back(col);
  }
  return t;
}

void expect_same_table(const feature_table& a, const feature_table& b) {
  EXPECT_EQ(a.ids, b.ids);
  EXPECT_EQ(a.id_column, b.id_column);
  EXPECT_EQ(a.feature_names(), b.feature_names());
  ASSERT_EQ(a.values.rows(), b.values.rows());
  ASSERT_EQ(a.values.cols(), b.values.cols());
  for (size_t i = 0; i < a.values.values().size(); ++i) ASSERT_EQ(a.values.values()[i], b.values.values()[i]) << i;
  EXPECT_EQ(a.ledger.used, b.ledger.used);
  EXPECT_EQ(a.ledger.rejected, b.ledger.rejected);
}

TEST(ColumnTable, MallFromColumnsEqualsMallFromTheFile) {
  const std::string mall = test::example("mall_customers/Mall_Customers.csv").string();
  table_params p;
  p.categorical = {"Genre"};
  const feature_table from_file = load_feature_table(mall, p);
  const feature_table from_columns = table_from_columns(columns_of(mall, {0, 1}), p);  // id and Genre as text
  expect_same_table(from_file, from_columns);
  EXPECT_EQ(from_columns.source, "DataFrame");
  EXPECT_EQ(from_columns.lines.front(), 1);  // "line" N of a table in memory is its Nth row
}

TEST(ColumnTable, NumericIdsStayExactAndMissingValuesAreImputed) {
  column_table t;
  t.source = "DataFrame";
  const double nan = std::numeric_limits<double>::quiet_NaN();
  t.columns.push_back({"customer_id", true, {20000000001.0, 20000000002.0, 100000.0, 4.0}, {}});
  t.columns.push_back({"spend", true, {10.5, nan, 30.5, 40.5}, {}});
  t.columns.push_back({"channel", false, {}, {"web", " store ", "", "web"}});
  table_params p;
  p.categorical = {"channel"};
  const feature_table f = table_from_columns(t, p);
  // exact (not float32's 2e10) and in digits (not "1e+05")
  EXPECT_EQ(f.ids, (std::vector<std::string>{"20000000001", "20000000002", "100000", "4"}));
  EXPECT_EQ(f.feature_names(), (std::vector<std::string>{"spend", "channel=(missing)", "channel=store", "channel=web"}));
  EXPECT_FLOAT_EQ(f.values(1, 0), 30.5f);  // the median of 10.5, 30.5, 40.5
  EXPECT_EQ(f.features[0].imputed, 1);
}

TEST(ColumnTable, BadTablesGiveOneLineErrors) {
  column_table ragged;
  ragged.source = "DataFrame";
  ragged.columns.push_back({"a", true, {1, 2, 3}, {}});
  ragged.columns.push_back({"b", true, {1, 2}, {}});
  EXPECT_THROW(table_from_columns(ragged, table_params{}), input_error);
  column_table missing_id;
  missing_id.source = "DataFrame";
  missing_id.columns.push_back({"id", false, {}, {"a", "", "c"}});
  missing_id.columns.push_back({"x", true, {1, 2, 3}, {}});
  table_params p;
  p.id = "id";
  try {
    table_from_columns(missing_id, p);
    FAIL() << "no error";
  } catch (const input_error& e) {
    EXPECT_NE(std::string(e.what()).find("DataFrame:2: column 1 'id': missing id"), std::string::npos) << e.what();
  }
  p.csv.on_bad_row = bad_row_policy::skip;
  const feature_table kept = table_from_columns(missing_id, p);
  EXPECT_EQ(kept.ids, (std::vector<std::string>{"a", "c"}));
  EXPECT_EQ(kept.ledger.rejected.at("missing_id"), 1);
  EXPECT_TRUE(kept.ledger.balanced());
}

}  // namespace
