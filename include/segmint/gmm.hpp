#pragma once
// Gaussian mixture models fitted by EM, with scikit-learn's definitions (GaussianMixture): responsibilities
// in log space, reg_covar added to every covariance diagonal, BIC/AIC for model selection.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "segmint/context.hpp"
#include "segmint/matrix.hpp"

namespace segmint::gmm {

enum class covariance_type { full, diag, spherical, tied };

/// "full", "diag", "spherical" or "tied"; anything else is an input_error.
covariance_type parse_covariance_type(std::string_view text);
std::string_view to_string(covariance_type t);

enum class init_method { kmeans, random };

/// Component parameters. Covariance storage by type (all double):
/// full: k blocks of d × d (column-major); diag: k × d (column-major, like means); spherical: k; tied: d × d.
struct mixture {
  covariance_type type = covariance_type::full;
  int k = 0;
  int64_t d = 0;
  std::vector<double> weights;      ///< k, summing to 1
  std::vector<double> means;        ///< k × d column-major: mean of component c, feature j at j·k + c
  std::vector<double> covariances;  ///< see above
};

struct params {
  int k = 2;
  covariance_type covariance = covariance_type::full;
  double reg_covar = 1e-6;  ///< added to the diagonal of every covariance (scikit-learn's default)
  double tol = 1e-3;        ///< converged when the mean log-likelihood changes by less than this
  int max_iter = 100;
  int n_init = 1;           ///< EM restarts (different initialisations), the highest likelihood kept
  init_method init = init_method::kmeans;
  /// kmeans init: k-means++ restarts of that K-Means, the lowest inertia kept (0 = K-Means' auto count, at most
  /// 10). scikit-learn uses one; one unlucky start can leave EM in a poor optimum and BIC then picks the wrong k.
  int init_restarts = 0;
  uint64_t seed = 0;
  std::optional<mixture> initial;  ///< start from these parameters (then a single run)
};

struct result {
  mixture model;
  std::vector<int32_t> labels;        ///< most likely component per row
  std::vector<float> probability;     ///< its responsibility per row
  double mean_log_likelihood = 0;     ///< per row, at the returned parameters
  std::vector<double> lower_bounds;   ///< mean log-likelihood after each EM iteration (never decreases)
  int iterations = 0;
  bool converged = false;
  int n_init = 1;
  int64_t collapsed_components = 0;   ///< components reseeded after their weight vanished
  int64_t regularisation_raises = 0;  ///< covariances that needed more than reg_covar to be positive definite
  double bic = 0;
  double aic = 0;
};

/// Free parameters of a mixture: weights (k − 1), means (k·d) and covariances (by type).
int64_t parameter_count(covariance_type t, int k, int64_t d);

/// Fits a mixture to x (n × d). Throws input_error for invalid parameters or k above the number of rows,
/// numerical_error when a covariance cannot be made positive definite within the documented policy.
///   auto r = segmint::gmm::fit(ctx, x, {.k = 4, .covariance = segmint::gmm::covariance_type::diag});
result fit(context& ctx, matrix_view x, const params& p);

/// Scores rows with a fitted mixture: most likely component, its probability, and optionally every
/// responsibility (n × k, column-major). Same arithmetic as fit.
void predict(context& ctx, matrix_view x, const mixture& m, std::span<int32_t> labels, std::span<float> probability,
             std::span<float> responsibilities = {});

/// The mean log-likelihood of the rows under the mixture (scikit-learn's GaussianMixture.score).
double score(context& ctx, matrix_view x, const mixture& m);

/// BIC = −2·n·mean_log_likelihood + parameters·ln(n), and AIC = −2·n·mean_log_likelihood + 2·parameters.
double bic(const mixture& m, double mean_log_likelihood, int64_t n);
double aic(const mixture& m, double mean_log_likelihood, int64_t n);

}  // namespace segmint::gmm
