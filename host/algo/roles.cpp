// Feature roles recognised from column names, and explicit roles from --role.
#include <algorithm>
#include <cmath>
#include <array>
#include <map>

#include "../dist/communicator.hpp"
#include "naming_text.hpp"
#include "segmint/error.hpp"
#include "segmint/naming.hpp"

namespace segmint {
namespace {

constexpr std::array<std::string_view, 8> role_names = {"spend", "frequency", "recency", "income",
                                                        "age",   "tenure",    "returns", "discount"};

bool any_of(const std::vector<std::string>& toks, std::initializer_list<std::string_view> words) {
  return std::any_of(toks.begin(), toks.end(),
                     [&](const std::string& t) { return std::find(words.begin(), words.end(), t) != words.end(); });
}

bool is_numeric_feature(const std::vector<feature_info>& features, const std::string& column) {
  return std::any_of(features.begin(), features.end(),
                     [&](const feature_info& f) { return f.kind == feature_kind::numeric && f.name == column; });
}

std::string feature_list(const std::vector<feature_info>& features) {
  std::string s;
  for (const auto& f : features)
    if (f.kind == feature_kind::numeric) s += (s.empty() ? "" : ", ") + f.name;
  return s;
}

std::optional<feature_role> parse_role(const role_override& o) {
  if (o.role == "none") return std::nullopt;
  for (size_t r = 0; r < role_names.size(); ++r)
    if (role_names[r] == o.role) return static_cast<feature_role>(r);
  std::string known;
  for (auto n : role_names) known += std::string(n) + ", ";
  throw input_error("--role " + o.role + "=" + o.column + ": unknown role " + quote_value(o.role) +
                    " (roles: " + known + "none)");
}

}  // namespace

std::string_view role_name(feature_role role) { return role_names[static_cast<size_t>(role)]; }

std::optional<recognised_role> recognise_role(std::string_view column_name) {
  const auto t = detail::name_tokens(column_name);
  // Order matters: the first rule that matches wins. Returns and discounts are checked before frequency
  // ("NumDealsPurchases" is about deals), tenure before recency ("days_since_first_order"), strong spend
  // words before frequency ("transaction_amount", "avg_order_value"), and weak ones after ("sales_count").
  if (any_of(t, {"return", "returns", "returned", "refund", "refunds", "refunded"})) return {{feature_role::returns}};
  if (any_of(t, {"discount", "discounts", "discounted", "deal", "deals", "coupon", "coupons", "promo", "promos",
                 "promotion", "promotions", "voucher", "vouchers", "markdown"}))
    return {{feature_role::discount}};
  if (any_of(t, {"tenure", "seniority", "membership", "first", "joined", "signup", "onboarded"}) ||
      (any_of(t, {"account", "member", "customer", "client", "relationship"}) &&
       any_of(t, {"age", "since", "days", "months", "years", "duration", "length"})))
    return {{feature_role::tenure}};
  if (any_of(t, {"recency", "recent", "since", "last", "lapsed", "inactive", "dormant", "ago"}))
    return {{feature_role::recency}};
  if (any_of(t, {"birth", "birthyear", "yob", "dob", "born", "birthdate"})) return {{feature_role::age, true}};
  if (any_of(t, {"age", "aged"})) return {{feature_role::age}};
  if (any_of(t, {"income", "incomes", "salary", "salaries", "wage", "wages", "earnings", "earning"}))
    return {{feature_role::income}};
  if (any_of(t, {"spend", "spending", "spent", "spender", "amount", "amt", "monetary", "revenue", "mnt", "value",
                 "ticket", "aov", "expenditure", "expenditures", "turnover", "gmv", "ltv", "clv", "basket"}))
    return {{feature_role::spend}};
  if (any_of(t, {"frequency", "freq", "orders", "visits", "visit", "purchases", "transactions", "txns", "trips",
                 "sessions", "count", "counts", "num", "number"}))
    return {{feature_role::frequency}};
  if (any_of(t, {"sales", "sale", "payments", "paid"})) return {{feature_role::spend}};
  return std::nullopt;
}

namespace {

/// lifetimes' summary (frequency, recency, T): its recency is the customer's age at the last purchase, never
/// above the age T, so a high value is a RECENT buyer (T − recency is the time since the last purchase).
bool is_lifetimes_recency(const role_assignment& r, const feature_table& t, const detail::communicator& comm) {
  if (r.role != feature_role::recency || r.from_option || detail::name_tokens(r.feature) != std::vector<std::string>{"recency"})
    return false;
  int64_t recency = -1, age = -1;
  for (size_t j = 0; j < t.features.size(); ++j) {
    if (t.features[j].kind != feature_kind::numeric) continue;
    if (t.features[j].name == r.feature) recency = static_cast<int64_t>(j);
    if (t.features[j].name == "T") age = static_cast<int64_t>(j);
  }
  if (recency < 0 || age < 0) return false;
  int64_t above = 0;
  for (int64_t i = 0; i < t.rows(); ++i) above += t.values(i, recency) > t.values(i, age);
  return comm.sum(above) == 0;
}

}  // namespace

void refine_roles_by_values(std::vector<role_assignment>& roles, const feature_table& t, const detail::communicator& comm) {
  for (auto& r : roles) {
    if (is_lifetimes_recency(r, t, comm)) r.inverted = true;
    if (r.role != feature_role::frequency || r.from_option) continue;
    const auto tokens = detail::name_tokens(r.feature);
    if (any_of(tokens, {"frequency", "freq", "count", "counts", "num", "number", "trx", "visits", "visit", "sessions", "trips"}))
      continue;
    const auto it = std::find_if(t.features.begin(), t.features.end(), [&](const feature_info& f) { return f.name == r.feature; });
    if (it == t.features.end()) continue;
    const float* x = t.values.col(it - t.features.begin());
    int64_t fractional = 0;
    const bool imputed = it->imputed > 0;  // a median of whole numbers may end in .5: not evidence of money
    for (int64_t i = 0; i < t.rows() && fractional == 0; ++i)
      fractional += x[i] != std::floor(x[i]) && !(imputed && static_cast<double>(x[i]) == static_cast<double>(static_cast<float>(it->impute_value)));
    if (comm.sum(fractional) > 0) r.role = feature_role::spend;
  }
}

std::vector<role_assignment> assign_roles(const std::vector<feature_info>& features,
                                          const std::vector<role_override>& overrides) {
  std::map<std::string, std::optional<feature_role>> explicit_role;  // column → role (nullopt: none)
  std::vector<bool> role_given(role_names.size(), false);
  for (const auto& o : overrides) {
    const auto role = parse_role(o);
    if (!is_numeric_feature(features, o.column)) {
      throw input_error("--role " + o.role + "=" + o.column + ": " + quote_value(o.column) +
                        " is not a numeric feature of this run (numeric features: " + feature_list(features) + ")");
    }
    const auto [it, inserted] = explicit_role.emplace(o.column, role);
    if (!inserted && it->second != role)
      throw input_error("--role: column " + quote_value(o.column) + " is given two different roles");
    if (role) role_given[static_cast<size_t>(*role)] = true;
  }
  std::vector<role_assignment> out;
  for (const auto& f : features) {
    if (f.kind != feature_kind::numeric) continue;
    const auto recognised = recognise_role(f.name);
    if (const auto it = explicit_role.find(f.name); it != explicit_role.end()) {
      if (!it->second) continue;
      // Year_Birth given as age keeps its inversion: a later year of birth is still a younger customer.
      const bool inverted = recognised && recognised->role == *it->second && recognised->inverted;
      out.push_back({f.name, *it->second, inverted, true});
    } else if (recognised && !role_given[static_cast<size_t>(recognised->role)]) {
      out.push_back({f.name, recognised->role, recognised->inverted, false});
    }
  }
  return out;
}

}  // namespace segmint
