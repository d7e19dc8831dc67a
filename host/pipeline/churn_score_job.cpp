// Scoring with a trained churn model (include/segmint/churn_run.hpp: score_churn): churn.json's coefficients
// and training scaling on features computed from a log as of any day.
#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "../churn/logistic.hpp"
#include "../io/atomic_file.hpp"
#include "../io/input_files.hpp"
#include "churn_features.hpp"
#include "csv_writer.hpp"
#include "segmint/churn_run.hpp"
#include "segmint/error.hpp"

namespace segmint {
namespace {

/// The model in churn.json: weights on standardised log1p features, their training means and deviations.
struct churn_model {
  churn::logistic_model logistic;
  std::vector<double> mean, sd;
  int window_days = 0;
};

churn_model load_churn_model(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw input_error(path + ": cannot open the churn model (give the churn.json that segmint churn wrote)");
  const auto bad = [&](const std::string& why) { return input_error(path + ": not a segmint churn.json (" + why + ")"); };
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception& e) {
    throw bad(std::string("not JSON: ") + e.what());
  }
  if (!j.is_object() || !j.contains("model") || !j["model"].contains("coefficients") || !j["model"]["coefficients"].is_array())
    throw bad("no model.coefficients");
  const auto& c = j["model"]["coefficients"];
  if (c.size() != detail::churn_raw_features.size()) throw bad("it has " + std::to_string(c.size()) + " coefficients, not 4");
  churn_model m;
  try {
    for (size_t k = 0; k < c.size(); ++k) {
      const std::string want = std::string("log1p_") + detail::churn_raw_features[k];
      if (c[k].at("feature").get<std::string>() != want) throw bad("coefficient " + std::to_string(k + 1) + " is not " + want);
      m.logistic.weights.push_back(c[k].at("standardised").get<double>());
      m.mean.push_back(c[k].at("training_mean").get<double>());
      m.sd.push_back(c[k].at("training_sd").get<double>());
    }
    m.logistic.intercept = j["model"].at("intercept").get<double>();
    m.window_days = j.at("window_days").get<int>();
  } catch (const nlohmann::json::exception& e) {
    throw bad(e.what());
  }
  for (size_t k = 0; k < m.mean.size(); ++k)
    if (!std::isfinite(m.logistic.weights[k]) || !std::isfinite(m.mean[k]) || !(m.sd[k] >= 0)) throw bad("a coefficient is not a finite number");
  return m;
}

}  // namespace

churn_score_outcome score_churn(const churn_score_options& o) {
  const detail::input_file_scope inputs_of_this_run;
  const churn_model model = load_churn_model(o.model_path);
  const customer_table t = compute_customer_features(o.transactions);
  const size_t n = t.ids.size(), d = detail::churn_raw_features.size();
  std::vector<double> z = detail::churn_feature_rows(t);
  for (size_t i = 0; i < n; ++i)  // the training scaling (churn_job.cpp)
    for (size_t j = 0; j < d; ++j) z[i * d + j] = model.sd[j] > 0 ? (z[i * d + j] - model.mean[j]) / model.sd[j] : 0.0;
  const std::vector<double> probability = churn::predict_logistic(model.logistic, z, d);
  churn_score_outcome out;
  out.customers = static_cast<int64_t>(n);
  out.as_of = t.summary.as_of;
  out.window_days = model.window_days;
  out.lines = t.summary;
  if (n == 0) throw input_error("churn --model: no customer bought before " + t.summary.as_of + ": nobody to score");
  for (double p : probability) out.mean_probability += p;  // in customer order
  out.mean_probability /= static_cast<double>(n);

  const std::filesystem::path out_path(o.out_path);
  if (out_path.has_parent_path()) detail::output_set check(out_path.parent_path().string());
  detail::atomic_file f(o.out_path);
  f << detail::csv_field(t.id_column) << ",churn_probability";
  for (const char* name : detail::churn_raw_features) f << "," << name;
  f << "\n";
  for (size_t i = 0; i < n; ++i) {
    f << detail::csv_text(t.ids[i], o.spreadsheet_safe) << "," << detail::csv_number(probability[i]);
    for (const char* name : detail::churn_raw_features) f << "," << detail::csv_number((*t.find(name))[i], 17);
    f << "\n";
  }
  f.commit();
  return out;
}

}  // namespace segmint
