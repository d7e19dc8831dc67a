#include <nlohmann/json.hpp>

#include "job_table.hpp"
#include "../io/text_encoding.hpp"
#include "outputs.hpp"
#include "value_outputs.hpp"
#include "segmint/version.hpp"

namespace segmint::detail {
namespace {
using json = nlohmann::ordered_json;

json ledger_json(const row_ledger& l, int64_t blank_lines) {
  json reasons = json::object();
  for (const auto& [reason, count] : l.rejected) reasons[reason] = count;
  return {{"read", l.read}, {"used", l.used}, {"rejected", l.rejected_total()}, {"rejected_by_reason", reasons},
          {"balanced", l.balanced()}, {"blank_lines_skipped", blank_lines}};
}

json scores_json(const candidate_score& s) {
  json j{{"k", s.k},
         {"inertia", s.inertia},
         {"silhouette", s.scores.silhouette},
         {"calinski_harabasz", s.scores.calinski_harabasz},
         {"davies_bouldin", s.scores.davies_bouldin},
         {"silhouette_rows", s.scores.silhouette_rows},
         {"silhouette_sampled", s.scores.silhouette_sampled},
         {"iterations", s.iterations},
         {"converged", s.converged}};
  for (const auto& [name, value] : s.extra) j[name] = value;
  return j;
}

json profile_features_json(const segment_profile& p) {
  json a = json::array();
  for (const auto& f : p.features)
    a.push_back({{"name", f.name}, {"mean", f.mean}, {"median", f.median}, {"overall_mean", f.population_mean}, {"z", f.z}});
  return a;
}

json categories_json(const segment_profile& p) {
  json a = json::array();
  for (const auto& c : p.categories)
    a.push_back({{"column", c.column}, {"top_level", c.level}, {"share", c.share}, {"overall_share", c.overall_share}});
  return a;
}

/// Which feature plays which role in the segment names, and whether --role set it.
json roles_json(const std::vector<role_assignment>& roles) {
  json a = json::array();
  for (const auto& r : roles)
    a.push_back({{"feature", r.feature}, {"role", role_name(r.role)}, {"inverted", r.inverted},
                 {"set_by", r.from_option ? "--role" : "column name"}});
  return a;
}
}  // namespace

std::string run_json(const run_options& o, const run_outcome& r) {
  json j;
  j["segmint_version"] = version_string();
  json cmd = json::array();
  for (const auto& a : o.command_line) cmd.push_back(to_utf8(a));
  j["command"] = cmd;
  j["input"] = {{"path", to_utf8(o.more_inputs.empty() ? o.input : r.table.source)},
                {"id_column", r.table.id_column},
                {"id_generated", r.table.id_generated}};
  if (!r.table.files.empty()) {
    json paths = json::array();
    for (const auto& f : r.table.files) paths.push_back(to_utf8(f));
    j["input"]["paths"] = paths;  // several files, read as one table in this order
  }
  const auto& seg = r.seg;
  j["config"] = {{"algo", o.algo},
                 {"k_range", {o.k_min, o.k_max}},
                 {"seed", o.kmeans.seed},
                 {"max_iter", o.kmeans.max_iter},
                 {"tol", o.kmeans.tol},
                 {"standardize", o.preprocess.standardize},
                 {"log_auto", o.preprocess.log_auto},
                 {"log_columns", o.preprocess.log_columns},
                 {"on_bad_row", o.table.csv.on_bad_row == bad_row_policy::skip ? "skip" : "fail"},
                 {"threads", r.threads}};
  j["backend"] = {{"name", r.backend}, {"device", r.device}};
  j["rows"] = ledger_json(r.table.ledger, r.table.blank_lines);
  j["parallel"] = {{"ranks", std::max<size_t>(1, r.table.rank_rows.size())}, {"rows_per_rank", r.table.rank_rows}};
  if (r.transactions) {
    j["transactions"] = json::parse(transaction_summary_json(*r.transactions));
    j["config"]["as_of"] = r.transactions->as_of;
  }
  json imputed = json::object();
  for (const auto& f : r.table.features)
    if (f.kind == feature_kind::numeric && f.imputed > 0) imputed[f.name] = {{"count", f.imputed}, {"median", f.impute_value}};
  json levels = json::object();
  for (const auto& [source, lv] : r.table.categorical_levels) levels[source] = lv;
  json scales = json::object();  // text answers read as numbers: each answer's value
  for (const auto& f : r.table.features)
    if (!f.text_rule.empty()) {
      json answers = json::object();
      for (const auto& [text, value] : f.text_values) answers[text] = value;
      scales[f.name] = {{"rule", f.text_rule}, {"answers", answers}};
    }
  j["columns"] = {{"features", r.table.feature_names()},
                  {"categorical_levels", levels},
                  {"text_scales", scales},
                  {"skipped", r.table.skipped_columns},
                  {"imputed", imputed},
                  {"dropped_constant", r.preprocess.dropped_constant},
                  {"log1p", [&] {
                     json a = json::array();
                     for (const auto& c : r.preprocess.columns)
                       if (c.log1p) a.push_back(c.name);
                     return a;
                   }()},
                  {"log1p_auto_selected", r.preprocess.log_auto_selected},
                  {"model_space", r.preprocess.output_names()}};
  if (r.preprocess.pca) {
    j["pca"] = {{"components", r.preprocess.pca->components.cols()},
                {"explained_variance_ratio", r.preprocess.pca->explained_variance_ratio}};
  } else {
    j["pca"] = nullptr;
  }
  json per_k = json::array();
  for (const auto& s : seg.per_k) per_k.push_back(scores_json(s));
  j["selection"] = {{"algorithm", seg.algorithm},
                    {"rule", seg.rule},
                    {"chosen_k", seg.k},
                    {"elbow_k", seg.elbow_k ? json(*seg.elbow_k) : json(nullptr)},
                    {"reason", seg.reason},
                    {"per_k", per_k}};
  if (seg.algorithm == "ward") {
    const bool two_stage = seg.facts.count("two_stage") && seg.facts.at("two_stage") != 0;
    j["config"]["ward_mode"] = std::string(ward::mode_name(o.ward.how));
    j["linkage"] = {{"file", "linkage.csv"},
                    {"merges", seg.linkage.size()},
                    {"leaves", seg.linkage.size() + 1},
                    {"leaves_are", two_stage ? "micro-clusters (two-stage mode): linkage.csv is their dendrogram"
                                             : "rows, in input order"},
                    {"format", "SciPy linkage: a < b merged into node leaves + line index (leaves are 0..leaves-1), "
                               "height = Ward distance, size = customers"},
                    {"cut_nodes", seg.linkage_cut}};
  }
  json facts = json::object();
  facts["algorithm"] = seg.algorithm;
  for (const auto& [name, value] : seg.facts) facts[name] = value;
  j["model"] = facts;
  json segs = json::array();
  for (const auto& p : r.profiles) {
    json drivers = json::array();
    for (int d : p.drivers) drivers.push_back({{"feature", p.features[static_cast<size_t>(d)].name}, {"z", p.features[static_cast<size_t>(d)].z}});
    segs.push_back({{"id", p.id}, {"name", p.name}, {"size", p.size}, {"share", p.share}, {"reason", p.reason},
                    {"rule", p.rule}, {"drivers", drivers}, {"features", profile_features_json(p)},
                    {"categories", categories_json(p)}});
  }
  j["segments"] = segs;
  j["roles"] = roles_json(r.roles);
  json profiled = json::array();  // columns described per segment, not clustered on
  for (const auto& p : r.profiled) {
    json pj{{"column", p.column}, {"why", p.why}, {"kind", p.numeric ? "numeric" : "categorical"}};
    json segments = json::array();
    for (const auto& s : p.segments) {
      json sj{{"present", s.present}};
      if (p.numeric) {
        sj["mean"] = s.mean;
        sj["median"] = s.median;
        sj["p_value"] = s.p_value;  // Welch's t-test, this segment against the other customers
      } else {
        sj["shares"] = s.shares;
      }
      segments.push_back(sj);
    }
    if (p.numeric) {
      pj["overall_mean"] = p.overall_mean;
    } else {
      pj["levels"] = p.levels;
      pj["overall_shares"] = p.overall_shares;
      pj["chi_square"] = {{"statistic", p.chi_square}, {"dof", p.dof}, {"p_value", p.p_value}};
    }
    pj["segments"] = segments;
    profiled.push_back(pj);
  }
  j["profiled"] = profiled;
  j["joins"] = detail::joins_json(r.table.joins);  // --join sources and a joined log: a left join on the input's customers
  if (r.value) {  // value.json's figures (value_outputs.cpp), less what run.json already says
    json v = json::parse(value_json(*o.value, *r.value));
    for (const char* key : {"segmint_version", "input", "ledger"}) v.erase(key);
    v["file"] = "value.csv";
    j["value"] = v;
  }
  json timings = json::object();
  for (const auto& [stage, secs] : r.timings) timings[stage] = secs;
  j["timings_s"] = timings;
  j["warnings"] = r.warnings;
  j["files"] = r.files;
  return j.dump(2) + "\n";
}

}  // namespace segmint::detail
