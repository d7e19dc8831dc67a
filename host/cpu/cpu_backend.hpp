#pragma once
// The CPU backend: the reference implementation of every backend operation (OpenMP over fixed row blocks,
// float32 data, double accumulation, partials combined in block order).
#include <algorithm>
#include <vector>

#include "../algo/backend.hpp"
#include "row_blocks.hpp"
#include "ward_search.hpp"

namespace segmint::detail {

class cpu_backend final : public backend {
 public:
  /// `threads` = 0 uses OpenMP's default (all cores or OMP_NUM_THREADS).
  explicit cpu_backend(int threads);

  [[nodiscard]] std::string name() const override { return "cpu"; }
  [[nodiscard]] std::string device() const override;
  void limit_threads(int threads) override { threads_ = std::min(max_threads_, std::max(threads, 1)); }

  void load(matrix_view data) override;
  [[nodiscard]] int64_t rows() const override { return x_.rows; }
  [[nodiscard]] int64_t cols() const override { return x_.cols; }

  void reset_labels() override;
  assign_partials assign(matrix_view centroids) override;
  void fetch_assignment(std::span<int32_t> labels, std::span<float> sq_dist) override;
  std::vector<int64_t> farthest_rows(int64_t count) override;

  double seed_start(std::span<const float> first) override;
  std::vector<int64_t> seed_sample(std::span<const double> targets) override;
  std::vector<double> seed_trial(matrix_view candidates) override;
  double seed_commit(std::span<const float> point) override;
  matrix gather_rows(std::span<const int64_t> rows) override;

  gmm_partials gmm_pass(const gmm_responsibilities& r, gmm::covariance_type stats, int k) override;
  double gmm_score(const gmm_estep_params& m, std::span<int32_t> labels, std::span<float> probability,
                   std::span<float> responsibilities) override;

  moments column_moments() override;
  assign_partials cluster_sums(std::span<const int32_t> labels, int64_t k) override;
  dispersion_partials dispersion(std::span<const int32_t> labels, matrix_view centres) override;
  std::vector<std::vector<double>> silhouette(std::span<const int64_t> sample_rows,
                                              const std::vector<std::vector<int32_t>>& labels) override;

  void ward_begin(std::span<const double> centroids, std::span<const double> sizes, int64_t d) override {
    ward_.begin(centroids, sizes, d);
  }
  void ward_merge(int64_t removed, int64_t kept, std::span<const double> centroid, double size) override {
    ward_.merge(removed, kept, centroid, size);
  }
  ward_neighbour ward_nearest(int64_t query, int64_t prefer) override { return ward_.nearest(query, prefer, threads_); }
  void ward_end() override { ward_.clear(); }

  void value_load(std::span<const double> frequency, std::span<const double> recency, std::span<const double> age) override;
  std::vector<double> bgnbd_pass(const bgnbd_point& p, std::span<const double> terms) override;
  void value_unload() override;

 private:
  double update_min_d2(std::span<const float> point, bool reset);
  void check_row(int64_t row) const;

  int max_threads_;  ///< as constructed: limit_threads can lower the count and raise it back to this
  int threads_;
  matrix_view x_;
  row_blocks blocks_;
  std::vector<int32_t> labels_;
  std::vector<float> sq_dist_;
  std::vector<double> running_sums_;  ///< per-centroid sums of the rows under labels_ (k × d)
  std::vector<int64_t> running_counts_;
  int64_t running_k_ = 0;
  std::vector<float> min_d2_;
  std::vector<double> min_d2_block_sums_;
  ward_search ward_;
  std::vector<double> value_x_, value_tx_, value_age_;  ///< the resident customers (value_load)
};

/// Silhouette values of every row of `s` under each labelling (exact, O(m² d)); see backend::silhouette.
std::vector<std::vector<double>> silhouette_values(matrix_view s, const std::vector<std::vector<int32_t>>& labels,
                                                   int threads);

}  // namespace segmint::detail
