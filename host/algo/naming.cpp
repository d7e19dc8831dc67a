// Segment names: data-driven rules over feature roles, then a descriptive fallback from the drivers.
// The rule table is the documentation: README "Segment names and the report" mirrors it row for row.
#include "segmint/naming.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <map>
#include <optional>
#include <set>

#include "naming_text.hpp"

namespace segmint {
namespace {

constexpr size_t role_count = 8;
// Half a standard deviation from the population is what marketers would call noticeably high or low, and
// it keeps a segment that is average on a role from being named after it.
constexpr double role_level_z = 0.5;
constexpr double name_min_abs_z = 0.5;  // descriptive names use drivers at least this far from average

enum class cond { high, low, not_high };

struct condition {
  feature_role role;
  cond test;
};

struct rule {
  const char* id;
  const char* name;
  std::vector<condition> conditions;  // all must hold; high/low need the role to be present
};

using feature_role::age;
using feature_role::discount;
using feature_role::frequency;
using feature_role::income;
using feature_role::recency;
using feature_role::returns;
using feature_role::spend;
using feature_role::tenure;

// First match wins. Recency is "days since the last purchase": low = recent, high = lapsed.
const std::vector<rule>& rules() {
  static const std::vector<rule> table = {
      {"champions", "Champions", {{spend, cond::high}, {frequency, cond::high}, {recency, cond::low}}},
      {"loyal_high_spenders",
       "Loyal high spenders",
       {{spend, cond::high}, {frequency, cond::high}, {recency, cond::not_high}}},
      {"lapsed_high_spenders", "Lapsed high spenders", {{recency, cond::high}, {spend, cond::high}}},
      {"lapsed_customers", "Lapsed customers", {{recency, cond::high}}},
      {"new_customers", "New customers", {{tenure, cond::low}, {recency, cond::not_high}}},
      {"frequent_returners", "Frequent returners", {{returns, cond::high}}},
      {"deal_seekers", "Deal seekers", {{discount, cond::high}, {spend, cond::not_high}}},
      {"young_high_spenders", "Young high-spenders", {{age, cond::low}, {spend, cond::high}}},
      {"luxury_spenders", "Luxury spenders", {{income, cond::high}, {spend, cond::high}}},
      {"careful_high_earners", "Careful high earners", {{income, cond::high}, {spend, cond::low}}},
      {"aspirational_spenders", "Aspirational spenders", {{income, cond::low}, {spend, cond::high}}},
      {"frequent_light_spenders", "Frequent light spenders", {{frequency, cond::high}, {spend, cond::low}}},
      {"budget_conscious", "Budget-conscious", {{spend, cond::low}, {income, cond::not_high}}},
      {"frequent_buyers", "Frequent buyers", {{frequency, cond::high}}},
      {"big_spenders", "Big spenders", {{spend, cond::high}}},
      {"recent_customers", "Recent customers", {{recency, cond::low}}},  // bought lately, nothing else stands out
      {"occasional_buyers", "Occasional buyers", {{frequency, cond::low}}},
      {"long_standing_customers", "Long-standing customers", {{tenure, cond::high}}},
      {"high_earners", "High earners", {{income, cond::high}}},
      {"lower_income_customers", "Lower-income customers", {{income, cond::low}}},
      {"young_customers", "Young customers", {{age, cond::low}}},
      {"older_customers", "Older customers", {{age, cond::high}}},
  };
  return table;
}

/// Per role, the mean signed z of its features in one segment (a role with no usable feature is absent).
struct role_scores {
  std::array<std::optional<double>, role_count> z;

  [[nodiscard]] bool holds(const condition& c) const {
    const auto& v = z[static_cast<size_t>(c.role)];
    switch (c.test) {
      case cond::high:
        return v && *v >= role_level_z;
      case cond::low:
        return v && *v <= -role_level_z;
      case cond::not_high:
        return !v || *v < role_level_z;
    }
    return false;
  }
};

/// Feature index → its role, for the segment's features (constant columns carry no information: skipped).
std::vector<const role_assignment*> roles_by_feature(const segment_profile& s,
                                                     const std::vector<role_assignment>& roles) {
  std::vector<const role_assignment*> by(s.features.size(), nullptr);
  for (size_t j = 0; j < s.features.size(); ++j) {
    if (s.features[j].kind != feature_kind::numeric || !(s.features[j].population_sd > 0)) continue;
    for (const auto& r : roles)
      if (r.feature == s.features[j].name) by[j] = &r;
  }
  return by;
}

role_scores score_roles(const segment_profile& s, const std::vector<const role_assignment*>& by) {
  std::array<double, role_count> sum{};
  std::array<int, role_count> n{};
  for (size_t j = 0; j < by.size(); ++j) {
    if (by[j] == nullptr) continue;
    const auto r = static_cast<size_t>(by[j]->role);
    sum[r] += by[j]->inverted ? -s.features[j].z : s.features[j].z;
    ++n[r];
  }
  role_scores out;
  for (size_t r = 0; r < role_count; ++r)
    if (n[r] > 0) out.z[r] = sum[r] / n[r];
  return out;
}

/// Whether a feature's role is one the rule speaks about: a high/low condition, or a "not high" condition
/// whose role is in fact low in this segment (Budget-conscious with a low income says so).
bool in_rule(const rule* r, const role_assignment* role, const role_scores& scores) {
  if (r == nullptr || role == nullptr) return false;
  return std::any_of(r->conditions.begin(), r->conditions.end(), [&](const condition& c) {
    return c.role == role->role && (c.test != cond::not_high || scores.holds({c.role, cond::low}));
  });
}

/// Up to 3 features behind a rule: those of its high/low roles, largest |z| first.
std::vector<int> rule_evidence(const segment_profile& s, const rule& r, const std::vector<const role_assignment*>& by,
                               const role_scores& scores) {
  std::vector<int> idx;
  for (size_t j = 0; j < by.size(); ++j)
    if (in_rule(&r, by[j], scores)) idx.push_back(static_cast<int>(j));
  std::stable_sort(idx.begin(), idx.end(), [&](int a, int b) {
    return std::fabs(s.features[static_cast<size_t>(a)].z) > std::fabs(s.features[static_cast<size_t>(b)].z);
  });
  if (idx.size() > 3) idx.resize(3);
  return idx;
}

std::string rule_phrase(const rule& r, const role_scores& scores) {
  std::vector<std::string> parts;
  for (const auto& c : r.conditions) {
    if (scores.holds({c.role, cond::high})) parts.push_back(detail::role_level_phrase(c.role, true));
    if (scores.holds({c.role, cond::low})) parts.push_back(detail::role_level_phrase(c.role, false));
  }
  return detail::join_and(parts);
}

struct named {
  std::string name;
  std::string reason;
  const rule* fired = nullptr;  // nullptr: mainstream or descriptive
  std::string rule_id;
  role_scores scores;
};

named name_one(const segment_profile& s, const std::vector<const role_assignment*>& by) {
  const role_scores scores = score_roles(s, by);
  for (const auto& r : rules()) {
    if (!std::all_of(r.conditions.begin(), r.conditions.end(), [&](const condition& c) { return scores.holds(c); }))
      continue;
    const std::string phrase = rule_phrase(r, scores);
    return {r.name, detail::capitalised(phrase) + ": " + detail::evidence(s, rule_evidence(s, r, by, scores)), &r, r.id,
            scores};
  }
  std::vector<int> strong;
  for (int j : s.drivers)
    if (std::fabs(s.features[static_cast<size_t>(j)].z) >= name_min_abs_z) strong.push_back(j);
  // A level that is rare in the segment says less than the level that is common there ("mostly Male", not
  // "few Female"), so names use only over-represented levels; the reason lists every driver.
  std::vector<int> nameable;
  for (int j : strong)
    if (s.features[static_cast<size_t>(j)].kind == feature_kind::numeric || s.features[static_cast<size_t>(j)].z > 0)
      nameable.push_back(j);
  if (strong.empty()) {
    return {"Mainstream customers", detail::mainstream_reason(s, name_min_abs_z), nullptr, "mainstream", scores};
  }
  if (nameable.empty()) nameable = strong;
  std::string name;
  for (size_t i = 0; i < nameable.size() && i < 2; ++i) {
    const auto j = static_cast<size_t>(nameable[i]);
    name += (name.empty() ? "" : ", ") + detail::feature_phrase(s.features[j], by[j]);
  }
  return {detail::capitalised(name), "Stands out on " + detail::evidence(s, strong), nullptr, "descriptive", scores};
}

/// Segment `i`'s driver `j` as a qualifier of its name ("older", "mostly Female"), or "" where it says
/// nothing new: a weak driver (|z| < 0.25), an under-represented level, a role of the rule that named it, or
/// words the name already has.
std::string qualifier_phrase(const segment_profile& s, const named& n, const std::vector<const role_assignment*>& by, size_t j) {
  const auto& f = s.features[j];
  if (std::fabs(f.z) < 0.25 || (f.kind == feature_kind::one_hot && f.z < 0) || in_rule(n.fired, by[j], n.scores)) return {};
  std::string q = detail::feature_phrase(f, by[j]);
  if (detail::lower(n.name).find(detail::lower(q)) != std::string::npos) return {};
  return q;
}

/// Qualifiers for the segments that share a name (`members`). First choice, the driver whose phrases tell
/// every member apart, with the widest spread of z among such drivers ("Deal seekers (high income)" /
/// "Deal seekers (low income)"); otherwise each member's strongest driver that no other member is qualified
/// by ("High earners (older)" / "High earners (younger)"). Members left without one keep the bare name.
void qualify_group(const std::vector<segment_profile>& segments, std::vector<named>& names,
                   const std::vector<std::vector<const role_assignment*>>& by, const std::vector<size_t>& members) {
  const size_t d = segments[members.front()].features.size();
  std::optional<size_t> separating;
  double widest = 0.0;
  for (size_t j = 0; j < d; ++j) {
    std::set<std::string> phrases;
    double lo = HUGE_VAL, hi = -HUGE_VAL;
    for (size_t i : members) {
      const std::string q = qualifier_phrase(segments[i], names[i], by[i], j);
      if (q.empty()) break;
      phrases.insert(q);
      lo = std::min(lo, segments[i].features[j].z);
      hi = std::max(hi, segments[i].features[j].z);
    }
    if (phrases.size() == members.size() && hi - lo > widest) {
      separating = j;
      widest = hi - lo;
    }
  }
  std::vector<std::string> chosen(members.size());
  if (separating) {
    for (size_t m = 0; m < members.size(); ++m)
      chosen[m] = qualifier_phrase(segments[members[m]], names[members[m]], by[members[m]], *separating);
  } else {
    std::set<std::string> taken;
    for (size_t m = 0; m < members.size(); ++m) {
      const segment_profile& s = segments[members[m]];
      std::vector<size_t> order(d);
      for (size_t j = 0; j < d; ++j) order[j] = j;
      std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return std::fabs(s.features[a].z) > std::fabs(s.features[b].z); });
      for (size_t j : order) {
        const std::string q = qualifier_phrase(s, names[members[m]], by[members[m]], j);
        if (!q.empty() && taken.insert(q).second) {
          chosen[m] = q;
          break;
        }
      }
    }
  }
  for (size_t m = 0; m < members.size(); ++m)
    if (!chosen[m].empty()) names[members[m]].name += " (" + chosen[m] + ")";
}

}  // namespace

void name_segments(std::vector<segment_profile>& segments, const std::vector<role_assignment>& roles) {
  std::vector<named> names;
  std::vector<std::vector<const role_assignment*>> by;
  for (const auto& s : segments) {
    by.push_back(roles_by_feature(s, roles));
    names.push_back(name_one(s, by.back()));
  }
  // Names must be unique: the members of a group sharing a name get qualifiers that tell them apart
  // (qualify_group); numbers settle what qualifiers cannot.
  std::map<std::string, std::vector<size_t>> groups;
  for (size_t i = 0; i < names.size(); ++i) groups[names[i].name].push_back(i);
  for (const auto& [name, members] : groups)
    if (members.size() > 1) qualify_group(segments, names, by, members);
  std::set<std::string> used;
  for (size_t i = 0; i < names.size(); ++i) {
    auto& s = segments[i];
    s.name = names[i].name;
    for (int n = 2; used.count(s.name) > 0; ++n) s.name = names[i].name + " " + std::to_string(n);
    used.insert(s.name);
    s.reason = names[i].reason + detail::highlight_clause(s, names[i].reason);
    s.rule = names[i].rule_id;
  }
}

void name_segments(std::vector<segment_profile>& segments) {
  std::vector<feature_info> features;
  if (!segments.empty())
    for (const auto& f : segments.front().features) features.push_back({f.name, f.source, f.kind, f.level});
  name_segments(segments, assign_roles(features, {}));
}

}  // namespace segmint
