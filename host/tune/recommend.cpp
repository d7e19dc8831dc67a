#include "recommend.hpp"
#include "../io/printf_number.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

namespace segmint::detail {
namespace {

std::string num(double v, const char* f = "%.2f") { return printf_number(v, f); }

bool stable(const tune::k_scores& s) {
  return s.k >= 2 && s.stability >= stable_ari && s.min_jaccard > dissolved_jaccard;
}

/// What ranks configurations: the mean of stability, the weakest segment's Jaccard and seed agreement.
double evidence(const tune::k_scores& s) {
  const double seed = std::isnan(s.seed_agreement) ? s.stability : s.seed_agreement;
  return (s.stability + s.min_jaccard + seed) / 3;
}

/// Distances on heavy-tailed columns are ruled by the tail, so when log auto found skewed columns the logged
/// configurations get a head start; so does clustering every dimension (no PCA) over dropping some.
double preference(const tune::configuration_result& c) {
  return (c.config.prep.log && !c.log_columns.empty() ? log_preference : 0.0) + (c.config.prep.pca == 0 ? full_space_preference : 0.0);
}

const tune::k_scores* at_k(const tune::configuration_result& c, int k) {
  for (const auto& s : c.per_k)
    if (s.k == k) return &s;
  return nullptr;
}

std::string join(const std::vector<std::string>& parts) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) out += (i == 0 ? "" : i + 1 == parts.size() ? " and " : ", ") + parts[i];
  return out;
}

struct index_def {
  const char* name;
  double (*value)(const tune::k_scores&);
  bool higher_is_better;
};

/// The indices that vote on k. The gap statistic votes through its 1-SE rule (below), not its raw value.
std::vector<index_def> indices(bool gmm) {
  std::vector<index_def> d = {{"silhouette", [](const tune::k_scores& s) { return s.silhouette; }, true},
                              {"Calinski-Harabasz", [](const tune::k_scores& s) { return s.calinski_harabasz; }, true},
                              {"Davies-Bouldin", [](const tune::k_scores& s) { return s.davies_bouldin; }, false}};
  if (gmm) d.push_back({"BIC", [](const tune::k_scores& s) { return s.bic; }, false});
  return d;
}

struct tally {
  std::vector<std::string> firsts;  ///< indices that rank this k first
  int rank_sum = 0;                 ///< Borda: sum of its rank (0 = best) under every index
};

/// Per candidate k: which indices put it first and its summed rank (the tie-breaker).
std::map<int, tally> vote(const std::vector<const tune::k_scores*>& cand, const tune::gap_curve& gap, bool gmm) {
  std::map<int, tally> t;
  for (const auto* s : cand) t[s->k];
  for (const auto& d : indices(gmm)) {
    std::vector<const tune::k_scores*> order = cand;
    std::stable_sort(order.begin(), order.end(), [&](const auto* a, const auto* b) {
      return d.higher_is_better ? d.value(*a) > d.value(*b) : d.value(*a) < d.value(*b);
    });
    for (size_t r = 0; r < order.size(); ++r) t[order[r]->k].rank_sum += static_cast<int>(r);
    t[order.front()->k].firsts.push_back(d.name);
  }
  for (const auto* s : cand) {
    const int distance = std::abs(s->k - gap.k_one_se);  // the gap votes for its k and ranks the others by distance
    t[s->k].rank_sum += distance;
    if (distance == 0) t[s->k].firsts.push_back("the gap statistic");
  }
  return t;
}

std::string stability_words(const tune::k_scores& s) {
  return "stability " + num(s.stability) + " (mean ARI of the refits), weakest segment's Jaccard " + num(s.min_jaccard) +
         (std::isnan(s.seed_agreement) ? std::string() : ", seed agreement " + num(s.seed_agreement));
}

std::string budget_words(const tune::outcome& t) {
  return "The time budget ended the search after " + std::to_string(t.configurations.size()) + " of " +
         std::to_string(t.configurations_planned) + " configurations";
}

}  // namespace

void choose_own_k(tune::configuration_result& c, const tune::gap_curve& gap) {
  std::vector<const tune::k_scores*> cand;
  for (const auto& s : c.per_k)
    if (stable(s)) cand.push_back(&s);
  if (cand.empty()) {
    c.best_k = 1;
    const tune::k_scores* most = nullptr;
    for (const auto& s : c.per_k)
      if (s.k >= 2 && (most == nullptr || s.stability > most->stability)) most = &s;
    c.best_k_reason = most == nullptr ? "no k ≥ 2 was fitted"
                                      : "no k ≥ 2 is stable (the most stable, k = " + std::to_string(most->k) + ", has " +
                                            stability_words(*most) + ")";
    return;
  }
  const auto v = vote(cand, gap, c.config.algo == algorithm::gmm);
  const tune::k_scores* pick = nullptr;
  for (const auto* s : cand) {
    if (pick == nullptr) {
      pick = s;
      continue;
    }
    const tally& a = v.at(s->k);
    const tally& b = v.at(pick->k);
    if (a.firsts.size() != b.firsts.size() ? a.firsts.size() > b.firsts.size()
                                           : a.rank_sum != b.rank_sum ? a.rank_sum < b.rank_sum : s->stability > pick->stability)
      pick = s;
  }
  const tally& won = v.at(pick->k);
  std::string why = won.firsts.empty() ? "k = " + std::to_string(pick->k) + " ranks best on average over the indices"
                                       : join(won.firsts) + (won.firsts.size() == 1 ? " picks" : " pick") + " k = " +
                                             std::to_string(pick->k) + " among the stable k";
  if (won.firsts.size() == 1 && cand.size() > 1) why += " (ties on first places are broken by the average rank over the indices)";
  if (pick->k == 2) {  // two segments rarely serve a marketer: a firmly stable, separated larger k is preferred
    const tune::k_scores* larger = nullptr;
    for (const auto* s : cand)
      if (s->k >= 3 && s->stability >= firmly_stable && s->min_jaccard >= stable_ari &&
          s->silhouette >= std::max(0.25, 0.75 * pick->silhouette) && (larger == nullptr || s->silhouette > larger->silhouette))
        larger = s;
    if (larger != nullptr) {
      why += "; k = " + std::to_string(larger->k) + " is preferred to 2: it is as firmly stable (" + num(larger->stability) +
             ") and keeps a silhouette of " + num(larger->silhouette) + " (k = 2: " + num(pick->silhouette) + ")";
      pick = larger;
    }
  }
  c.best_k = pick->k;
  c.best_k_reason = why;
}

tune::recommendation recommend(const tune::outcome& t, const tune::params& p) {
  tune::recommendation r;
  r.seed = p.seed;
  // Rank: configurations with a stable k first, by evidence plus the preprocessing preference (two decimals),
  // then the silhouette.
  std::vector<const tune::configuration_result*> ranked;
  for (const auto& c : t.configurations) ranked.push_back(&c);
  auto key = [](const tune::configuration_result* c) {
    const tune::k_scores* s = at_k(*c, c->best_k);
    if (s == nullptr || c->best_k < 2) return std::make_pair(-1.0, -2.0);
    return std::make_pair(std::round(100 * (evidence(*s) + preference(*c))) / 100, s->silhouette);
  };
  std::stable_sort(ranked.begin(), ranked.end(), [&](const auto* a, const auto* b) { return key(a) > key(b); });
  const bool gap_says_none = !t.gaps.empty() && std::all_of(t.gaps.begin(), t.gaps.end(), [](const auto& g) { return g.k_one_se == 1; });
  const tune::configuration_result* best = ranked.empty() ? nullptr : ranked.front();
  const tune::k_scores* s = best == nullptr ? nullptr : at_k(*best, best->best_k);
  const bool very_stable = s != nullptr && best->best_k >= 2 && evidence(*s) >= 0.9;
  if (best == nullptr || best->best_k < 2 || (gap_says_none && !very_stable)) {
    r.structure = false;
    r.k = 1;
    if (best != nullptr) r.config = best->config;
    r.config.algo = algorithm::kmeans;
    r.n_init = p.kmeans_restarts;
    r.reasons.push_back("No cluster structure found: " +
                        std::string(gap_says_none ? "the gap statistic (1-SE rule) picks k = 1 for every preprocessing"
                                                  : "the gap statistic finds structure") +
                        (best == nullptr || best->best_k < 2 ? ", and no configuration has a stable k ≥ 2."
                                                             : ", and the best candidate (" + describe(best->config) + ", k = " +
                                                                   std::to_string(best->best_k) + ") is not firmly stable: " +
                                                                   stability_words(*s) + "."));
    r.reasons.push_back("Segments of such data would be arbitrary cuts of one population; treat the customers as one group, "
                        "or add features that separate them.");
    if (t.stopped_by_time_budget) r.reasons.push_back(budget_words(t) + ": the configurations not searched may still find structure.");
    return r;
  }
  r.config = best->config;
  r.k = best->best_k;
  r.n_init = best->config.algo == algorithm::gmm ? p.gmm_restarts : p.kmeans_restarts;
  r.reasons.push_back(describe(best->config) + " at k = " + std::to_string(r.k) + ": " + stability_words(*s) + ".");
  r.reasons.push_back("Why this k: " + best->best_k_reason + ".");
  std::string smaller;
  for (const auto& o : best->per_k)
    if (o.k >= 2 && o.k < r.k)
      smaller += std::string(smaller.empty() ? "" : "; ") + "k = " + std::to_string(o.k) + ": silhouette " + num(o.silhouette) +
                 ", stability " + num(o.stability);
  if (!smaller.empty()) r.reasons.push_back("Smaller k in the same configuration: " + smaller + ".");
  if (gap_says_none)
    r.reasons.push_back("The gap statistic alone would say k = 1 (no structure); the stability of these segments outweighs it.");
  else
    for (const auto& g : t.gaps)
      if (g.prep.log == best->config.prep.log && g.prep.pca == best->config.prep.pca)
        r.reasons.push_back("The gap statistic (1-SE rule, this preprocessing) picks k = " + std::to_string(g.k_one_se) + ".");
  if (t.stopped_by_time_budget) r.reasons.push_back(budget_words(t) + ": this is the best so far.");
  for (size_t i = 1; i < ranked.size() && r.runners_up.size() < 3; ++i) {
    const auto* c = ranked[i];
    const tune::k_scores* cs = at_k(*c, c->best_k);
    if (cs == nullptr || c->best_k < 2) continue;
    r.runners_up.push_back(describe(c->config) + ", k = " + std::to_string(c->best_k) + ": " + stability_words(*cs) +
                           ", silhouette " + num(cs->silhouette));
  }
  return r;
}

}  // namespace segmint::detail
