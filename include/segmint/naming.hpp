#pragma once
// Segment names from feature ROLES. A role says what a column means for a marketer (how much a customer
// spends, how often they buy, how long ago they last bought, ...). Roles are recognised from column names
// ("MntWines" → spend, "Recency" → recency, "Year_Birth" → age, inverted) or set with `--role role=column`.
// The naming rules (README, "Segment names and the report") read the roles' standardised differences and
// give names such as "Luxury spenders" or "Lapsed customers"; where no rule fits, a plain name is built
// from the driving features ("High annual income, low spending score").
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "segmint/profile.hpp"

namespace segmint {

enum class feature_role { spend, frequency, recency, income, age, tenure, returns, discount };

/// "spend", "frequency", ... (the names `--role` accepts; "none" removes a recognised role).
std::string_view role_name(feature_role role);

/// The role a column name suggests, if any: MntWines → spend, NumWebPurchases → frequency,
/// recency_days → recency, "Annual Income (k$)" → income, Year_Birth → age (inverted: a later year of birth
/// means a younger customer), tenure_days → tenure, NumDealsPurchases → discount, ...
struct recognised_role {
  feature_role role;
  bool inverted = false;  ///< a high value of the column means a LOW value of the role
};
std::optional<recognised_role> recognise_role(std::string_view column_name);

/// `--role spend=avg_ticket` as given on the command line.
struct role_override {
  std::string role;    ///< a role name or "none"
  std::string column;  ///< a numeric feature
};

/// A numeric feature with a role.
struct role_assignment {
  std::string feature;
  feature_role role = feature_role::spend;
  bool inverted = false;
  bool from_option = false;  ///< set with --role rather than recognised from the name
};

/// Roles of the numeric features of `features` (in feature order). An override replaces the recognised
/// role of its column; a role named in any override is taken only from overrides (the user said which
/// column it is). Throws input_error for an unknown role or a column that is not a numeric feature.
///   auto roles = segmint::assign_roles(table.features, {{"spend", "avg_ticket"}, {"none", "Recency"}});
std::vector<role_assignment> assign_roles(const std::vector<feature_info>& features,
                                          const std::vector<role_override>& overrides);

/// Roles checked against the values: a column taken for a count only because of a word such as "purchases",
/// "orders" or "transactions", whose values are not all whole numbers, holds money (a credit-card table's
/// PURCHASES) and becomes spend. Columns with an explicit count word (frequency, count, num, trx) and roles
/// given with --role are kept. `comm`: every process's rows of a data-parallel run.
void refine_roles_by_values(std::vector<role_assignment>& roles, const feature_table& t, const detail::communicator& comm);

/// Names every segment (unique within the run), with a one-sentence reason and the rule that fired.
void name_segments(std::vector<segment_profile>& segments, const std::vector<role_assignment>& roles);

}  // namespace segmint
