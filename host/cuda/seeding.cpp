// k-means++ seeding on the device (the driver draws the random numbers): the D² distances live on the
// device; each pass returns Σ min_d2 per part. Sampling is the CPU's inverse-CDF rule over these parts:
// the part is found from the part prefix sums (host, part order), then the part's values are scanned
// sequentially on the host in row order: "the first row whose running sum exceeds t". The running sums use
// the GPU's part partition, so a target within rounding of a part boundary may pick a neighbouring row
// compared to the CPU (whose blocks differ); the rule and the scan order are the same.
#include <algorithm>
#include <map>
#include <numeric>

#include "cuda_backend.hpp"
#include "segmint/error.hpp"

namespace segmint::cuda::detail {

double cuda_backend::update_min_d2(std::span<const float> host_point, bool reset) {
  if (static_cast<int64_t>(host_point.size()) != data_.cols()) throw segmint::error("internal error: seeding point dimension mismatch");
  staging_.begin_call();
  const float* point = upload(host_point.data(), host_point.size(), gathered_);
  seed_plan_ = plan_parts(data_.rows(), 1);
  double* parts = ensure(parts_, static_cast<size_t>(std::max<int64_t>(seed_plan_.parts, 1)), compute_);
  for_each_part_chunk(seed_plan_, [&](const chunk& c, kernels::part_layout pl) {
    SEGMINT_CUDA_TRY(kernels::launch_seed_update(c.view, point, min_d2_.data() + c.row0, reset, pl, parts, compute_.get()));
  });
  auto* host = staging_.take<double>(static_cast<size_t>(seed_plan_.parts));
  if (seed_plan_.parts > 0)
    SEGMINT_CUDA_TRY(cudaMemcpyAsync(host, parts, static_cast<size_t>(seed_plan_.parts) * sizeof(double),
                                     cudaMemcpyDeviceToHost, compute_.get()));
  sync();
  seed_parts_.assign(host, host + seed_plan_.parts);
  return std::accumulate(seed_parts_.begin(), seed_parts_.end(), 0.0);  // part order
}

double cuda_backend::seed_start(std::span<const float> first) { return update_min_d2(first, true); }

double cuda_backend::seed_commit(std::span<const float> point) { return update_min_d2(point, false); }

namespace {

/// Host copies of the min_d2 values of whole parts, fetched in batches (one synchronisation per batch).
class part_values {
 public:
  part_values(const float* device_min_d2, int64_t n, int64_t part_rows, cudaStream_t s, const stream& sync_on,
              pinned_arena& staging)
      : dev_(device_min_d2), n_(n), part_rows_(part_rows), stream_(s), sync_on_(sync_on), staging_(staging) {}

  void fetch(std::vector<int64_t> parts) {
    std::sort(parts.begin(), parts.end());
    parts.erase(std::unique(parts.begin(), parts.end()), parts.end());
    std::vector<std::pair<int64_t, float*>> pending;
    for (int64_t b : parts) {
      if (cache_.count(b) != 0) continue;
      float* host = staging_.take<float>(static_cast<size_t>(rows_of(b)));
      SEGMINT_CUDA_TRY(cudaMemcpyAsync(host, dev_ + b * part_rows_, static_cast<size_t>(rows_of(b)) * sizeof(float),
                                       cudaMemcpyDeviceToHost, stream_));
      pending.emplace_back(b, host);
    }
    if (pending.empty()) return;
    sync_on_.synchronize();
    for (const auto& [b, host] : pending) cache_[b].assign(host, host + rows_of(b));
  }
  const std::vector<float>& get(int64_t b) {
    if (cache_.count(b) == 0) fetch({b});
    return cache_[b];
  }
  [[nodiscard]] int64_t rows_of(int64_t b) const { return std::min(part_rows_, n_ - b * part_rows_); }

 private:
  const float* dev_;
  int64_t n_;
  int64_t part_rows_;
  cudaStream_t stream_;
  const stream& sync_on_;
  pinned_arena& staging_;
  std::map<int64_t, std::vector<float>> cache_;
};

}  // namespace

std::vector<int64_t> cuda_backend::seed_sample(std::span<const double> targets) {
  const auto nparts = static_cast<int64_t>(seed_parts_.size());
  std::vector<int64_t> out;
  if (nparts == 0) return std::vector<int64_t>(targets.size(), 0);
  staging_.begin_call();
  std::vector<double> prefix(static_cast<size_t>(nparts) + 1, 0.0);
  for (int64_t b = 0; b < nparts; ++b) prefix[static_cast<size_t>(b + 1)] = prefix[static_cast<size_t>(b)] + seed_parts_[static_cast<size_t>(b)];
  // The last part whose running total at its start is ≤ t (the CPU's upper_bound over block prefixes).
  auto first_part = [&](double t) {
    const auto it = std::upper_bound(prefix.begin() + 1, prefix.end() - 1, t);
    return static_cast<int64_t>(it - prefix.begin()) - 1;
  };
  part_values values(min_d2_.data(), data_.rows(), seed_plan_.part_rows, compute_.get(), compute_, staging_);
  std::vector<int64_t> firsts;
  for (double t : targets) firsts.push_back(first_part(t));
  values.fetch(firsts);  // usually the only synchronisation
  for (size_t i = 0; i < targets.size(); ++i) {
    const double t = targets[i];
    int64_t pick = -1;
    int64_t last_positive = -1;
    for (int64_t b = firsts[i]; b < nparts && pick < 0; ++b) {
      const auto& v = values.get(b);
      double running = prefix[static_cast<size_t>(b)];
      for (size_t r = 0; r < v.size(); ++r) {
        if (v[r] > 0) last_positive = b * seed_plan_.part_rows + static_cast<int64_t>(r);
        running += static_cast<double>(v[r]);
        if (running > t && v[r] > 0) {
          pick = b * seed_plan_.part_rows + static_cast<int64_t>(r);
          break;
        }
      }
    }
    // t at the very top (rounding): the last row with weight, searched backwards when the scan saw none.
    for (int64_t b = firsts[i] - 1; pick < 0 && last_positive < 0 && b >= 0; --b) {
      const auto& v = values.get(b);
      for (auto r = static_cast<int64_t>(v.size()) - 1; r >= 0 && last_positive < 0; --r)
        if (v[static_cast<size_t>(r)] > 0) last_positive = b * seed_plan_.part_rows + r;
    }
    out.push_back(pick >= 0 ? pick : std::max<int64_t>(last_positive, 0));
  }
  return out;
}

std::vector<double> cuda_backend::seed_trial(matrix_view candidates) {
  std::vector<double> out(static_cast<size_t>(candidates.rows), 0.0);
  const auto total = candidates.rows;
  const int64_t d = data_.cols();
  for (int64_t c0 = 0; c0 < total; c0 += kernels::seed_trial_max_candidates) {
    const int nc = static_cast<int>(std::min<int64_t>(kernels::seed_trial_max_candidates, total - c0));
    staging_.begin_call();
    std::vector<float> cand(static_cast<size_t>(nc * d));  // column-major nc × d, as device_rows lays rows out
    for (int64_t j = 0; j < d; ++j)
      for (int i = 0; i < nc; ++i) cand[static_cast<size_t>(j * nc + i)] = candidates(c0 + i, j);
    const float* points = upload(cand.data(), cand.size(), gathered_);
    const part_plan plan = plan_parts(data_.rows(), nc);
    double* parts = ensure(parts_, static_cast<size_t>(std::max<int64_t>(plan.parts * nc, 1)), compute_);
    for_each_part_chunk(plan, [&](const chunk& c, kernels::part_layout pl) {
      SEGMINT_CUDA_TRY(kernels::launch_seed_trial(c.view, points, nc, min_d2_.data() + c.row0, pl, parts, compute_.get()));
    });
    const double* host = combine_to_host(plan, nc, nc);
    sync();
    std::copy(host, host + nc, out.begin() + c0);
  }
  return out;
}

}  // namespace segmint::cuda::detail
