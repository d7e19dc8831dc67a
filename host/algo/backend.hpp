#pragma once
// The backend seam (docs/architecture.md §3). Each call is one full pass over the resident dataset and returns small
// host-side partials; the drivers in host/algo own every semantic choice (init, empty clusters, convergence),
// so the CPU reference and the CUDA backend cannot drift apart.
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "../value/bgnbd_customer.hpp"
#include "segmint/gmm.hpp"
#include "segmint/matrix.hpp"

namespace segmint::detail {

/// Partials of one K-Means assignment pass.
struct assign_partials {
  std::vector<double> sums;     ///< k × d column-major: sum of the rows assigned to each centroid
  std::vector<int64_t> counts;  ///< rows per centroid
  double inertia = 0;           ///< sum of squared distances to the assigned centroid
  int64_t changed = 0;          ///< rows whose label differs from the previous pass (all, after reset_labels)
};

/// Per-cluster dispersion around given centres, for labels supplied by the host.
struct dispersion_partials {
  std::vector<double> dist_sums;     ///< Σ ‖x − centre‖ per cluster
  std::vector<double> sq_dist_sums;  ///< Σ ‖x − centre‖² per cluster
  std::vector<int64_t> counts;
};

/// The nearest active cluster found by a Ward search.
struct ward_neighbour {
  int64_t cluster = -1;  ///< −1 when no other cluster is active
  double cost = 0;       ///< |A||B|/(|A|+|B|)·‖c_A − c_B‖² (half the squared Ward height)
};

/// Mean and covariance (population, divisor n) of the resident data, in double.
struct moments {
  std::vector<double> mean;        ///< d
  std::vector<double> covariance;  ///< d × d (symmetric, column-major)
  int64_t rows = 0;
};

/// What a GMM E-step needs, precomputed on the host from a mixture (see host/algo/gmm_math.hpp).
/// Precision Cholesky factors P (cov⁻¹ = P Pᵀ, P upper triangular, as scikit-learn's precisions_cholesky_):
/// full: k blocks of d × d column-major; diag: k × d column-major; spherical: k; tied: one d × d.
struct gmm_estep_params {
  gmm::covariance_type type = gmm::covariance_type::full;
  int k = 0;
  int64_t d = 0;
  std::vector<double> means;        ///< k × d column-major
  std::vector<double> prec_chol;    ///< see above
  std::vector<double> log_weights;  ///< k
  std::vector<double> log_det;      ///< k: log det P_c
};

/// Where a pass takes each row's responsibilities from.
struct gmm_responsibilities {
  enum class kind { model, labels, random } source = kind::model;
  const gmm_estep_params* model = nullptr;  ///< kind::model: the E-step
  std::span<const int32_t> labels;          ///< kind::labels: one-hot (k-means initialisation)
  uint64_t seed = 0;                        ///< kind::random: uniform, normalised per row (random initialisation)
  uint64_t row_offset = 0;                  ///< kind::random: global index of the first resident row
};

/// Sufficient statistics of one pass, summed over rows in a fixed order.
struct gmm_partials {
  std::vector<double> nk;      ///< k: Σ resp
  std::vector<double> sums;    ///< k × d column-major: Σ resp·x
  std::vector<double> second;  ///< full: k blocks d × d of Σ resp·x·xᵀ; diag/spherical: k × d of Σ resp·x²;
                               ///< tied: d × d of Σ x·xᵀ
  double log_likelihood = 0;   ///< kind::model: Σ over rows of log Σ_c w_c N(x | c)
  int64_t least_likely_row = -1;  ///< kind::model: the row with the lowest log-likelihood (ties: lower row)
  double least_likelihood = 0;    ///< and its log-likelihood
};

class backend {
 public:
  virtual ~backend() = default;

  [[nodiscard]] virtual std::string name() const = 0;    ///< "cpu" or "cuda"
  [[nodiscard]] virtual std::string device() const = 0;  ///< human description of the hardware used
  /// Host (CPU) work of this backend uses `threads` threads from now on, at most those it was made with (small
  /// tables and samples: context.hpp).
  virtual void limit_threads(int threads) { (void)threads; }

  /// Makes `data` (n × d, column-major) the resident dataset. The CPU backend keeps a view, so `data`
  /// must stay alive while it is used; the CUDA backend copies it to the device.
  virtual void load(matrix_view data) = 0;
  [[nodiscard]] virtual int64_t rows() const = 0;
  [[nodiscard]] virtual int64_t cols() const = 0;

  // ---- K-Means (Lloyd) ----
  /// Forgets the labels of the previous pass, so the next assign() counts every row as changed.
  virtual void reset_labels() = 0;
  /// Assigns every row to its nearest centroid (ties → lower index); keeps labels and squared distances
  /// resident; returns per-centroid sums and counts, the inertia and the number of changed labels.
  virtual assign_partials assign(matrix_view centroids) = 0;
  /// Labels and squared distances of the last assign() (host copies).
  virtual void fetch_assignment(std::span<int32_t> labels, std::span<float> sq_dist) = 0;
  /// The `count` rows farthest from their centroid in the last assign(), farthest first, ties by row.
  virtual std::vector<int64_t> farthest_rows(int64_t count) = 0;

  // ---- k-means++ seeding (the driver draws the random numbers and fetches the rows with gather_rows) ----
  /// min_d2 ← ‖x − first‖² (first: d values); returns Σ min_d2.
  virtual double seed_start(std::span<const float> first) = 0;
  /// For each target t in [0, Σ min_d2): the first row whose running sum of min_d2 (row order) exceeds t.
  virtual std::vector<int64_t> seed_sample(std::span<const double> targets) = 0;
  /// For each candidate (row c of `candidates`, c × d): Σ min(min_d2, ‖x − candidate‖²), the potential if it
  /// became a centre.
  virtual std::vector<double> seed_trial(matrix_view candidates) = 0;
  /// min_d2 ← min(min_d2, ‖x − point‖²); returns the new Σ min_d2.
  virtual double seed_commit(std::span<const float> point) = 0;
  /// Copies rows of the resident data into a rows.size() × d matrix.
  virtual matrix gather_rows(std::span<const int64_t> rows) = 0;
  /// labels[rows[i]] for each i — `labels` holds one label per resident row. A sharded backend fetches the
  /// labels of rows other processes hold.
  virtual std::vector<int32_t> gather_labels(std::span<const int64_t> rows, std::span<const int32_t> labels) {
    std::vector<int32_t> out;
    out.reserve(rows.size());
    for (int64_t r : rows) out.push_back(labels[static_cast<size_t>(r)]);
    return out;
  }

  // ---- Gaussian mixtures ----
  /// One pass: responsibilities from `r`, then the sufficient statistics for covariance type `stats`.
  virtual gmm_partials gmm_pass(const gmm_responsibilities& r, gmm::covariance_type stats, int k) = 0;
  /// Most likely component, its responsibility and optionally all responsibilities (n × k column-major);
  /// returns Σ over rows of the log-likelihood.
  virtual double gmm_score(const gmm_estep_params& m, std::span<int32_t> labels, std::span<float> probability,
                           std::span<float> responsibilities) = 0;

  // ---- statistics ----
  virtual moments column_moments() = 0;
  /// Per-cluster sums (k × d column-major) and counts for host-given labels (−1 = no cluster).
  virtual assign_partials cluster_sums(std::span<const int32_t> labels, int64_t k) = 0;
  /// Distances of every row to the centre of its (host-given) label.
  virtual dispersion_partials dispersion(std::span<const int32_t> labels, matrix_view centres) = 0;
  /// Silhouette values of the sample rows under each labelling of those rows (labels[s][i] for sample
  /// row i, clusters numbered 0..k-1). Shares the pairwise distances across labellings.
  virtual std::vector<std::vector<double>> silhouette(std::span<const int64_t> sample_rows,
                                                      const std::vector<std::vector<int32_t>>& labels) = 0;

  // ---- Ward (nearest-neighbour chain; the driver in host/algo/ward_chain.cpp owns the chain) ----
  // A separate resident set of clusters, independent of load(): centroids and sizes in double.
  // Cost of a pair, the same arithmetic on every backend (no FMA contraction, so ties are exact):
  //   s = Σ_j (c_Aj − c_Bj)² accumulated in feature order, f = (n_A·n_B)/(n_A+n_B), cost = f·s.
  // (A CUDA version writes it with __dsub_rn/__dmul_rn/__dadd_rn/__ddiv_rn, so nvcc cannot contract it
  // into FMAs, and reduces (cost, cluster) as a total order: then CPU and GPU chains merge identically.)
  /// Makes clusters 0..m−1 resident: `centroids` m × d column-major, `sizes` m (> 0).
  virtual void ward_begin(std::span<const double> centroids, std::span<const double> sizes, int64_t d) = 0;
  /// Cluster `removed` leaves the active set; cluster `kept` gets `centroid` (d values) and `size`.
  virtual void ward_merge(int64_t removed, int64_t kept, std::span<const double> centroid, double size) = 0;
  /// The active cluster with the lowest cost to `query` (itself excluded). Ties: `prefer` (the previous
  /// element of the chain, −1 for none) when it is among the nearest, else the lowest cluster number.
  virtual ward_neighbour ward_nearest(int64_t query, int64_t prefer) = 0;
  /// Frees the Ward clusters.
  virtual void ward_end() = 0;

  // ---- customer value (host/value): its own per-customer data, independent of the loaded matrix ----
  /// Makes the customers' frequency, recency and age (T) resident (replacing earlier ones).
  virtual void value_load(std::span<const double> frequency, std::span<const double> recency, std::span<const double> age) = 0;
  /// Σ over the resident customers of the BG/NBD log-likelihood and its gradient in the log parameters
  /// (bgnbd_sums values), `terms` tabulated per whole frequency 0..max (host/value/bgnbd_customer.hpp).
  virtual std::vector<double> bgnbd_pass(const bgnbd_point& p, std::span<const double> terms) = 0;
  /// Frees the resident customers.
  virtual void value_unload() = 0;
};

}  // namespace segmint::detail
