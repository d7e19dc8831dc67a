#pragma once
// Tuning: every configuration of a grid (preprocessing × algorithm × covariance type) fitted for every k,
// scored by internal indices, the gap statistic and stability under resampling, and one configuration
// recommended with its reasons (or the verdict "no cluster structure"). What `segmint tune` runs.
//   segmint::tune::params p;              // the default grid: kmeans, gmm, ward × k 1..12 × log none/auto × PCA 0/0.9
//   p.algorithms = {segmint::algorithm::kmeans};
//   const segmint::tune::outcome t = segmint::tune::run(ctx, table, p);
//   t.recommended.k, t.recommended.config, t.recommended.reasons ...
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "segmint/context.hpp"
#include "segmint/gmm.hpp"
#include "segmint/metrics.hpp"
#include "segmint/preprocess.hpp"
#include "segmint/segment.hpp"
#include "segmint/table.hpp"

namespace segmint::tune {

/// The preprocessing of one configuration (standardisation always, as in `segmint run`).
struct preprocessing {
  bool log = false;  ///< log1p the non-negative columns with skewness > 1 (run's `--log auto`)
  double pca = 0;    ///< 0: no PCA; in (0, 1): the fewest components explaining this variance; ≥ 1: components
};

struct configuration {
  preprocessing prep;
  algorithm algo = algorithm::kmeans;
  gmm::covariance_type covariance = gmm::covariance_type::full;  ///< GMM only
};

/// "kmeans, log none, no PCA" (with "full covariance" for GMM): the configuration in words.
std::string describe(const configuration& c);

struct params {
  std::vector<algorithm> algorithms{algorithm::kmeans, algorithm::gmm, algorithm::ward};  ///< not automatic
  int k_min = 1;  ///< k = 1 stands for "no structure" (scored by the gap statistic only)
  int k_max = 12;
  std::vector<bool> logs{false, true};
  std::vector<double> pcas{0, 0.9};
  std::vector<gmm::covariance_type> covariances{gmm::covariance_type::full};
  int kmeans_restarts = 0;   ///< K-Means n_init (0 = auto, as in `segmint run`)
  int gmm_restarts = 1;      ///< GMM n_init (EM restarts; each starts from the best of several k-means++ runs)
  int resamples = 20;        ///< stability: refits on random subsets (Hennig's clusterboot, "subset" scheme)
  double resample_fraction = 0.8;
  int64_t stability_rows = 5000;  ///< stability is measured on a seeded sample of at most this many rows
  int seed_trials = 2;       ///< across-seed agreement: refits of the stability sample with other seeds
  int gap_references = 10;   ///< gap statistic: reference data sets (uniform over the principal-component box)
  int64_t gap_rows = 5000;   ///< gap statistic: computed on a seeded sample of at most this many rows
  double time_budget = 0;    ///< seconds; 0 = none. Configurations that would not fit are skipped.
  uint64_t seed = 0;
  preprocess_params base;    ///< standardisation and explicit log columns; log_auto and pca come from the grid
  metrics::silhouette_params silhouette;
  std::function<void(const std::string&)> progress;  ///< one line per configuration
};

/// Scores of one configuration at one k. Stability figures are NaN at k = 1 and where not computed.
struct k_scores {
  int k = 0;
  double inertia = 0;
  double silhouette = 0;
  double calinski_harabasz = 0;
  double davies_bouldin = 0;
  double bic = 0;  ///< GMM only (NaN otherwise)
  double aic = 0;
  int64_t silhouette_rows = 0;
  bool silhouette_sampled = false;
  double stability = 0;       ///< mean ARI between the fit and its refits on resamples
  double stability_sd = 0;
  std::vector<double> jaccard;  ///< per segment (by decreasing size): mean best Jaccard over the resamples
  double min_jaccard = 0;
  double seed_agreement = 0;  ///< mean ARI between the fit and refits with other seeds
  std::vector<int64_t> sizes; ///< segment sizes, decreasing
  bool converged = true;
};

struct configuration_result {
  configuration config;
  std::vector<std::string> log_columns;  ///< the columns --log auto selected ("" when none)
  int64_t dimensions = 0;                ///< features after preprocessing (PCA components)
  std::vector<k_scores> per_k;
  int best_k = 0;                        ///< this configuration's own choice (see recommend in tune.cpp)
  std::string best_k_reason;
  double seconds = 0;                    ///< not in tune.json (timings.json): it differs run to run
};

/// The gap statistic of one preprocessing (Tibshirani, Walther & Hastie 2001), with K-Means.
struct gap_curve {
  preprocessing prep;
  std::vector<int> k;
  std::vector<double> log_w;      ///< log of the within-cluster sum of squares of the data
  std::vector<double> gap;        ///< mean log W of the references − log W of the data
  std::vector<double> se;         ///< sd of the references' log W × sqrt(1 + 1/B)
  int k_one_se = 1;               ///< the smallest k with gap(k) ≥ gap(k+1) − se(k+1)
  int64_t rows = 0;               ///< rows it was computed on
};

struct recommendation {
  bool structure = true;  ///< false: "no cluster structure found" (k = 1)
  configuration config;
  int k = 1;
  uint64_t seed = 0;
  int n_init = 0;                    ///< the restarts the fit used (run's --n-init)
  std::vector<std::string> reasons;  ///< plain sentences
  std::vector<std::string> runners_up;
};

struct outcome {
  int64_t rows = 0;
  int64_t features = 0;
  std::vector<configuration_result> configurations;
  std::vector<gap_curve> gaps;
  recommendation recommended;
  int configurations_planned = 0;
  bool stopped_by_time_budget = false;
  std::vector<std::string> warnings;
  std::map<std::string, double> timings;  ///< stage → seconds
};

/// Checks the grid (empty lists, k range, resamples, fractions); throws input_error naming the parameter.
void check(const params& p);

/// The configurations of the grid in the order they run (preprocessing outermost).
std::vector<configuration> grid(const params& p);

/// Runs the grid on the rows of `t` and recommends one configuration. Throws input_error when the time
/// budget cannot hold the first configuration. Deterministic: same table, params and seed ⇒ same outcome
/// (timings aside) on any thread count and backend mode.
outcome run(context& ctx, const feature_table& t, const params& p);

}  // namespace segmint::tune
