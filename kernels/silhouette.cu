// Exact silhouette on the device, all labellings of a k sweep at once: the pairwise distances of a block of
// rows are computed once per column tile and shared by every labelling.
//
// Mapping: one block per `ti` sample rows; the block walks all m columns in tiles of `tj`. Phase 1: the
// ti × tj distances (float, Σ (s_j − s_i)² without FMA, then sqrtf: the CPU's arithmetic) into shared
// memory. Phase 2: each (row, labelling) is owned by ONE thread, which adds the tile's distances in column
// order to that row's per-cluster sums (double, shared memory). Every sum has the CPU's order (columns
// 0..m−1), so the values match the CPU's bit for bit; no atomics.
#include <cuda_runtime.h>

#include <cmath>
#include <cstdint>

#include "common.cuh"

namespace segmint::cuda::kernels {
namespace {

constexpr int threads = block_threads;
constexpr int tj = 256;            // columns per tile
constexpr int tj_stride = tj + 1;  // padded row of the distance tile: owners of different rows hit different banks
constexpr int max_ti = 16;

/// scikit-learn's silhouette of one row from its per-cluster distance sums (the CPU's silhouette_of).
__device__ double silhouette_of(const double* sums, const int64_t* counts, int k, int own) {
  const int64_t n_own = counts[own];
  if (n_own <= 1) return 0.0;
  const double a = sums[own] / static_cast<double>(n_own - 1);
  double b = INFINITY;
  for (int c = 0; c < k; ++c) {
    if (c == own || counts[c] <= 0) continue;
    const double v = sums[c] / static_cast<double>(counts[c]);
    if (v < b) b = v;
  }
  if (!isfinite(b)) return 0.0;
  const double mx = a > b ? a : b;
  return mx > 0 ? (b - a) / mx : 0.0;
}

__global__ void silhouette(const float* s, int64_t m, int64_t d, const int32_t* labels, int nl, const int32_t* off,
                           const int32_t* ks, int slots_per_row, const int64_t* counts, int ti, double* out) {
  extern __shared__ double smem[];
  double* slots = smem;                                                       // ti × slots_per_row
  float* dist = reinterpret_cast<float*>(slots + static_cast<int64_t>(ti) * slots_per_row);  // ti × tj_stride
  const int64_t i0 = static_cast<int64_t>(blockIdx.x) * ti;
  const int t = static_cast<int>(threadIdx.x);
  for (int64_t e = t; e < static_cast<int64_t>(ti) * slots_per_row; e += threads) slots[e] = 0.0;
  for (int64_t j0 = 0; j0 < m; j0 += tj) {
    const int nj = static_cast<int>(min(static_cast<int64_t>(tj), m - j0));
    __syncthreads();  // the previous tile's owners are done with `dist`
    for (int e = t; e < ti * tj; e += threads) {
      const int ii = e / tj;
      const int jj = e % tj;
      if (jj >= nj || i0 + ii >= m) continue;
      float acc = 0.0f;
      for (int64_t f = 0; f < d; ++f) {
        const float diff = s[f * m + j0 + jj] - s[f * m + i0 + ii];
        acc = __fadd_rn(acc, __fmul_rn(diff, diff));
      }
      dist[ii * tj_stride + jj] = sqrtf(acc);
    }
    __syncthreads();
    for (int o = t; o < ti * nl; o += threads) {
      const int ii = o / nl;
      const int l = o % nl;
      if (i0 + ii >= m) continue;
      double* row_slots = slots + static_cast<int64_t>(ii) * slots_per_row + off[l];
      const int32_t* lab = labels + static_cast<int64_t>(l) * m + j0;
      const float* dr = dist + ii * tj_stride;
      for (int jj = 0; jj < nj; ++jj) row_slots[lab[jj]] += static_cast<double>(dr[jj]);
    }
  }
  __syncthreads();
  for (int o = t; o < ti * nl; o += threads) {
    const int ii = o / nl;
    const int l = o % nl;
    const int64_t i = i0 + ii;
    if (i >= m) continue;
    out[static_cast<int64_t>(l) * m + i] = silhouette_of(slots + static_cast<int64_t>(ii) * slots_per_row + off[l],
                                                         counts + off[l], ks[l], labels[static_cast<int64_t>(l) * m + i]);
  }
}

}  // namespace

cudaError_t launch_silhouette(const float* s, int64_t m, int64_t d, const int32_t* labels, int nlabellings,
                              const int32_t* slot_offset, const int32_t* ks, int total_slots, const int64_t* counts,
                              double* out, cudaStream_t stream) {
  if (m <= 0 || nlabellings <= 0) return cudaSuccess;
  if (total_slots <= 0 || total_slots > silhouette_max_slots) return cudaErrorInvalidValue;
  const size_t optin = shared_optin_bytes();
  int ti = max_ti;
  auto bytes = [&](int rows) {
    return static_cast<size_t>(rows) * (static_cast<size_t>(total_slots) * sizeof(double) + tj_stride * sizeof(float));
  };
  while (ti > 1 && bytes(ti) > optin) --ti;
  if (bytes(ti) > optin) return cudaErrorInvalidConfiguration;
  const cudaError_t e = allow_shared(silhouette, bytes(ti));
  if (e != cudaSuccess) return e;
  const auto blocks = static_cast<unsigned>((m + ti - 1) / ti);
  silhouette<<<blocks, threads, bytes(ti), stream>>>(s, m, d, labels, nlabellings, slot_offset, ks, total_slots, counts,
                                                     ti, out);
  return cudaGetLastError();
}

}  // namespace segmint::cuda::kernels
