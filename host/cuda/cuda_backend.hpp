#pragma once
// The CUDA backend: every backend operation (host/algo/backend.hpp) as kernels on one device. The dataset
// is uploaded once (or streamed, see device_data.hpp); labels, squared distances and the k-means++
// distances stay on the device; each call returns only its small partials, through page-locked memory,
// after ONE explicit synchronisation of the compute stream (the call's named sync point).
//
// Semantics are the CPU reference's (host/cpu): the same tie rules, the same arithmetic where it decides
// ties, double accumulation; reductions use a fixed partition into parts combined in part order (no
// floating-point atomics), so every result is bitwise repeatable and identical resident or streamed.
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "../algo/backend.hpp"
#include "buffers.hpp"
#include "device_data.hpp"
#include "raii.hpp"
#include "segmint/context.hpp"

namespace segmint::cuda::detail {

/// Selects the device for the calling thread (first member: before any stream or handle exists).
struct device_selection {
  explicit device_selection(int ordinal);
  int ordinal;
  std::string name;
  int64_t memory_bytes = 0;
};

/// The Ward clusters on the device (see ward.cpp).
struct ward_state {
  int64_t m = 0;
  int64_t d = 0;
  device_buffer<double> coords;  ///< d × m column-major
  device_buffer<double> sizes;   ///< m; NaN = merged away
  device_buffer<double> update;  ///< d + 1 staged values of a merge
  device_buffer<std::byte> scratch;
  device_buffer<kernels::ward_best> best;
  std::vector<char> active;      ///< host mirror: which clusters are active
  pinned_buffer<double> staged;  ///< the merge's values on their way to `update`
  event staged_free;             ///< recorded after `staged` was copied
};

class cuda_backend final : public segmint::detail::backend {
 public:
  explicit cuda_backend(const context_options& options);
  ~cuda_backend() override;
  cuda_backend(const cuda_backend&) = delete;
  cuda_backend& operator=(const cuda_backend&) = delete;

  [[nodiscard]] std::string name() const override { return "cuda"; }
  [[nodiscard]] std::string device() const override;

  void load(matrix_view data) override;
  [[nodiscard]] int64_t rows() const override { return data_.rows(); }
  [[nodiscard]] int64_t cols() const override { return data_.cols(); }

  void reset_labels() override;
  segmint::detail::assign_partials assign(matrix_view centroids) override;
  void fetch_assignment(std::span<int32_t> labels, std::span<float> sq_dist) override;
  std::vector<int64_t> farthest_rows(int64_t count) override;

  double seed_start(std::span<const float> first) override;
  std::vector<int64_t> seed_sample(std::span<const double> targets) override;
  std::vector<double> seed_trial(matrix_view candidates) override;
  double seed_commit(std::span<const float> point) override;
  matrix gather_rows(std::span<const int64_t> rows) override;

  segmint::detail::gmm_partials gmm_pass(const segmint::detail::gmm_responsibilities& r, gmm::covariance_type stats,
                                         int k) override;
  double gmm_score(const segmint::detail::gmm_estep_params& m, std::span<int32_t> labels, std::span<float> probability,
                   std::span<float> responsibilities) override;

  segmint::detail::moments column_moments() override;
  segmint::detail::assign_partials cluster_sums(std::span<const int32_t> labels, int64_t k) override;
  segmint::detail::dispersion_partials dispersion(std::span<const int32_t> labels, matrix_view centres) override;
  std::vector<std::vector<double>> silhouette(std::span<const int64_t> sample_rows,
                                              const std::vector<std::vector<int32_t>>& labels) override;

  void ward_begin(std::span<const double> centroids, std::span<const double> sizes, int64_t d) override;
  void ward_merge(int64_t removed, int64_t kept, std::span<const double> centroid, double size) override;
  segmint::detail::ward_neighbour ward_nearest(int64_t query, int64_t prefer) override;
  void ward_end() override;

  void value_load(std::span<const double> frequency, std::span<const double> recency, std::span<const double> age) override;
  std::vector<double> bgnbd_pass(const segmint::detail::bgnbd_point& p, std::span<const double> terms) override;
  void value_unload() override;

  // ---- for tests and benchmarks ----
  [[nodiscard]] cudaStream_t stream() const { return compute_.get(); }
  [[nodiscard]] bool streaming() const { return data_.streaming(); }
  [[nodiscard]] int64_t chunk_rows() const { return data_.chunk_rows(); }
  [[nodiscard]] int64_t budget_bytes() const { return budget_; }
  /// The assignment uses the SGEMM path from this k on (default kernels::fused_max_k); tests lower it to
  /// compare both paths on the same problem.
  void set_gemm_min_k(int k) { gemm_min_k_ = k; }

 private:
  // helpers (cuda_backend.cpp)
  void check_row(int64_t row) const;
  void for_each_part_chunk(const part_plan& plan, const std::function<void(const chunk&, kernels::part_layout)>& pass);
  /// Enqueues the part-order sum of parts_ (plan.parts × stride, first `count` entries) and its copy to
  /// pinned memory; the returned pointer is valid after the call's synchronisation.
  const double* combine_to_host(const part_plan& plan, int64_t stride, int64_t count);
  /// Copies `count` host values to `dev` (grown as needed) through the staging arena; returns its data.
  template <typename T>
  T* upload(const T* host, size_t count, device_buffer<T>& dev);
  const int32_t* upload_labels(std::span<const int32_t> labels);
  /// Rows of the dataset on the device (m × d column-major), gathered on the device when resident.
  const float* device_rows(std::span<const int64_t> rows);
  const int32_t* pair_table(int64_t d);
  void sync() { compute_.synchronize(); }

  // kmeans_assign.cpp
  void assign_chunk_gemm(const chunk& c, const float* centroids, int k, kernels::part_layout pl);
  // seeding.cpp
  double update_min_d2(std::span<const float> host_point, bool reset);
  // gmm.cpp
  kernels::gmm_model upload_model(const segmint::detail::gmm_estep_params& m);
  // ward.cpp
  void check_active(int64_t cluster) const;

  device_selection device_;
  int64_t budget_ = 0;
  cuda::stream compute_;
  cuda::stream copy_;
  cublas_handle blas_;
  device_data data_;

  device_buffer<int32_t> labels_;      ///< n: labels of the last assign (−1 = none)
  device_buffer<float> sq_dist_;       ///< n: squared distances of the last assign
  device_buffer<float> min_d2_;        ///< n: k-means++ distances
  device_buffer<int32_t> host_labels_; ///< n: labels given by the host (metrics, GMM initialisation)
  device_buffer<double> parts_;        ///< part tables
  device_buffer<double> parts_aux_;    ///< a second part table (GMM least-likely rows)
  device_buffer<double> combined_;
  device_buffer<float> params_;        ///< centroids / centres / points (float)
  device_buffer<double> params_d_;     ///< GMM parameters, means (double)
  device_buffer<float> norms_;
  device_buffer<float> gemm_x_;
  device_buffer<float> gemm_out_;
  device_buffer<int64_t> row_index_;
  device_buffer<float> gathered_;
  device_buffer<int32_t> pairs_;
  int64_t pairs_d_ = -1;
  device_buffer<int32_t> small_i32_;
  device_buffer<int64_t> small_i64_;
  device_buffer<float> out_f_;
  device_buffer<float> out_f2_;
  device_buffer<int32_t> out_i_;
  device_buffer<double> out_d_;
  device_buffer<unsigned long long> counter_;
  device_buffer<std::byte> scratch_;
  pinned_arena staging_;  ///< every public call that transfers data starts with staging_.begin_call()

  int gemm_min_k_ = kernels::fused_max_k;
  int64_t last_k_ = 0;              ///< k of the last assign: another k forgets the labels (as the CPU)
  part_plan seed_plan_;             ///< the partition of the k-means++ part sums
  std::vector<double> seed_parts_;  ///< Σ min_d2 per part (host copy)
  ward_state ward_;
  // value.cpp: the resident customers of the value passes
  device_buffer<double> value_x_, value_tx_, value_age_, value_terms_;
  int64_t value_n_ = 0;
  double value_max_frequency_ = 0;
};

/// The backend for a context (the provider's `create`).
std::unique_ptr<segmint::detail::backend> make_backend(const context_options& options);

}  // namespace segmint::cuda::detail
