// The Ward nearest-neighbour search on the device: one scan of the active clusters for the lowest
// (cost, position), in double without FMA contraction (__dsub_rn/__dmul_rn/__dadd_rn/__ddiv_rn), so every
// pair's cost is the CPU's bits (host/cpu/ward_scan.cpp is compiled with -ffp-contract=off).
//
// Mapping: a grid-stride scan (one thread per position per step) keeps each thread's best, a fixed tree
// reduces each block, one block reduces the block results. (cost, position) is a total order (ties → lower
// position), so the answer does not depend on the reduction's shape.
#include <cuda_runtime.h>

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "common.cuh"

namespace segmint::cuda::kernels {
namespace {

constexpr int threads = block_threads;
constexpr int max_blocks = 1024;

struct ward_key {
  double cost;
  int64_t position;  // −1: none
};
struct ward_scratch {
  ward_key block[max_blocks];
};

/// The CPU's `consider`: a real position with a lower cost, or the same cost at a lower position. NaN
/// costs (inactive clusters) and +∞ never win against the initial (+∞, −1).
__device__ inline bool takes(const ward_key& cand, const ward_key& best) {
  return cand.position >= 0 && (cand.cost < best.cost || (cand.cost == best.cost && cand.position < best.position));
}

/// cost = (n_q·n_p)/(n_q + n_p) · Σ_j (c_pj − c_qj)², features in order, no contraction.
__device__ inline double pair_cost(const double* coords, const double* sizes, int64_t m, int64_t d, int64_t q,
                                   int64_t p) {
  double s = 0.0;
  for (int64_t j = 0; j < d; ++j) {
    const double diff = __dsub_rn(coords[j * m + p], coords[j * m + q]);
    s = __dadd_rn(s, __dmul_rn(diff, diff));
  }
  const double nq = sizes[q];
  const double n = sizes[p];
  return __dmul_rn(__ddiv_rn(__dmul_rn(nq, n), __dadd_rn(nq, n)), s);
}

__device__ ward_key block_best(ward_key k, ward_key* sh) {
  const int t = static_cast<int>(threadIdx.x);
  sh[t] = k;
  __syncthreads();
  for (int s = static_cast<int>(blockDim.x) / 2; s > 0; s >>= 1) {
    if (t < s && takes(sh[t + s], sh[t])) sh[t] = sh[t + s];
    __syncthreads();
  }
  const ward_key best = sh[0];
  __syncthreads();
  return best;
}

__global__ void ward_scan(const double* coords, const double* sizes, int64_t m, int64_t d, int64_t query,
                          ward_scratch* s) {
  __shared__ ward_key sh[threads];
  ward_key best{INFINITY, -1};
  const int64_t stride = static_cast<int64_t>(gridDim.x) * blockDim.x;
  for (int64_t p = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x; p < m; p += stride) {
    if (p == query) continue;  // the query is not its own neighbour
    const ward_key cand{pair_cost(coords, sizes, m, d, query, p), p};
    if (takes(cand, best)) best = cand;
  }
  best = block_best(best, sh);
  if (threadIdx.x == 0) s->block[blockIdx.x] = best;
}

__global__ void ward_final(const double* coords, const double* sizes, int64_t m, int64_t d, int64_t query,
                           int64_t prefer, int nblocks, const ward_scratch* s, ward_best* out) {
  __shared__ ward_key sh[threads];
  ward_key best{INFINITY, -1};
  for (int b = static_cast<int>(threadIdx.x); b < nblocks; b += blockDim.x)
    if (takes(s->block[b], best)) best = s->block[b];
  best = block_best(best, sh);
  if (threadIdx.x == 0) {
    out->cost = best.cost;
    out->position = best.position;
    out->prefer_cost = prefer >= 0 ? pair_cost(coords, sizes, m, d, query, prefer) : NAN;
  }
}

__global__ void ward_merge(double* coords, double* sizes, int64_t m, int64_t d, int64_t removed, int64_t kept,
                           const double* update) {
  for (int64_t j = threadIdx.x; j < d; j += blockDim.x) coords[j * m + kept] = update[j];
  if (threadIdx.x == 0) {
    sizes[kept] = update[d];
    sizes[removed] = NAN;
  }
}

int scan_blocks(int64_t m) { return static_cast<int>(std::max<int64_t>(1, std::min<int64_t>(max_blocks, (m + threads - 1) / threads))); }

}  // namespace

int64_t ward_scratch_bytes(int64_t) { return static_cast<int64_t>(sizeof(ward_scratch)); }

cudaError_t launch_ward_nearest(const double* coords, const double* sizes, int64_t m, int64_t d, int64_t query,
                                int64_t prefer, void* scratch, ward_best* out, cudaStream_t stream) {
  const int blocks = scan_blocks(m);
  auto* s = static_cast<ward_scratch*>(scratch);
  ward_scan<<<blocks, threads, 0, stream>>>(coords, sizes, m, d, query, s);
  ward_final<<<1, threads, 0, stream>>>(coords, sizes, m, d, query, prefer, blocks, s, out);
  return cudaGetLastError();
}

cudaError_t launch_ward_merge(double* coords, double* sizes, int64_t m, int64_t d, int64_t removed, int64_t kept,
                              const double* update, cudaStream_t stream) {
  ward_merge<<<1, threads, 0, stream>>>(coords, sizes, m, d, removed, kept, update);
  return cudaGetLastError();
}

}  // namespace segmint::cuda::kernels
