// `segmint run --config DIR/tune.json`: the run that tune recommended, exactly (same fits, same seed).
#include <fstream>
#include <nlohmann/json.hpp>

#include "segmint/error.hpp"
#include "segmint/tune_run.hpp"

namespace segmint {

void apply_tune_config(const std::string& path, run_options& o) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw input_error(path + ": cannot open the tuning result (give the tune.json that segmint tune wrote)");
  const auto bad = [&](const std::string& why) { return input_error(path + ": not a segmint tune.json (" + why + ")"); };
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception& e) {
    throw bad(std::string("not JSON: ") + e.what());
  }
  if (!j.is_object() || !j.contains("recommended") || !j["recommended"].is_object()) throw bad("no recommended configuration");
  try {
    const auto& r = j["recommended"];
    if (!r.at("structure").get<bool>())
      throw input_error(path + ": tune found no cluster structure (k = 1), so there is no segmentation to run");
    o.algo = r.at("algo").get<std::string>();
    if (o.algo != "kmeans" && o.algo != "gmm" && o.algo != "ward") throw bad("algo " + quote_value(o.algo));
    o.k_min = o.k_max = r.at("k").get<int>();
    if (o.k_min < 2) throw bad("k " + std::to_string(o.k_min));
    const std::string log = r.at("log").get<std::string>();
    if (log != "auto" && log != "none") throw bad("log " + quote_value(log));
    o.preprocess.log_auto = log == "auto";
    o.preprocess.log_columns.clear();
    const double pca = r.at("pca").get<double>();
    o.preprocess.pca.reset();
    if (pca > 0 && pca < 1) o.preprocess.pca = pca::params{.variance_fraction = pca};
    else if (pca >= 1) o.preprocess.pca = pca::params{.components = static_cast<int>(pca)};
    else if (pca != 0) throw bad("pca " + std::to_string(pca));
    if (o.algo == "gmm") o.covariance_types = {gmm::parse_covariance_type(r.at("covariance").get<std::string>())};
    o.kmeans.seed = o.gmm.seed = r.at("seed").get<uint64_t>();
    const int n_init = r.at("n_init").get<int>();
    if (o.algo == "gmm") o.gmm.n_init = n_init;
    else o.kmeans.n_init = n_init;
    if (j.contains("table") && j["table"].is_object()) {
      const auto& t = j["table"];
      if (!o.table.id && t.contains("id") && t["id"].is_string()) o.table.id = t["id"].get<std::string>();
      if (o.table.features.empty() && t.contains("features")) o.table.features = t["features"].get<std::vector<std::string>>();
      if (o.table.categorical.empty() && t.contains("categorical")) o.table.categorical = t["categorical"].get<std::vector<std::string>>();
      if (o.table.ordinal.empty() && t.contains("ordinal"))
        o.table.ordinal = t["ordinal"].get<std::vector<std::pair<std::string, std::vector<std::string>>>>();
    }
  } catch (const nlohmann::json::exception& e) {
    throw bad(e.what());
  }
}

}  // namespace segmint
