// The Ward nearest-neighbour searches on the device. Clusters keep their numbers as positions (a merged-away
// cluster's size becomes NaN, so its cost is NaN and never wins), which makes "ties → lowest cluster
// number" the kernel's "ties → lowest position". The costs are the CPU's bits (see kernels/ward.cu), so the
// chain merges exactly as on the CPU. One search = two small launches, one 24-byte copy, one sync.
#include <algorithm>
#include <cstring>

#include "cuda_backend.hpp"
#include "segmint/error.hpp"

namespace segmint::cuda::detail {

void cuda_backend::check_active(int64_t cluster) const {
  if (cluster < 0 || cluster >= ward_.m || ward_.active[static_cast<size_t>(cluster)] == 0)
    throw error("internal error: Ward cluster " + std::to_string(cluster) + " is not active");
}

void cuda_backend::ward_begin(std::span<const double> centroids, std::span<const double> sizes, int64_t d) {
  const auto m = static_cast<int64_t>(sizes.size());
  if (d < 1 || static_cast<int64_t>(centroids.size()) != m * d)
    throw error("internal error: Ward clusters need m × d centroids and m sizes");
  for (double s : sizes)
    if (!(s > 0)) throw error("internal error: Ward cluster sizes must be positive");
  staging_.begin_call();
  ward_.m = m;
  ward_.d = d;
  upload(centroids.data(), centroids.size(), ward_.coords);
  upload(sizes.data(), sizes.size(), ward_.sizes);
  ensure(ward_.update, static_cast<size_t>(d + 1), compute_);
  ensure(ward_.scratch, static_cast<size_t>(kernels::ward_scratch_bytes(m)), compute_);
  if (ward_.staged.size() < static_cast<size_t>(d + 1)) ward_.staged = pinned_buffer<double>(static_cast<size_t>(d + 1));
  ward_.active.assign(static_cast<size_t>(m), 1);
  sync();
}

void cuda_backend::ward_merge(int64_t removed, int64_t kept, std::span<const double> centroid, double size) {
  if (static_cast<int64_t>(centroid.size()) != ward_.d || removed == kept || !(size > 0))
    throw error("internal error: invalid Ward merge");
  check_active(removed);
  check_active(kept);
  // The previous merge's copy out of `staged` must be done before it is overwritten (it normally is: a
  // search, which synchronises, separates two merges).
  SEGMINT_CUDA_TRY(cudaEventSynchronize(ward_.staged_free.get()));
  std::copy(centroid.begin(), centroid.end(), ward_.staged.data());
  ward_.staged.data()[ward_.d] = size;
  SEGMINT_CUDA_TRY(cudaMemcpyAsync(ward_.update.data(), ward_.staged.data(), static_cast<size_t>(ward_.d + 1) * sizeof(double),
                                   cudaMemcpyHostToDevice, compute_.get()));
  ward_.staged_free.record(compute_);
  SEGMINT_CUDA_TRY(kernels::launch_ward_merge(ward_.coords.data(), ward_.sizes.data(), ward_.m, ward_.d, removed, kept,
                                              ward_.update.data(), compute_.get()));
  ward_.active[static_cast<size_t>(removed)] = 0;
}

segmint::detail::ward_neighbour cuda_backend::ward_nearest(int64_t query, int64_t prefer) {
  check_active(query);
  const bool use_prefer = prefer >= 0 && prefer != query;
  if (use_prefer) check_active(prefer);
  staging_.begin_call();
  SEGMINT_CUDA_TRY(kernels::launch_ward_nearest(ward_.coords.data(), ward_.sizes.data(), ward_.m, ward_.d, query,
                                                use_prefer ? prefer : -1, ward_.scratch.data(), ward_.best.data(),
                                                compute_.get()));
  auto* best = staging_.take<kernels::ward_best>(1);
  SEGMINT_CUDA_TRY(cudaMemcpyAsync(best, ward_.best.data(), sizeof(kernels::ward_best), cudaMemcpyDeviceToHost,
                                   compute_.get()));
  sync();
  if (best->position < 0) return {};  // the query is the only active cluster
  segmint::detail::ward_neighbour out{best->position, best->cost};
  // The CPU's rule: the chain's predecessor wins a tie with the minimum (its cost is ≥ the minimum).
  if (use_prefer && best->prefer_cost <= out.cost) out = {prefer, best->prefer_cost};
  return out;
}

void cuda_backend::ward_end() {
  sync();
  ward_.coords = {};
  ward_.sizes = {};
  ward_.update = {};
  ward_.scratch = {};
  ward_.active.clear();
  ward_.m = 0;
  ward_.d = 0;
}

}  // namespace segmint::cuda::detail
