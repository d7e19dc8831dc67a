#pragma once
// Typed launchers for segmint's CUDA kernels: raw device pointers, sizes, an explicit stream. Compiled by
// nvcc (kernels/*.cu); declared here so host code (g++) can call them without CUDA headers beyond the runtime.
//
// Every launcher returns cudaGetLastError() after its launches (cudaSuccess when there was nothing to do),
// so the caller checks it at its own file:line: SEGMINT_CUDA_TRY(kernels::launch_x(...)).
//
// Determinism (docs/architecture.md §4): no kernel uses floating-point atomics. Sums over rows are taken per PART, a
// fixed range of `part_rows` consecutive rows of the whole dataset (a power of two that divides the first
// row of every streamed chunk), each part's sum in a fixed order inside one thread block; parts are
// combined in part order by launch_combine_parts. Integer counters may use atomics (integer addition is
// associative, so the result does not depend on the order).
#include <cuda_runtime.h>

#include <cstdint>

namespace segmint::cuda::kernels {

/// Rows of the dataset on the device, column-major: element (i, j) at x[j·ld + i], i < rows, j < d.
struct chunk_view {
  const float* x = nullptr;
  int64_t ld = 0;
  int64_t rows = 0;
  int64_t d = 0;
};

/// Where a chunk's rows fall in the fixed partition: the chunk starts at row first_part·part_rows.
struct part_layout {
  int64_t part_rows = 1024;
  int64_t first_part = 0;
};

/// Largest part size: streamed chunks are multiples of this, so every part size divides them.
constexpr int64_t max_part_rows = 65536;

/// out[i] = Σ_j x[j·n + i]² for a column-major n × d matrix (float FMA chain, features in order).
cudaError_t launch_row_sq_norms(const float* x, int64_t n, int64_t d, float* out, cudaStream_t stream);

/// out[e] = Σ_p parts[p·stride + e] for e < count, summed in part order (p = 0, 1, ...). Zero when nparts = 0.
cudaError_t launch_combine_parts(const double* parts, int64_t nparts, int64_t stride, int64_t count, double* out,
                                 cudaStream_t stream);

// ---- K-Means -------------------------------------------------------------------------------------------
// Per-part output of the K-Means kernels (`stride` = kmeans_part_stride(k, ncols) doubles):
//   [0, k·ncols): Σ of value column j over the part's rows with label c, at j·k + c (k × ncols column-major);
//   [k·ncols, k·ncols + k): rows per label (exact integers stored as double);
//   [k·ncols + k]: Σ of the rows' squared distances (inertia).
constexpr int64_t kmeans_part_stride(int64_t k, int64_t ncols) { return k * ncols + k + 1; }

/// The fused path handles k < fused_max_k whose centroids (k rounded up to 8, times d floats) fit 48 KB of
/// shared memory; larger problems use the cuBLAS SGEMM path (host/cuda/kmeans_assign.cpp: the crossover).
constexpr int fused_max_k = 64;
constexpr int64_t fused_max_kd = 12288;
constexpr bool fused_fits(int64_t k, int64_t d) { return k < fused_max_k && (k + 7) / 8 * 8 * d <= fused_max_kd; }

/// Nearest centroid (ties → lower index) by Σ_j (x_j − c_j)² (fmaf chain, features in order), the squared
/// distance, and the per-part sums/counts/inertia, in one pass. `centroids` k × d column-major. Writes
/// labels[i], sq_dist[i] for the chunk's rows (pointers already offset to the chunk) and adds the number of
/// rows whose label changed to *changed.
cudaError_t launch_assign_fused(chunk_view x, const float* centroids, int k, int32_t* labels, float* sq_dist,
                                unsigned long long* changed, part_layout parts, double* part_out, cudaStream_t stream);

/// Per-part sums/counts of the data columns for given labels (a label outside [0, k) counts nowhere); the
/// inertia slot sums sq_dist (or 0 when sq_dist is null).
cudaError_t launch_label_sums(chunk_view x, const int32_t* labels, const float* sq_dist, int k, part_layout parts,
                              double* part_out, cudaStream_t stream);

/// Dispersion: for rows with a label in [0, k), sq = Σ_j (x_j − centre_j)² (float, no FMA, as the CPU);
/// per part and label: value column 0 = Σ sq, column 1 = Σ sqrt(sq) (double); stride kmeans_part_stride(k, 2).
cudaError_t launch_dispersion_sums(chunk_view x, const int32_t* labels, const float* centres, int k, part_layout parts,
                                   double* part_out, cudaStream_t stream);

/// The large-k assignment after a GEMM: products = x_tile · centroidsᵀ (rows × k, ld rows); the label is
/// the argmin of ‖x‖² − 2·x·c + ‖c‖² (ties → lower index), the reported squared distance is recomputed
/// directly (Σ (x_j − c_j)², the fused path's arithmetic). x_tile is rows × d with ld = rows.
cudaError_t launch_assign_from_products(const float* x_tile, int64_t rows, int64_t d, const float* products,
                                        const float* centroids, const float* centroid_norms, int k, int32_t* labels,
                                        float* sq_dist, unsigned long long* changed, cudaStream_t stream);

// ---- k-means++ seeding, rows ----------------------------------------------------------------------------
/// min_d2[i] ← ‖x_i − point‖² (reset) or min(min_d2[i], ‖x_i − point‖²); part_sums[part] = Σ min_d2 (double).
cudaError_t launch_seed_update(chunk_view x, const float* point, float* min_d2, bool reset, part_layout parts,
                               double* part_sums, cudaStream_t stream);

/// Most candidates per launch of launch_seed_trial.
constexpr int seed_trial_max_candidates = 16;

/// part_out[part·nc + c] = Σ_i min(min_d2[i], ‖x_i − p_c‖²) over the part, for nc ≤ 16 candidate points
/// (nc × d column-major).
cudaError_t launch_seed_trial(chunk_view x, const float* points, int nc, const float* min_d2, part_layout parts,
                              double* part_out, cudaStream_t stream);

/// out (m × d column-major) = rows `rows[0..m)` of x (ld × d column-major). Rows must be valid.
cudaError_t launch_gather_rows(const float* x, int64_t ld, int64_t d, const int64_t* rows, int64_t m, float* out,
                               cudaStream_t stream);

/// out (rows × d, ld = rows) = rows [row0, row0 + rows) of x (ld × d column-major).
cudaError_t launch_copy_rows(const float* x, int64_t ld, int64_t row0, int64_t rows, int64_t d, float* out,
                             cudaStream_t stream);

/// Scratch (device bytes) launch_farthest_rows needs for n rows.
int64_t farthest_scratch_bytes(int64_t n);

/// The `count` rows with the largest value, largest first, ties by lower row (a NaN orders as −∞):
/// `count` rounds of a two-stage max over the rows, each excluding what the earlier rounds took. Writes
/// out_rows[0..count) on the device. count ≤ n.
cudaError_t launch_farthest_rows(const float* values, int64_t n, int64_t count, void* scratch, int64_t* out_rows,
                                 cudaStream_t stream);

// ---- column moments (PCA, standardisation checks) -------------------------------------------------------
/// part_out[part·d + j] = Σ_i x_ij over the part (double).
cudaError_t launch_column_sums(chunk_view x, part_layout parts, double* part_out, cudaStream_t stream);

/// part_out[part·npairs + e] = Σ_i (x_ia − mean_a)(x_ib − mean_b) over the part (double), for the pairs
/// (a, b) = pairs[2e], pairs[2e+1].
cudaError_t launch_centred_products(chunk_view x, const double* mean, const int32_t* pairs, int64_t npairs,
                                    part_layout parts, double* part_out, cudaStream_t stream);

// ---- customer value (BG/NBD) ---------------------------------------------------------------------------
/// The BG/NBD per-customer point: (r, α, a, b, ln α, MBG/NBD or not), see host/value/bgnbd_customer.hpp.
struct bgnbd_device_point {
  double r, alpha, a, b, log_alpha;
  bool modified;  ///< MBG/NBD
};
/// Per part of `part_rows` customers: Σ of the log-likelihood and its 4 gradient terms (5 doubles at
/// part_out[part·5]), each summed per thread over a fixed stride, then by block_sum. `terms`: 6 doubles per
/// whole frequency (host/value/bgnbd.cpp); every frequency must be below the table's length.
cudaError_t launch_bgnbd_pass(const double* frequency, const double* recency, const double* age, int64_t n, const double* terms,
                              bgnbd_device_point p, part_layout parts, double* part_out, cudaStream_t stream);

// ---- Gaussian mixtures ----------------------------------------------------------------------------------
enum class gmm_cov : int { full = 0, diag = 1, spherical = 2, tied = 3 };
enum class gmm_source : int { model = 0, labels = 1, random = 2 };

/// An E-step's parameters on the device (double), as backend.hpp's gmm_estep_params, plus mean_prec:
/// full/tied: μ_c·P_c (k × d column-major, row c); diag: μ_cj·prec_cj (k × d); spherical: unused.
struct gmm_model {
  gmm_cov type = gmm_cov::full;
  int k = 0;
  int64_t d = 0;
  const double* means = nullptr;        ///< k × d column-major
  const double* prec_chol = nullptr;    ///< full: k blocks d × d; diag: k × d; spherical: k; tied: d × d
  const double* mean_prec = nullptr;    ///< k × d column-major
  const double* log_weights = nullptr;  ///< k
  const double* log_det = nullptr;      ///< k
};

/// Size of one part's statistics: nk (k), sums (k × d), second (by `stats`), log-likelihood (1).
int64_t gmm_part_stride(gmm_cov stats, int k, int64_t d);

/// Rows per block of the GMM kernels for (k, d), 0 when their shared memory cannot hold one warp's rows.
int gmm_block_rows(int k, int64_t d);

/// One pass: responsibilities from `source` (model: the E-step; labels: one-hot from labels[i] (offset to
/// the chunk); random: uniform per (seed, row, component), normalised), then per part the statistics in the
/// layout of gmm_part_stride (second: full k·d·d with only a ≤ b filled (the host mirrors), diag/spherical
/// k × d of Σ r·x², tied d × d (a ≤ b) of Σ x·xᵀ) and, for model, part_least[2·part] = lowest row
/// log-likelihood, part_least[2·part+1] = its row (lowest row on ties; −1 and +∞ when none). `pairs`
/// (2·npairs int32, device) lists the (a, b), a ≤ b, of the second moments (full and tied).
cudaError_t launch_gmm_pass(chunk_view x, const gmm_model& m, gmm_source source, const int32_t* labels,
                            uint64_t seed, gmm_cov stats, part_layout parts, double* part_out, double* part_least,
                            const int32_t* pairs, int64_t npairs, cudaStream_t stream);

/// E-step for scoring: labels[i] (most likely component, ties → lower), probability[i] (its responsibility,
/// float), responsibilities (rows × k column-major with ld = x.rows, or null); part_ll[part] = Σ log-likelihood.
cudaError_t launch_gmm_score(chunk_view x, const gmm_model& m, int32_t* labels, float* probability,
                             float* responsibilities, part_layout parts, double* part_ll, cudaStream_t stream);

// ---- silhouette -----------------------------------------------------------------------------------------
/// Most slots (Σ of k over the labellings of one launch) launch_silhouette takes.
constexpr int silhouette_max_slots = 8192;

/// Exact silhouette of the m rows of s (m × d column-major) under L labellings at once: labels[l·m + i] in
/// [0, k_l); slot_offset[l] = Σ_{l' < l} k_l'; counts[slot_offset[l] + c] = rows with label c in labelling l.
/// Distances are computed directly (float, no FMA, as the CPU), each row's per-cluster sums in double in
/// column order. out[l·m + i] = the silhouette value (scikit-learn's definition). total_slots ≤ 8192.
cudaError_t launch_silhouette(const float* s, int64_t m, int64_t d, const int32_t* labels, int nlabellings,
                              const int32_t* slot_offset, const int32_t* ks, int total_slots, const int64_t* counts,
                              double* out, cudaStream_t stream);

// ---- Ward nearest-neighbour search ----------------------------------------------------------------------
struct ward_best {
  double cost;
  int64_t position;     ///< −1 when no other cluster is active
  double prefer_cost;   ///< the cost to `prefer` (NaN when prefer < 0)
};

/// Scratch (device bytes) launch_ward_nearest needs for m positions.
int64_t ward_scratch_bytes(int64_t m);

/// The position p ≠ query with the lowest cost (ties → lower position) over m positions: coords d × m
/// column-major (double), sizes m (NaN = inactive). cost = f·s with s = Σ_j (c_pj − c_qj)² in feature order
/// and f = (n_q·n_p)/(n_q + n_p), all without FMA contraction (the CPU's bits). Writes *out on the device.
cudaError_t launch_ward_nearest(const double* coords, const double* sizes, int64_t m, int64_t d, int64_t query,
                                int64_t prefer, void* scratch, ward_best* out, cudaStream_t stream);

/// sizes[removed] ← NaN; coords[·, kept] ← update[0..d); sizes[kept] ← update[d].
cudaError_t launch_ward_merge(double* coords, double* sizes, int64_t m, int64_t d, int64_t removed, int64_t kept,
                              const double* update, cudaStream_t stream);

}  // namespace segmint::cuda::kernels
