// Row-wise kernels: squared norms, gathering rows, the k-means++ seeding passes, the farthest rows and the
// column moments. Per-part sums use one block per part (block_part) and a fixed tree (block_sum), so every
// sum has a fixed order: bitwise repeatable, and the same whether the data is resident or streamed.
#include <cuda_runtime.h>

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "common.cuh"

namespace segmint::cuda::kernels {
namespace {

constexpr int threads = block_threads;

// One thread per row; coalesced reads along each column.
__global__ void row_sq_norms(const float* __restrict__ x, int64_t n, int64_t d, float* __restrict__ out) {
  const int64_t i = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
  if (i >= n) return;
  float acc = 0.0f;
  for (int64_t j = 0; j < d; ++j) {
    const float v = x[j * n + i];
    acc = fmaf(v, v, acc);
  }
  out[i] = acc;
}

// One thread per output element (r, j); consecutive threads take consecutive gathered rows of a column.
__global__ void gather_rows(const float* x, int64_t ld, int64_t d, const int64_t* rows, int64_t m, float* out) {
  const int64_t e = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
  if (e >= m * d) return;
  const int64_t r = e % m;
  const int64_t j = e / m;
  out[e] = x[j * ld + rows[r]];
}

// One thread per output element; consecutive threads copy consecutive rows of a column.
__global__ void copy_rows(const float* x, int64_t ld, int64_t row0, int64_t rows, int64_t d, float* out) {
  const int64_t e = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
  if (e >= rows * d) return;
  out[e] = x[(e / rows) * ld + row0 + e % rows];
}

/// ‖x_row − p‖² as an fmaf chain in feature order (the CPU's sq_dist_to_point arithmetic).
__device__ inline float sq_dist_to(const chunk_view& x, int64_t row, const float* p) {
  float v = 0.0f;
  for (int64_t j = 0; j < x.d; ++j) {
    const float diff = x.x[j * x.ld + row] - p[j];
    v = fmaf(diff, diff, v);
  }
  return v;
}

// One block per part; thread t takes rows t, t + blockDim, ... of the part, then block_sum.
__global__ void seed_update(chunk_view x, const float* point, float* min_d2, bool reset, part_layout parts,
                            double* part_sums) {
  __shared__ double red[threads];
  const part_range pr = block_part(x.rows, parts);
  double s = 0.0;
  for (int64_t row = pr.begin + threadIdx.x; row < pr.end; row += blockDim.x) {
    const float v = sq_dist_to(x, row, point);
    float m = v;
    if (!reset) {
      const float old = min_d2[row];
      if (!(v < old)) m = old;  // the CPU's `if (reset || v < m) m = v`
    }
    min_d2[row] = m;
    s += static_cast<double>(m);
  }
  const double total = block_sum(s, red);
  if (threadIdx.x == 0) part_sums[parts.first_part + blockIdx.x] = total;
}

// One block per part; per-thread accumulators per candidate in shared memory, then one block_sum each.
__global__ void seed_trial(chunk_view x, const float* points, int nc, const float* min_d2, part_layout parts,
                           double* part_out) {
  __shared__ double acc[seed_trial_max_candidates * threads];
  __shared__ double red[threads];
  const int t = static_cast<int>(threadIdx.x);
  for (int c = 0; c < nc; ++c) acc[c * threads + t] = 0.0;
  const part_range pr = block_part(x.rows, parts);
  for (int64_t row = pr.begin + t; row < pr.end; row += threads) {
    const float m = min_d2[row];
    for (int c = 0; c < nc; ++c) {
      float v = 0.0f;
      for (int64_t j = 0; j < x.d; ++j) {
        const float diff = x.x[j * x.ld + row] - points[j * nc + c];
        v = fmaf(diff, diff, v);
      }
      acc[c * threads + t] += static_cast<double>(v < m ? v : m);  // std::min(m, v)
    }
  }
  for (int c = 0; c < nc; ++c) {
    const double total = block_sum(acc[c * threads + t], red);
    if (t == 0) part_out[(parts.first_part + blockIdx.x) * nc + c] = total;
  }
}

// ---- farthest rows: keys (value, row), "better" = larger value, then lower row; NaN orders as −∞ ----
struct fkey {
  float v;
  int64_t row;
};
constexpr int64_t no_row = INT64_MAX;  // loses to every real row
__device__ inline float ordered(float v) { return isnan(v) ? -INFINITY : v; }
__device__ inline bool better(const fkey& a, const fkey& b) { return a.v > b.v || (a.v == b.v && a.row < b.row); }

constexpr int farthest_max_blocks = 1024;
struct farthest_scratch {
  fkey last;  // the key the previous round took
  fkey block[farthest_max_blocks];
};

__device__ inline fkey block_best(fkey k, fkey* sh) {
  const int t = static_cast<int>(threadIdx.x);
  sh[t] = k;
  __syncthreads();
  for (int s = static_cast<int>(blockDim.x) / 2; s > 0; s >>= 1) {
    if (t < s && better(sh[t + s], sh[t])) sh[t] = sh[t + s];
    __syncthreads();
  }
  const fkey best = sh[0];
  __syncthreads();
  return best;
}

// Grid-stride over rows: each block's best key among rows ranked after the previous round's key.
__global__ void farthest_blocks(const float* values, int64_t n, bool has_last, farthest_scratch* s) {
  __shared__ fkey sh[threads];
  const fkey last = has_last ? s->last : fkey{-INFINITY, no_row};  // round 0 reads nothing
  fkey best{-INFINITY, no_row};
  const int64_t stride = static_cast<int64_t>(gridDim.x) * blockDim.x;
  for (int64_t i = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x; i < n; i += stride) {
    const fkey k{ordered(values[i]), i};
    if ((!has_last || better(last, k)) && better(k, best)) best = k;
  }
  best = block_best(best, sh);
  if (threadIdx.x == 0) s->block[blockIdx.x] = best;
}

// One block: the best of the block keys; records it as this round's row.
__global__ void farthest_final(int nblocks, farthest_scratch* s, int64_t* out_row) {
  __shared__ fkey sh[threads];
  fkey best{-INFINITY, no_row};
  for (int b = static_cast<int>(threadIdx.x); b < nblocks; b += blockDim.x)
    if (better(s->block[b], best)) best = s->block[b];
  best = block_best(best, sh);
  if (threadIdx.x == 0) {
    s->last = best;
    *out_row = best.row;
  }
}

// ---- column moments ----
// One block per part; for each column a strided per-thread sum, then block_sum.
__global__ void column_sums(chunk_view x, part_layout parts, double* part_out) {
  __shared__ double red[threads];
  const part_range pr = block_part(x.rows, parts);
  for (int64_t j = 0; j < x.d; ++j) {
    double s = 0.0;
    for (int64_t row = pr.begin + threadIdx.x; row < pr.end; row += blockDim.x)
      s += static_cast<double>(x.x[j * x.ld + row]);
    const double total = block_sum(s, red);
    if (threadIdx.x == 0) part_out[(parts.first_part + blockIdx.x) * x.d + j] = total;
  }
}

// One block per part, walking it in tiles of `tr` rows: the tile is centred into shared memory (double),
// then each pair (a, b) is owned by one thread that adds the tile's rows in order to its accumulator (kept
// in the part's own output slot, which no other thread touches).
__global__ void centred_products(chunk_view x, const double* mean, const int32_t* pairs, int64_t npairs,
                                 part_layout parts, int tr, double* part_out) {
  extern __shared__ double y[];  // tr × d, y[r·d + j]
  const part_range pr = block_part(x.rows, parts);
  double* out = part_out + (parts.first_part + blockIdx.x) * npairs;
  for (int64_t e = threadIdx.x; e < npairs; e += blockDim.x) out[e] = 0.0;
  for (int64_t t0 = pr.begin; t0 < pr.end; t0 += tr) {
    const int64_t nr = min(static_cast<int64_t>(tr), pr.end - t0);
    for (int64_t e = threadIdx.x; e < nr * x.d; e += blockDim.x) {
      const int64_t r = e % nr;
      const int64_t j = e / nr;
      y[r * x.d + j] = static_cast<double>(x.x[j * x.ld + t0 + r]) - mean[j];
    }
    __syncthreads();
    for (int64_t e = threadIdx.x; e < npairs; e += blockDim.x) {
      const int a = pairs[2 * e];
      const int b = pairs[2 * e + 1];
      double s = out[e];
      for (int64_t r = 0; r < nr; ++r) s += y[r * x.d + a] * y[r * x.d + b];
      out[e] = s;
    }
    __syncthreads();
  }
}

}  // namespace

cudaError_t launch_row_sq_norms(const float* x, int64_t n, int64_t d, float* out, cudaStream_t stream) {
  if (n <= 0) return cudaSuccess;
  const auto blocks = static_cast<unsigned>((n + threads - 1) / threads);
  row_sq_norms<<<blocks, threads, 0, stream>>>(x, n, d, out);
  return cudaGetLastError();
}

cudaError_t launch_gather_rows(const float* x, int64_t ld, int64_t d, const int64_t* rows, int64_t m, float* out,
                               cudaStream_t stream) {
  if (m <= 0 || d <= 0) return cudaSuccess;
  const auto blocks = static_cast<unsigned>((m * d + threads - 1) / threads);
  gather_rows<<<blocks, threads, 0, stream>>>(x, ld, d, rows, m, out);
  return cudaGetLastError();
}

cudaError_t launch_copy_rows(const float* x, int64_t ld, int64_t row0, int64_t rows, int64_t d, float* out,
                             cudaStream_t stream) {
  if (rows <= 0 || d <= 0) return cudaSuccess;
  const auto blocks = static_cast<unsigned>((rows * d + threads - 1) / threads);
  copy_rows<<<blocks, threads, 0, stream>>>(x, ld, row0, rows, d, out);
  return cudaGetLastError();
}

cudaError_t launch_seed_update(chunk_view x, const float* point, float* min_d2, bool reset, part_layout parts,
                               double* part_sums, cudaStream_t stream) {
  if (x.rows <= 0) return cudaSuccess;
  seed_update<<<parts_in(x.rows, parts.part_rows), threads, 0, stream>>>(x, point, min_d2, reset, parts, part_sums);
  return cudaGetLastError();
}

cudaError_t launch_seed_trial(chunk_view x, const float* points, int nc, const float* min_d2, part_layout parts,
                              double* part_out, cudaStream_t stream) {
  if (nc > seed_trial_max_candidates) return cudaErrorInvalidValue;
  if (x.rows <= 0 || nc <= 0) return cudaSuccess;
  seed_trial<<<parts_in(x.rows, parts.part_rows), threads, 0, stream>>>(x, points, nc, min_d2, parts, part_out);
  return cudaGetLastError();
}

int64_t farthest_scratch_bytes(int64_t) { return static_cast<int64_t>(sizeof(farthest_scratch)); }

cudaError_t launch_farthest_rows(const float* values, int64_t n, int64_t count, void* scratch, int64_t* out_rows,
                                 cudaStream_t stream) {
  if (count > n) return cudaErrorInvalidValue;
  if (count <= 0) return cudaSuccess;
  const auto blocks = static_cast<int>(std::min<int64_t>(farthest_max_blocks, (n + threads - 1) / threads));
  auto* s = static_cast<farthest_scratch*>(scratch);
  for (int64_t round = 0; round < count; ++round) {
    farthest_blocks<<<blocks, threads, 0, stream>>>(values, n, round > 0, s);
    farthest_final<<<1, threads, 0, stream>>>(blocks, s, out_rows + round);
  }
  return cudaGetLastError();
}

cudaError_t launch_column_sums(chunk_view x, part_layout parts, double* part_out, cudaStream_t stream) {
  if (x.rows <= 0 || x.d <= 0) return cudaSuccess;
  column_sums<<<parts_in(x.rows, parts.part_rows), threads, 0, stream>>>(x, parts, part_out);
  return cudaGetLastError();
}

cudaError_t launch_centred_products(chunk_view x, const double* mean, const int32_t* pairs, int64_t npairs,
                                    part_layout parts, double* part_out, cudaStream_t stream) {
  if (x.rows <= 0 || npairs <= 0) return cudaSuccess;
  // Tile rows: 64, fewer for wide data so the tile stays within 48 KB.
  const int64_t fit = (48 * 1024) / (static_cast<int64_t>(sizeof(double)) * x.d);
  const int tr = static_cast<int>(std::max<int64_t>(1, std::min<int64_t>(64, fit)));
  const size_t smem = static_cast<size_t>(tr) * static_cast<size_t>(x.d) * sizeof(double);
  const cudaError_t e = allow_shared(centred_products, smem);
  if (e != cudaSuccess) return e;
  centred_products<<<parts_in(x.rows, parts.part_rows), threads, smem, stream>>>(x, mean, pairs, npairs, parts, tr,
                                                                                 part_out);
  return cudaGetLastError();
}

}  // namespace segmint::cuda::kernels
