#include "job_table.hpp"
#include "tune_outputs.hpp"

#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "segmint/version.hpp"

namespace segmint::detail {
namespace {
using json = nlohmann::ordered_json;

std::string cell(double v) {
  if (std::isnan(v)) return "";
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.10g", v);
  return buf;
}

/// nlohmann writes NaN as null; the value is kept exact otherwise.
json number(double v) { return std::isnan(v) ? json(nullptr) : json(v); }

const tune::gap_curve* gap_of(const tune::outcome& t, const tune::preprocessing& p) {
  for (const auto& g : t.gaps)
    if (g.prep.log == p.log && g.prep.pca == p.pca) return &g;
  return nullptr;
}

json config_json(const tune::configuration& c) {
  json j{{"algo", algorithm_name(c.algo)}, {"log", log_word(c.prep.log)}, {"pca", c.prep.pca}};
  if (c.algo == algorithm::gmm) j["covariance"] = gmm::to_string(c.covariance);
  return j;
}

json k_json(const tune::k_scores& s) {
  json j{{"k", s.k},
         {"inertia", s.inertia},
         {"silhouette", number(s.silhouette)},
         {"calinski_harabasz", number(s.calinski_harabasz)},
         {"davies_bouldin", number(s.davies_bouldin)},
         {"silhouette_rows", s.silhouette_rows},
         {"silhouette_sampled", s.silhouette_sampled}};
  if (!std::isnan(s.bic)) j["bic"] = s.bic, j["aic"] = s.aic;
  j["stability"] = number(s.stability);
  j["stability_sd"] = number(s.stability_sd);
  j["min_jaccard"] = number(s.min_jaccard);
  j["jaccard"] = s.jaccard;
  j["seed_agreement"] = number(s.seed_agreement);
  j["sizes"] = s.sizes;
  j["converged"] = s.converged;
  return j;
}

}  // namespace

std::string tune_csv(const tune::outcome& t) {
  std::string out =
      "algo,covariance,log,pca,dimensions,k,inertia,silhouette,calinski_harabasz,davies_bouldin,bic,aic,gap,gap_se,"
      "stability,stability_sd,min_jaccard,seed_agreement,sizes,converged,config_best_k,recommended\n";
  for (const auto& c : t.configurations) {
    const tune::gap_curve* g = gap_of(t, c.config.prep);
    for (const auto& s : c.per_k) {
      double gap = NAN, se = NAN;
      if (g != nullptr)
        for (size_t i = 0; i < g->k.size(); ++i)
          if (g->k[i] == s.k) gap = g->gap[i], se = g->se[i];
      std::string sizes;
      for (size_t i = 0; i < s.sizes.size(); ++i) sizes += (i ? ";" : "") + std::to_string(s.sizes[i]);
      const auto& r = t.recommended;
      const bool recommended = r.structure ? (r.k == s.k && r.config.algo == c.config.algo && r.config.covariance == c.config.covariance &&
                                              r.config.prep.log == c.config.prep.log && r.config.prep.pca == c.config.prep.pca)
                                           : false;
      out += std::string(algorithm_name(c.config.algo)) + "," + (c.config.algo == algorithm::gmm ? std::string(gmm::to_string(c.config.covariance)) : "") +
             "," + log_word(c.config.prep.log) + "," + cell(c.config.prep.pca) + "," + std::to_string(c.dimensions) + "," + std::to_string(s.k) +
             "," + cell(s.inertia) + "," + cell(s.silhouette) + "," + cell(s.calinski_harabasz) + "," + cell(s.davies_bouldin) + "," +
             cell(s.bic) + "," + cell(s.aic) + "," + cell(gap) + "," + cell(se) + "," + cell(s.stability) + "," + cell(s.stability_sd) + "," +
             cell(s.min_jaccard) + "," + cell(s.seed_agreement) + "," + sizes + "," + (s.converged ? "true" : "false") + "," +
             (c.best_k == s.k ? "true" : "false") + "," + (recommended ? "true" : "false") + "\n";
    }
  }
  return out;
}

std::string tune_json(const tune_options& o, const tune_run_outcome& r) {
  const tune::params& p = o.search;
  const tune::outcome& t = r.search;
  json j;
  j["segmint_version"] = version_string();
  j["command_line"] = o.command_line;
  j["input"] = {{"files", o.inputs}, {"rows_read", r.ledger.read}, {"rows_used", r.ledger.used},
                {"rows_rejected", r.ledger.rejected_total()}, {"features", r.feature_names}};
  j["input"]["joins"] = detail::joins_json(r.joins);
  j["table"] = {{"id", o.table.id ? json(*o.table.id) : json(nullptr)}, {"features", o.table.features}, {"categorical", o.table.categorical},
                {"ordinal", o.table.ordinal}};
  json algos = json::array(), logs = json::array(), covs = json::array();
  for (const auto a : p.algorithms) algos.push_back(algorithm_name(a));
  for (const bool l : p.logs) logs.push_back(log_word(l));
  for (const auto c : p.covariances) covs.push_back(gmm::to_string(c));
  j["grid"] = {{"algorithms", algos}, {"k_min", p.k_min}, {"k_max", p.k_max}, {"log", logs}, {"pca", p.pcas},
               {"covariance", covs}, {"kmeans_restarts", p.kmeans_restarts}, {"gmm_restarts", p.gmm_restarts},
               {"bootstrap", p.resamples}, {"resample_fraction", p.resample_fraction}, {"stability_rows", p.stability_rows},
               {"seed_trials", p.seed_trials}, {"gap_references", p.gap_references}, {"gap_rows", p.gap_rows},
               {"seed", p.seed}, {"time_budget", p.time_budget}};
  const auto& rec = t.recommended;
  json recj = config_json(rec.config);
  recj["structure"] = rec.structure;
  recj["k"] = rec.k;
  recj["seed"] = rec.seed;
  recj["n_init"] = rec.n_init;
  recj["reasons"] = rec.reasons;
  recj["runners_up"] = rec.runners_up;
  j["recommended"] = recj;
  json gaps = json::array();
  for (const auto& g : t.gaps) {
    json gj = {{"log", log_word(g.prep.log)}, {"pca", g.prep.pca}, {"rows", g.rows}, {"k_one_se", g.k_one_se}, {"k", g.k}};
    gj["log_w"] = g.log_w;
    gj["gap"] = g.gap;
    gj["se"] = g.se;
    gaps.push_back(gj);
  }
  j["gap"] = gaps;
  json configs = json::array();
  for (const auto& c : t.configurations) {
    json cj = config_json(c.config);
    cj["log_columns"] = c.log_columns;
    cj["dimensions"] = c.dimensions;
    cj["best_k"] = c.best_k;
    cj["best_k_reason"] = c.best_k_reason;
    json per_k = json::array();
    for (const auto& s : c.per_k) per_k.push_back(k_json(s));
    cj["per_k"] = per_k;
    configs.push_back(cj);
  }
  j["configurations"] = configs;
  j["configurations_planned"] = t.configurations_planned;
  j["stopped_by_time_budget"] = t.stopped_by_time_budget;
  j["warnings"] = r.warnings;
  return j.dump(2) + "\n";
}

std::string tune_timings_json(const tune::outcome& t) {
  json j;
  json configs = json::array();
  for (const auto& c : t.configurations) {
    json cj = config_json(c.config);
    cj["seconds"] = c.seconds;
    configs.push_back(cj);
  }
  j["configurations"] = configs;
  for (const auto& [stage, s] : t.timings) j[stage] = s;
  return j.dump(2) + "\n";
}

}  // namespace segmint::detail
