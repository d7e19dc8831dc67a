#pragma once
// A backend over one shard of the rows per process: each operation runs on the local backend, then the
// small partials are combined across processes in rank order (docs/architecture.md §3: "MPI is a change to combine
// partials only"). Row indices seen by the drivers are global: rank r holds rows
// [offset_r, offset_r + n_r), offsets in rank order.
#include <memory>

#include "../algo/backend.hpp"
#include "communicator.hpp"

namespace segmint::detail {

class sharded_backend final : public backend {
 public:
  sharded_backend(std::unique_ptr<backend> local, std::shared_ptr<const communicator> comm);

  [[nodiscard]] std::string name() const override { return local_->name(); }
  void limit_threads(int threads) override { local_->limit_threads(threads); }
  [[nodiscard]] std::string device() const override;

  void load(matrix_view data) override;
  [[nodiscard]] int64_t rows() const override { return global_rows_; }
  [[nodiscard]] int64_t cols() const override { return local_->cols(); }

  void reset_labels() override { local_->reset_labels(); }
  assign_partials assign(matrix_view centroids) override;
  void fetch_assignment(std::span<int32_t> labels, std::span<float> sq_dist) override {
    local_->fetch_assignment(labels, sq_dist);
  }
  std::vector<int64_t> farthest_rows(int64_t count) override;

  double seed_start(std::span<const float> first) override;
  std::vector<int64_t> seed_sample(std::span<const double> targets) override;
  std::vector<double> seed_trial(matrix_view candidates) override;
  double seed_commit(std::span<const float> point) override;
  matrix gather_rows(std::span<const int64_t> rows) override;
  std::vector<int32_t> gather_labels(std::span<const int64_t> rows, std::span<const int32_t> labels) override;

  gmm_partials gmm_pass(const gmm_responsibilities& r, gmm::covariance_type stats, int k) override;
  double gmm_score(const gmm_estep_params& m, std::span<int32_t> labels, std::span<float> probability,
                   std::span<float> responsibilities) override;

  moments column_moments() override;
  assign_partials cluster_sums(std::span<const int32_t> labels, int64_t k) override;
  dispersion_partials dispersion(std::span<const int32_t> labels, matrix_view centres) override;
  std::vector<std::vector<double>> silhouette(std::span<const int64_t> sample_rows,
                                              const std::vector<std::vector<int32_t>>& labels) override;

  // Ward runs on small replicated inputs (micro-cluster centroids): every rank computes the same thing.
  void ward_begin(std::span<const double> centroids, std::span<const double> sizes, int64_t d) override {
    local_->ward_begin(centroids, sizes, d);
  }
  void ward_merge(int64_t removed, int64_t kept, std::span<const double> centroid, double size) override {
    local_->ward_merge(removed, kept, centroid, size);
  }
  ward_neighbour ward_nearest(int64_t query, int64_t prefer) override { return local_->ward_nearest(query, prefer); }
  void ward_end() override { local_->ward_end(); }

  void value_load(std::span<const double> frequency, std::span<const double> recency, std::span<const double> age) override {
    local_->value_load(frequency, recency, age);
  }
  /// Each rank's sums over its customers, added in rank order (the communicator's sum).
  std::vector<double> bgnbd_pass(const bgnbd_point& p, std::span<const double> terms) override {
    std::vector<double> sums = local_->bgnbd_pass(p, terms);
    comm_->sum(std::span<double>(sums));
    return sums;
  }
  void value_unload() override { local_->value_unload(); }

 private:
  /// The rank holding global row `row`.
  [[nodiscard]] int owner(int64_t row) const;
  void sum(assign_partials& p) const;

  std::unique_ptr<backend> local_;
  std::shared_ptr<const communicator> comm_;
  std::vector<int64_t> offsets_;  ///< rank r's first global row; offsets_[size] = global rows
  int64_t global_rows_ = 0;
  std::vector<double> seed_totals_;  ///< Σ min_d2 of each rank after the last seed_start/seed_commit
};

}  // namespace segmint::detail
