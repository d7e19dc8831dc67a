// Survey answers written as text: which columns are read as numbers and with what values (hand-computed),
// the columns a default run leaves out and why, and the bad-row policy for answers off the scale.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "../../host/dist/communicator.hpp"
#include "../../host/io/text_scales.hpp"
#include "../support/test_support.hpp"
#include "segmint/error.hpp"
#include "segmint/naming.hpp"
#include "segmint/profile.hpp"
#include "segmint/table.hpp"

using namespace segmint;
using segmint::detail::detect_text_scale;
using segmint::test::temp_dir;

namespace {

std::map<std::string, double> values_of(const detail::text_scale& s) {
  return {s.values.begin(), s.values.end()};
}

TEST(TextScales, YesNoNeedsBothAnswersOfOneFamily) {
  const auto s = detect_text_scale({"No", "Yes"});
  ASSERT_TRUE(s);
  EXPECT_EQ(s->rule, "yes/no");
  EXPECT_EQ(values_of(*s), (std::map<std::string, double>{{"No", 0}, {"Yes", 1}}));
  EXPECT_EQ(s->value_of(" YES "), 1.0);  // case and blanks do not matter
  EXPECT_TRUE(detect_text_scale({"false", "TRUE"}));
  EXPECT_TRUE(detect_text_scale({"N", "Y"}));
  EXPECT_FALSE(detect_text_scale({"y"}));             // one letter alone is not an answer
  EXPECT_FALSE(detect_text_scale({"No", "True"}));    // two questions
  EXPECT_FALSE(detect_text_scale({"Female", "Male"}));  // a category, not a yes/no answer
}

TEST(TextScales, NumberInsideTheTextOfARatingScale) {
  // McDonald's `Like`: the end points carry labels, the rest are signed numbers.
  const auto s = detect_text_scale({"+1", "+2", "-3", "0", "I hate it!-5", "I love it!+5"});
  ASSERT_TRUE(s);
  EXPECT_EQ(s->rule, "number in the text");
  EXPECT_EQ(s->value_of("I hate it!-5"), -5.0);
  EXPECT_EQ(s->value_of("I love it!+5"), 5.0);
  EXPECT_EQ(s->value_of("+2"), 2.0);
  EXPECT_EQ(s->value_of("-3"), -3.0);
  EXPECT_FALSE(s->value_of("+4"));  // not among the answers seen
  // Text that merely contains a number is a category; two numbers in one answer is no scale.
  EXPECT_FALSE(detect_text_scale({"Group 1", "Group 2", "Group 3"}));
  EXPECT_FALSE(detect_text_scale({"1", "2", "2012-09-04"}));
  EXPECT_FALSE(detect_text_scale({"2n Cycle", "Graduation", "PhD"}));
}

TEST(TextScales, FrequencyPhrasesOrderedByTimesPerYear) {
  const auto s = detect_text_scale(
      {"Every three months", "More than once a week", "Never", "Once a month", "Once a week", "Once a year"});
  ASSERT_TRUE(s);
  EXPECT_EQ(s->rule, "frequency");
  // never 0 < once a year 1 < every three months 4 < once a month 12 < once a week 52 < more than once a week 78
  const std::vector<std::string> order = {"Never", "Once a year", "Every three months", "Once a month", "Once a week",
                                          "More than once a week"};
  for (size_t i = 0; i < order.size(); ++i) EXPECT_EQ(s->value_of(order[i]), static_cast<double>(i)) << order[i];
  const auto t = detect_text_scale({"daily", "twice a week", "every other week", "monthly"});
  ASSERT_TRUE(t);
  EXPECT_EQ(t->value_of("monthly"), 0.0);           // 12 a year
  EXPECT_EQ(t->value_of("every other week"), 1.0);  // 26
  EXPECT_EQ(t->value_of("twice a week"), 2.0);      // 104
  EXPECT_EQ(t->value_of("daily"), 3.0);             // 365
  EXPECT_FALSE(detect_text_scale({"weekly", "once a week"}));  // two answers, one frequency
  EXPECT_FALSE(detect_text_scale({"Never", "Sometimes"}));
}

TEST(TextScales, KnownOrderedScalesAndGivenOrders) {
  const auto s = detect_text_scale({"Agree", "Disagree", "Neutral", "Strongly agree"});
  ASSERT_TRUE(s);
  EXPECT_EQ(s->rule, "ordered scale");
  EXPECT_EQ(values_of(*s), (std::map<std::string, double>{{"Disagree", 1}, {"Neutral", 2}, {"Agree", 3}, {"Strongly agree", 4}}));
  const auto o = detail::ordinal_scale({"Basic", "2n Cycle", "Graduation", "Master", "PhD"});
  EXPECT_EQ(o.value_of("Master"), 3.0);
  EXPECT_EQ(detail::describe_scale(o), "ordered as given: 'Basic' < '2n Cycle' < 'Graduation' < 'Master' < 'PhD' → 0..4");
  EXPECT_EQ(detail::describe_scale(*detect_text_scale({"Yes", "No"})), "'Yes' → 1, 'No' → 0");
}

const char* survey =
    "id,yummy,Like,VisitFrequency,Gender,Response,Channel,Spend\n"
    "1,Yes,+2,Once a week,Female,0,1,10.5\n"
    "2,No,I hate it!-5,Never,Male,1,2,3\n"
    "3,Yes,I love it!+5,Once a month,Female,0,1,7\n"
    "4,No,-1,Once a year,Male,0,3,1\n"
    "5,Yes,,Once a week,Male,1,2,12\n";

TEST(SurveyTable, DefaultsReadAnswersAsNumbersAndLeaveOutCodesAndOutcomes) {
  temp_dir t;
  const auto table = load_feature_table(t.write("s.csv", survey), {});
  EXPECT_EQ(table.feature_names(), (std::vector<std::string>{"yummy", "Like", "VisitFrequency", "Spend"}));
  const std::vector<float> yummy = {1, 0, 1, 0, 1};
  const std::vector<float> like = {2, -5, 5, -1, 0.5f};  // the missing answer gets the median of 2, -5, 5, -1
  for (int64_t i = 0; i < 5; ++i) {
    EXPECT_EQ(table.values(i, 0), yummy[static_cast<size_t>(i)]) << i;
    EXPECT_EQ(table.values(i, 1), like[static_cast<size_t>(i)]) << i;
  }
  // VisitFrequency answers present: Never < Once a year < Once a month < Once a week → 0..3.
  const std::vector<float> visit_rank = {3, 0, 2, 1, 3};
  for (int64_t i = 0; i < 5; ++i) EXPECT_EQ(table.values(i, 2), visit_rank[static_cast<size_t>(i)]) << i;
  EXPECT_EQ(table.features[0].text_rule, "yes/no");
  EXPECT_EQ(table.features[1].text_rule, "number in the text");
  EXPECT_EQ(table.features[1].imputed, 1);
  EXPECT_EQ(table.features[2].text_rule, "frequency");
  EXPECT_TRUE(table.features[3].text_rule.empty());
  std::string skipped;
  for (const auto& s : table.skipped_columns) skipped += s + "\n";
  EXPECT_NE(skipped.find("Gender (text"), std::string::npos) << skipped;
  EXPECT_NE(skipped.find("Response (outcomes"), std::string::npos) << skipped;
  EXPECT_NE(skipped.find("Channel (integer codes"), std::string::npos) << skipped;
  EXPECT_TRUE(table.ledger.balanced());
}

TEST(SurveyTable, NamedColumnsAreUsedAndAnOrderCanBeGiven) {
  temp_dir t;
  table_params p;
  p.features = {"Response", "Channel", "yummy"};
  p.ordinal = {{"Gender", {"Male", "Female"}}};
  const auto table = load_feature_table(t.write("s.csv", survey), p);
  EXPECT_EQ(table.feature_names(), (std::vector<std::string>{"Response", "Channel", "yummy", "Gender"}));
  const std::vector<float> gender = {1, 0, 1, 0, 0};
  for (int64_t i = 0; i < 5; ++i) EXPECT_EQ(table.values(i, 3), gender[static_cast<size_t>(i)]) << i;
  EXPECT_EQ(table.features[3].text_rule, "--ordinal");
}

TEST(SurveyTable, AnAnswerOffTheGivenOrderIsABadRow) {
  temp_dir t;
  const std::string path = t.write("s.csv", survey);
  table_params p;
  p.ordinal = {{"VisitFrequency", {"Never", "Once a year", "Once a month"}}};
  try {
    load_feature_table(path, p);
    FAIL() << "no error";
  } catch (const input_error& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("s.csv:2: column 4"), std::string::npos) << m;  // line 2, column 4: 'Once a week'
    EXPECT_NE(m.find("'Once a week'"), std::string::npos) << m;
  }
  p.csv.on_bad_row = bad_row_policy::skip;
  const auto table = load_feature_table(path, p);
  EXPECT_EQ(table.rows(), 3);
  EXPECT_EQ(table.ledger.rejected.at("unknown_answer"), 2);
  EXPECT_TRUE(table.ledger.balanced());
}

TEST(SurveyTable, ANamedTextColumnWithNoScaleIsRefused) {
  temp_dir t;
  table_params p;
  p.features = {"Gender"};
  try {
    load_feature_table(t.write("s.csv", survey), p);
    FAIL() << "no error";
  } catch (const input_error& e) {
    EXPECT_NE(std::string(e.what()).find("--ordinal"), std::string::npos) << e.what();
  }
}

TEST(SurveyTable, ModelSchemaReadsNewAnswersWithTheTrainingScale) {
  temp_dir t;
  const auto train = load_feature_table(t.write("s.csv", survey), {});
  table_schema schema;
  schema.id_column = "id";
  schema.features = train.features;
  const std::string fresh = t.write("new.csv",
                                    "id,yummy,Like,VisitFrequency,Spend\n"
                                    "9,no,I love it!+5,Never,4\n"
                                    "10,Yes,+7,Once a week,5\n");
  csv_options csv;
  try {
    load_with_schema(fresh, schema, csv);
    FAIL() << "no error";
  } catch (const input_error& e) {
    EXPECT_NE(std::string(e.what()).find("new.csv:3: column 3"), std::string::npos) << e.what();  // '+7' is off the scale
  }
  csv.on_bad_row = bad_row_policy::skip;
  const auto scored = load_with_schema(fresh, schema, csv);
  ASSERT_EQ(scored.rows(), 1);
  EXPECT_EQ(scored.values(0, 0), 0.0f);
  EXPECT_EQ(scored.values(0, 1), 5.0f);
  EXPECT_EQ(scored.values(0, 2), 0.0f);
  EXPECT_EQ(scored.ledger.rejected.at("unknown_answer"), 1);
}

}  // namespace

namespace {

TEST(RolesByValues, MoneyNamedLikeACountBecomesSpend) {
  temp_dir t;
  const auto table = load_feature_table(t.write("cc.csv",
                                                "PURCHASES,PURCHASES_TRX,NumWebPurchases,orders\n"
                                                "95.4,2,3,1\n0,0,1,4\n1333.28,12,2,2\n"),
                                        {});
  auto roles = assign_roles(table.features, {});
  ASSERT_EQ(roles.size(), 4u);
  for (const auto& r : roles) EXPECT_EQ(r.role, feature_role::frequency) << r.feature;  // from the names alone
  refine_roles_by_values(roles, table, *detail::single_process());
  EXPECT_EQ(roles[0].role, feature_role::spend);      // amounts with cents
  EXPECT_EQ(roles[1].role, feature_role::frequency);  // whole numbers
  EXPECT_EQ(roles[2].role, feature_role::frequency);  // "num": a count whatever the values
  EXPECT_EQ(roles[3].role, feature_role::frequency);
}

TEST(RolesByValues, LifetimesRecencyIsTheAgeAtTheLastPurchase) {
  // lifetimes' summary: recency = first to last purchase (≤ T, the age), so a high recency is a recent buyer.
  temp_dir t;
  const std::string summary = "ID,frequency,recency,T\n1,2,30.43,38.86\n2,1,1.71,38.86\n3,0,0,38.86\n";
  const auto table = load_feature_table(t.write("summary.csv", summary), {});
  auto roles = assign_roles(table.features, {});
  refine_roles_by_values(roles, table, *detail::single_process());
  const auto recency = std::find_if(roles.begin(), roles.end(), [](const role_assignment& r) { return r.feature == "recency"; });
  ASSERT_NE(recency, roles.end());
  EXPECT_EQ(recency->role, feature_role::recency);
  EXPECT_TRUE(recency->inverted);
  // A recency above T is days since the last purchase after all: not inverted.
  const auto other = load_feature_table(t.write("days.csv", "ID,recency,T\n1,50,38.86\n2,1,38.86\n"), {});
  auto plain = assign_roles(other.features, {});
  refine_roles_by_values(plain, other, *detail::single_process());
  EXPECT_FALSE(plain.at(0).inverted);
}

TEST(LogScaleProfiles, ZIsMeasuredOnLog1pValues) {
  temp_dir t;
  const auto table = load_feature_table(t.write("s.csv", "spend,age\n1,20\n10,30\n100,40\n10000,50\n"), {});
  const std::vector<int32_t> labels = {0, 0, 1, 1};
  auto profiles = profile_segments(table, labels, 2);
  const double raw_z = profiles[0].features[0].z;
  rescore_on_log_scale(profiles, table, labels, {"spend"}, *detail::single_process());
  // By hand: log1p values, their mean and population SD, and segment 0's mean of the first two.
  const std::vector<double> v = {std::log1p(1.0), std::log1p(10.0), std::log1p(100.0), std::log1p(10000.0)};
  const double mean = (v[0] + v[1] + v[2] + v[3]) / 4;
  double ss = 0;
  for (double x : v) ss += (x - mean) * (x - mean);
  const double z0 = ((v[0] + v[1]) / 2 - mean) / std::sqrt(ss / 4);
  EXPECT_NEAR(profiles[0].features[0].z, z0, 1e-12);
  EXPECT_NEAR(profiles[0].features[0].z, -0.840, 1e-3);  // numpy: (v[:2].mean() - v.mean()) / v.std()
  EXPECT_NEAR(raw_z, -0.585, 1e-3);  // on raw values the one huge spender hides how low segment 0 is
  EXPECT_TRUE(profiles[0].features[0].log_scale);
  EXPECT_FALSE(profiles[0].features[1].log_scale);
  EXPECT_DOUBLE_EQ(profiles[0].features[0].mean, 5.5);  // means stay in original units
}

}  // namespace

namespace {

TEST(GeneratedIds, SkippedRowsKeepTheirNumbersSoSegmentsJoinBackByRow) {
  temp_dir t;
  table_params p;
  p.features = {"a", "b"};
  p.csv.on_bad_row = bad_row_policy::skip;
  // data rows: 1 (1,2), 2 (x: rejected), blank line (not a row), 3 (4,5), 4 (6,7)
  const auto table = load_feature_table(t.write("s.csv", "a,b\n1,2\nx,3\n\n4,5\n6,7\n"), p);
  EXPECT_TRUE(table.id_generated);
  EXPECT_EQ(table.ids, (std::vector<std::string>{"1", "3", "4"}));
  EXPECT_EQ(table.ledger.rejected.at("not_a_number"), 1);
  // Several files: numbering runs on across them.
  const auto two = load_feature_table(std::vector<std::string>{t.write("p.csv", "a,b\n1,2\nx,3\n"), t.write("q.csv", "a,b\n4,5\n6,7\n")},
                                      p, *detail::single_process());
  EXPECT_EQ(two.ids, (std::vector<std::string>{"1", "3", "4"}));
}

}  // namespace
