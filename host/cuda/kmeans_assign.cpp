// K-Means assignment on the device: labels and squared distances stay resident; one call returns the
// per-centroid sums, counts, inertia and changed-label count after one synchronisation.
//
// Two paths, the same semantics (nearest centroid, ties → lower index, the squared distance computed
// directly as Σ_j (x_j − c_j)² with an fmaf chain in feature order, as the CPU):
//  - fused (k < 64, centroids ≤ 48 KB): one kernel reads each row once, keeps the centroids in shared memory,
//    labels the row and adds it to its part's sums. No n × k matrix. Its cost grows with k·d FMAs per row
//    from shared memory, so at small k it runs at the memory floor;
//  - SGEMM (k ≥ 64, or centroids too large for shared memory): per tile of rows, cuBLAS SGEMM (CUBLAS_DEFAULT_
//    MATH, never TF32) gives x·cᵀ, a kernel takes the argmin of ‖x‖² − 2x·c + ‖c‖² and recomputes the winner's
//    distance directly; a second kernel forms the part sums from the labels. From k ≈ 64 on, the distance
//    arithmetic (2·k·d FLOP per row) outweighs the second read of the data, and SGEMM's blocking does it
//    far faster than the fused loop. The crossover (kernels::fused_max_k) is a first estimate, to be
//    measured on the H200 (bench: BM_gpu_assign at k = 32, 64, 128 on both paths; see tools/gpu_check.sh).
// Labels of the SGEMM path can differ from the fused path's only where two centroids are within the
// expansion's rounding (docs/architecture.md §4's bound); the reported distances and inertia use the direct formula.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

#include "cuda_backend.hpp"
#include "segmint/error.hpp"

namespace segmint::cuda::detail {
namespace {

/// Rows per SGEMM tile: ≤ 2^25 products (128 MB of scratch), a power of two in [1024, max_part_rows], so
/// tiles start at the same rows whether the data is resident or streamed (chunks are multiples of it).
int64_t gemm_tile_rows(int k) {
  int64_t rows = kernels::max_part_rows;
  while (rows > 1024 && rows * k > (int64_t{1} << 25)) rows /= 2;
  return rows;
}

}  // namespace

void cuda_backend::reset_labels() {
  if (data_.rows() > 0)
    SEGMINT_CUDA_TRY(cudaMemsetAsync(labels_.data(), 0xFF, static_cast<size_t>(data_.rows()) * sizeof(int32_t),
                                     compute_.get()));
  last_k_ = 0;
}

// Every tile is first copied to contiguous scratch (ld = its rows): the SGEMM then has the same shape and
// leading dimension in resident and streamed mode, so cuBLAS picks the same kernel and the same bits.
void cuda_backend::assign_chunk_gemm(const chunk& c, const float* centroids, int k, kernels::part_layout) {
  const int64_t d = c.view.d;
  const int64_t tile = gemm_tile_rows(k);
  float* xt = ensure(gemm_x_, static_cast<size_t>(tile * d), compute_);
  float* prod = ensure(gemm_out_, static_cast<size_t>(tile * k), compute_);
  const float one = 1.0f;
  const float zero = 0.0f;
  for (int64_t t0 = 0; t0 < c.view.rows; t0 += tile) {
    const int64_t rows = std::min(tile, c.view.rows - t0);
    SEGMINT_CUDA_TRY(kernels::launch_copy_rows(c.view.x, c.view.ld, t0, rows, d, xt, compute_.get()));
    SEGMINT_CUBLAS_TRY(cublasSgemm(blas_.get(), CUBLAS_OP_N, CUBLAS_OP_T, static_cast<int>(rows), k, static_cast<int>(d),
                                   &one, xt, static_cast<int>(rows), centroids, k, &zero, prod, static_cast<int>(rows)));
    const int64_t at = c.row0 + t0;
    SEGMINT_CUDA_TRY(kernels::launch_assign_from_products(xt, rows, d, prod, centroids, norms_.data(), k,
                                                          labels_.data() + at, sq_dist_.data() + at, counter_.data(),
                                                          compute_.get()));
  }
}

segmint::detail::assign_partials cuda_backend::assign(matrix_view centroids) {
  const int64_t n = data_.rows();
  const int64_t d = data_.cols();
  if (centroids.cols != d) throw error("internal error: centroid dimension mismatch");
  if (centroids.rows < 1 || centroids.rows > std::numeric_limits<int32_t>::max())
    throw error("internal error: invalid number of centroids");
  const int k = static_cast<int>(centroids.rows);
  staging_.begin_call();
  if (k != last_k_) {  // a different model: start from no labels (the CPU's rule)
    reset_labels();
    last_k_ = k;
  }
  const float* cent = upload(centroids.data, static_cast<size_t>(k * d), params_);
  SEGMINT_CUDA_TRY(cudaMemsetAsync(counter_.data(), 0, sizeof(unsigned long long), compute_.get()));
  const int64_t stride = kernels::kmeans_part_stride(k, d);
  const part_plan plan = plan_parts(n, stride);
  double* parts = ensure(parts_, static_cast<size_t>(std::max<int64_t>(plan.parts * stride, 1)), compute_);
  const bool gemm = k >= gemm_min_k_ || !kernels::fused_fits(k, d);
  if (gemm) {
    ensure(norms_, static_cast<size_t>(k), compute_);
    SEGMINT_CUDA_TRY(kernels::launch_row_sq_norms(cent, k, d, norms_.data(), compute_.get()));
  }
  for_each_part_chunk(plan, [&](const chunk& c, kernels::part_layout pl) {
    if (gemm) {
      assign_chunk_gemm(c, cent, k, pl);
      SEGMINT_CUDA_TRY(kernels::launch_label_sums(c.view, labels_.data() + c.row0, sq_dist_.data() + c.row0, k, pl,
                                                  parts, compute_.get()));
    } else {
      SEGMINT_CUDA_TRY(kernels::launch_assign_fused(c.view, cent, k, labels_.data() + c.row0, sq_dist_.data() + c.row0,
                                                    counter_.data(), pl, parts, compute_.get()));
    }
  });
  const double* host = combine_to_host(plan, stride, stride);
  auto* changed = staging_.take<unsigned long long>(1);
  SEGMINT_CUDA_TRY(cudaMemcpyAsync(changed, counter_.data(), sizeof(unsigned long long), cudaMemcpyDeviceToHost,
                                   compute_.get()));
  sync();  // the iteration's one synchronisation
  segmint::detail::assign_partials out;
  out.sums.assign(host, host + k * d);
  out.counts.resize(static_cast<size_t>(k));
  for (int c = 0; c < k; ++c) out.counts[static_cast<size_t>(c)] = std::llround(host[k * d + c]);
  out.inertia = host[k * d + k];
  out.changed = static_cast<int64_t>(*changed);
  return out;
}

void cuda_backend::fetch_assignment(std::span<int32_t> labels, std::span<float> sq_dist) {
  const auto n = static_cast<size_t>(data_.rows());
  if ((!labels.empty() && labels.size() < n) || (!sq_dist.empty() && sq_dist.size() < n))
    throw error("internal error: fetch_assignment buffers are too small");
  if (n == 0) return;
  if (!labels.empty())
    SEGMINT_CUDA_TRY(cudaMemcpyAsync(labels.data(), labels_.data(), n * sizeof(int32_t), cudaMemcpyDeviceToHost,
                                     compute_.get()));
  if (!sq_dist.empty())
    SEGMINT_CUDA_TRY(cudaMemcpyAsync(sq_dist.data(), sq_dist_.data(), n * sizeof(float), cudaMemcpyDeviceToHost,
                                     compute_.get()));
  sync();
}

std::vector<int64_t> cuda_backend::farthest_rows(int64_t count) {
  count = std::min(count, data_.rows());
  if (count <= 0) return {};
  staging_.begin_call();
  void* scratch = ensure(scratch_, static_cast<size_t>(kernels::farthest_scratch_bytes(data_.rows())), compute_);
  int64_t* rows = ensure(small_i64_, static_cast<size_t>(count), compute_);
  SEGMINT_CUDA_TRY(kernels::launch_farthest_rows(sq_dist_.data(), data_.rows(), count, scratch, rows, compute_.get()));
  auto* host = staging_.take<int64_t>(static_cast<size_t>(count));
  SEGMINT_CUDA_TRY(cudaMemcpyAsync(host, rows, static_cast<size_t>(count) * sizeof(int64_t), cudaMemcpyDeviceToHost,
                                   compute_.get()));
  sync();
  return {host, host + count};
}

}  // namespace segmint::cuda::detail
