// Feature roles from column names and --role, and the naming rules on hand-made profiles.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <set>
#include <tuple>

#include "segmint/error.hpp"
#include "segmint/naming.hpp"

using namespace segmint;

namespace {

struct role_case {
  const char* column;
  std::optional<feature_role> role;
  bool inverted = false;
};

TEST(Roles, RecognisedFromColumnNames) {
  using enum feature_role;
  const std::vector<role_case> cases = {// Mall Customers, marketing campaign
                                        {"Spending Score (1-100)", spend},
                                        {"Annual Income (k$)", income},
                                        {"Age", age},
                                        {"MntWines", spend},
                                        {"MntGoldProds", spend},
                                        {"NumWebPurchases", frequency},
                                        {"NumWebVisitsMonth", frequency},
                                        {"NumDealsPurchases", discount},
                                        {"Recency", recency},
                                        {"Year_Birth", age, true},
                                        {"Income", income},
                                        {"Kidhome", std::nullopt},
                                        {"AcceptedCmp3", std::nullopt},
                                        {"Response", std::nullopt},
                                        // RFM tables built from transaction logs
                                        {"recency_days", recency},
                                        {"frequency", frequency},
                                        {"monetary_total", spend},
                                        {"avg_order_value", spend},
                                        {"tenure_days", tenure},
                                        // other common spellings
                                        {"days_since_last_purchase", recency},
                                        {"days_since_first_order", tenure},
                                        {"customer_since_months", tenure},
                                        {"orders_12m", frequency},
                                        {"order_count", frequency},
                                        {"n_orders", frequency},
                                        {"transaction_amount", spend},
                                        {"total_spend", spend},
                                        {"avg_ticket", spend},
                                        {"revenue", spend},
                                        {"sales_count", frequency},
                                        {"salary", income},
                                        {"birth_year", age, true},
                                        {"account_age_days", tenure},
                                        {"returns_count", returns},
                                        {"refund_amount", returns},
                                        {"coupon_uses", discount},
                                        {"discount_share", discount},
                                        {"Fresh", std::nullopt},
                                        {"Channel", std::nullopt},
                                        {"Detergents_Paper", std::nullopt}};
  for (const auto& c : cases) {
    const auto r = recognise_role(c.column);
    ASSERT_EQ(r.has_value(), c.role.has_value()) << c.column;
    if (!r) continue;
    EXPECT_EQ(r->role, *c.role) << c.column << " → " << role_name(r->role);
    EXPECT_EQ(r->inverted, c.inverted) << c.column;
  }
}

std::vector<feature_info> numeric(const std::vector<std::string>& names) {
  std::vector<feature_info> f;
  for (const auto& n : names) f.push_back({n, n, feature_kind::numeric});
  return f;
}

TEST(Roles, OverridesReplaceRecognisedRoles) {
  const auto features = numeric({"Spending Score (1-100)", "avg_ticket", "Recency", "visits"});
  const auto roles = assign_roles(features, {{"spend", "avg_ticket"}, {"none", "Recency"}});
  ASSERT_EQ(roles.size(), 2u);
  EXPECT_EQ(roles[0].feature, "avg_ticket");
  EXPECT_EQ(roles[0].role, feature_role::spend);
  EXPECT_TRUE(roles[0].from_option);
  EXPECT_EQ(roles[1].feature, "visits");  // recognised, and frequency was not set explicitly
  EXPECT_EQ(roles[1].role, feature_role::frequency);
  EXPECT_FALSE(roles[1].from_option);
}

TEST(Roles, OverrideErrorsNameTheProblem) {
  std::vector<feature_info> features = numeric({"a", "b"});
  features.push_back({"Genre=Female", "Genre", feature_kind::one_hot, "Female"});
  auto message = [&](const std::vector<role_override>& o) {
    try {
      assign_roles(features, o);
    } catch (const input_error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(message({{"spnd", "a"}}).find("unknown role 'spnd'"), std::string::npos);
  EXPECT_NE(message({{"spend", "zz"}}).find("'zz' is not a numeric feature"), std::string::npos);
  EXPECT_NE(message({{"spend", "Genre=Female"}}).find("not a numeric feature"), std::string::npos);
  EXPECT_NE(message({{"spend", "a"}, {"income", "a"}}).find("two different roles"), std::string::npos);
}

/// A segment whose features have the given standardised differences (population mean 50, sd 10).
segment_profile segment(int id, const std::vector<std::pair<std::string, double>>& z) {
  segment_profile s;
  s.id = id;
  s.size = 100 - id;
  for (const auto& [name, v] : z) {
    feature_profile f;
    f.name = name;
    f.source = name;
    f.population_mean = 50;
    f.population_sd = 10;
    f.z = v;
    f.mean = f.median = 50 + 10 * v;
    s.features.push_back(f);
  }
  // Drivers as profile_segments picks them: largest |z| first, at most 3, |z| ≥ 0.25.
  std::vector<int> order;
  for (size_t j = 0; j < s.features.size(); ++j) order.push_back(static_cast<int>(j));
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
    return std::fabs(s.features[static_cast<size_t>(a)].z) > std::fabs(s.features[static_cast<size_t>(b)].z);
  });
  for (int j : order)
    if (std::fabs(s.features[static_cast<size_t>(j)].z) >= 0.25 && s.drivers.size() < 3) s.drivers.push_back(j);
  return s;
}

std::vector<segment_profile> mall(const std::vector<std::pair<double, double>>& income_spend) {
  std::vector<segment_profile> segs;
  for (const auto& [inc, sp] : income_spend)
    segs.push_back(
        segment(static_cast<int>(segs.size()), {{"Annual Income (k$)", inc}, {"Spending Score (1-100)", sp}}));
  return segs;
}

TEST(Naming, MallIncomeAndSpendingQuadrantsAndTheMiddle) {
  auto segs = mall({{-0.2, 0.0}, {1.0, 1.2}, {1.1, -1.3}, {-1.3, -1.1}, {-1.3, 1.1}});
  name_segments(segs);
  EXPECT_EQ(segs[0].name, "Mainstream customers");
  EXPECT_EQ(segs[1].name, "Luxury spenders");
  EXPECT_EQ(segs[2].name, "Careful high earners");
  EXPECT_EQ(segs[3].name, "Budget-conscious");
  EXPECT_EQ(segs[4].name, "Aspirational spenders");
  EXPECT_EQ(segs[1].rule, "luxury_spenders");
  EXPECT_EQ(
      segs[1].reason,
      "High income and high spend: Spending Score (1-100) 62.0 vs 50.0 overall (+1.2 SD), Annual Income (k$) 60.0 vs "
      "50.0 overall (+1.0 SD)");
  EXPECT_NE(segs[3].reason.find("Low spend and low income"), std::string::npos) << segs[3].reason;
  EXPECT_NE(segs[0].reason.find("Within 0.5 SD"), std::string::npos) << segs[0].reason;
}

TEST(Naming, RfmTableFromTransactions) {
  const std::vector<std::string> cols = {"recency_days", "frequency", "monetary_total", "avg_order_value",
                                         "tenure_days"};
  auto make = [&](int id, std::vector<double> z) {
    std::vector<std::pair<std::string, double>> f;
    for (size_t j = 0; j < cols.size(); ++j) f.emplace_back(cols[j], z[j]);
    return segment(id, f);
  };
  std::vector<segment_profile> segs = {make(0, {-0.9, 1.4, 1.6, 0.8, 0.7}),    // recent, frequent, high spend
                                       make(1, {1.5, -0.8, -0.6, -0.2, 0.3}),  // long gone
                                       make(2, {-0.6, 0.1, 0.0, 0.1, -1.2}),   // just arrived
                                       make(3, {0.1, 1.0, -0.7, -0.8, 0.2}),   // often, small baskets
                                       make(4, {0.8, 0.2, 1.1, 1.2, 0.4})};    // big spenders who stopped coming
  name_segments(segs);
  EXPECT_EQ(segs[0].name, "Champions");
  EXPECT_EQ(segs[1].name, "Lapsed customers");
  EXPECT_EQ(segs[2].name, "New customers");
  EXPECT_EQ(segs[3].name, "Frequent light spenders");
  EXPECT_EQ(segs[4].name, "Lapsed high spenders");
  EXPECT_NE(segs[0].reason.find("High spend, frequent purchases and recent purchases"), std::string::npos)
      << segs[0].reason;
}

TEST(Naming, RecentCustomersWhenOnlyRecencyStandsOut) {
  // Online Retail at k = 4: a segment that bought lately (-0.7 SD days since the last purchase) with average
  // orders and spend, and no tenure column. Before this rule it got the descriptive "Low recency days".
  std::vector<segment_profile> segs = {segment(0, {{"recency_days", -0.7}, {"frequency", -0.3}, {"monetary_total", -0.2}}),
                                       segment(1, {{"recency_days", 0.1}, {"frequency", -0.6}, {"monetary_total", 0.1}})};
  name_segments(segs);
  EXPECT_EQ(segs[0].name, "Recent customers");
  EXPECT_EQ(segs[0].rule, "recent_customers");
  EXPECT_NE(segs[0].reason.find("Recent purchases"), std::string::npos) << segs[0].reason;
  EXPECT_EQ(segs[1].name, "Occasional buyers") << "not recent: the rule needs recency low";
}

TEST(Naming, AgeRolesAndInvertedBirthYear) {
  std::vector<segment_profile> segs = {segment(0, {{"Year_Birth", 1.2}, {"MntWines", 0.9}}),  // born late = young
                                       segment(1, {{"Year_Birth", -1.0}, {"MntWines", -0.1}})};
  name_segments(segs);
  EXPECT_EQ(segs[0].name, "Young high-spenders");
  EXPECT_EQ(segs[1].name, "Older customers");
}

TEST(Naming, NamesAreUniqueWithAQualifierOrANumber) {
  std::vector<segment_profile> segs = {segment(0, {{"Income", 1.0}, {"Age", 0.8}, {"Kidhome", 0.0}}),
                                       segment(1, {{"Income", 1.2}, {"Age", -0.9}, {"Kidhome", 0.0}}),
                                       segment(2, {{"Income", 0.9}, {"Age", 0.0}, {"Kidhome", 0.0}}),
                                       segment(3, {{"Income", 0.9}, {"Age", 0.0}, {"Kidhome", 0.0}})};
  name_segments(segs);
  EXPECT_EQ(segs[0].name, "High earners (older)");
  EXPECT_EQ(segs[1].name, "High earners (younger)");
  EXPECT_EQ(segs[2].name, "High earners");
  EXPECT_EQ(segs[3].name, "High earners 2");
  std::set<std::string> names;
  for (const auto& s : segs) names.insert(s.name);
  EXPECT_EQ(names.size(), segs.size());
}

TEST(Naming, QualifiersTellSegmentsOfOneNameApart) {
  // The marketing table with GMM and --log auto had "Deal seekers (high kidhome)" and "Deal seekers (high
  // kidhome) 2": both have more children at home than average, so that driver cannot tell them apart.
  std::vector<segment_profile> segs = {
      segment(0, {{"NumDealsPurchases", 1.6}, {"Kidhome", 1.2}, {"Income", 0.6}, {"Age", 0.3}}),
      segment(1, {{"NumDealsPurchases", 0.6}, {"Kidhome", 0.9}, {"Income", -0.7}, {"Age", 0.4}})};
  name_segments(segs);
  EXPECT_EQ(segs[0].name, "Deal seekers (high income)");
  EXPECT_EQ(segs[1].name, "Deal seekers (low income)");
}

TEST(Naming, DescriptiveNameWhereNoRuleFits) {
  std::vector<segment_profile> segs = {segment(0, {{"Fresh", 1.4}, {"Grocery", -0.7}, {"Channel", 0.1}})};
  name_segments(segs);
  EXPECT_EQ(segs[0].name, "High fresh, low grocery");
  EXPECT_EQ(segs[0].rule, "descriptive");
  EXPECT_EQ(segs[0].reason,
            "Stands out on Fresh 64.0 vs 50.0 overall (+1.4 SD), Grocery 43.0 vs 50.0 overall (-0.7 SD)");
}

TEST(Naming, CategoryLevelsInNamesAndReasons) {
  segment_profile s = segment(0, {{"Fresh", 0.9}});
  for (auto [level, share, overall, z] :
       {std::tuple{"Female", 0.72, 0.56, 0.32}, std::tuple{"Male", 0.28, 0.44, -0.32}}) {
    feature_profile f;
    f.name = std::string("Genre=") + level;
    f.kind = feature_kind::one_hot;
    f.source = "Genre";
    f.level = level;
    f.mean = share;
    f.population_mean = overall;
    f.population_sd = 0.5;
    f.z = z;
    s.features.push_back(f);
  }
  s.categories = {{"Genre", "Female", 1, 0.72, 0.56}};
  std::vector<segment_profile> segs = {s};
  name_segments(segs);
  EXPECT_EQ(segs[0].name, "High fresh");
  EXPECT_NE(segs[0].reason.find("; 72% Female vs 56% overall"), std::string::npos) << segs[0].reason;
}

TEST(Naming, ExplicitRolesChangeTheName) {
  std::vector<segment_profile> segs = {segment(0, {{"x1", 1.3}, {"x2", 0.9}})};
  auto copy = segs;
  name_segments(copy);
  EXPECT_EQ(copy[0].rule, "descriptive");
  std::vector<feature_info> features = numeric({"x1", "x2"});
  name_segments(segs, assign_roles(features, {{"spend", "x1"}, {"frequency", "x2"}}));
  EXPECT_EQ(segs[0].name, "Loyal high spenders");
}

TEST(Naming, ConstantColumnsDoNotCount) {
  segment_profile s = segment(0, {{"MntWines", 0.8}, {"Z_Revenue", 0.0}, {"Income", 1.0}});
  s.features[1].population_sd = 0;  // a constant column named like spend must not dilute the spend role
  std::vector<segment_profile> segs = {s};
  name_segments(segs);
  EXPECT_EQ(segs[0].name, "Luxury spenders");
}

}  // namespace
