// K-Means on the device: the per-part label sums (fused with the assignment for small k, from given labels
// otherwise), the dispersion sums, the assignment after a GEMM (large k) and the part combiner.
//
// part_sums mapping: grid (parts in the chunk, cluster slices), block = `tile` threads; a block walks its
// part in tiles of `tile` rows (thread t labels row t of the tile), then builds one bit mask of the tile's
// rows per cluster of its slice, and each accumulator (cluster c, value column j) is owned by ONE thread
// that adds the rows of its cluster in increasing row order (set bits, low to high). No floating-point
// atomics: every sum has a fixed order, so the result is bitwise repeatable; the part partition does not
// depend on streaming, so resident and streamed runs agree bit for bit.
#include <cuda_runtime.h>

#include <cmath>
#include <cstdint>

#include "common.cuh"

namespace segmint::cuda::kernels {
namespace {

constexpr int tile = block_threads;  // rows per tile = threads per block
constexpr int words = tile / 32;     // mask words per cluster per tile
constexpr int group = 8;             // centroids per register group in the fused distance loop
constexpr int slice_acc_doubles = 4096;  // accumulators per block (32 KB of shared memory)

// ---- the values summed per label ----
struct data_values {  // the data columns
  chunk_view x;
  __device__ double operator()(int64_t j, int64_t row, float) const {
    return static_cast<double>(x.x[j * x.ld + row]);
  }
};
struct dispersion_values {  // column 0: the squared distance; column 1: the distance
  __device__ double operator()(int64_t j, int64_t, float sq) const {
    const double v = static_cast<double>(sq);
    return j == 0 ? v : sqrt(v);
  }
};

// ---- where each row's label comes from; label() returns whether a written label changed ----
struct given_labels {
  const int32_t* labels;
  const float* sq_dist;  // may be null
  int k;
  __device__ void prepare(float*) const {}
  __device__ bool label(int64_t row, bool, const float*, int& l, float& sq) const {
    const int32_t v = labels[row];
    l = (v >= 0 && v < k) ? v : -1;
    sq = sq_dist != nullptr ? sq_dist[row] : 0.0f;
    return false;
  }
};

struct fused_assign {
  chunk_view x;
  const float* centroids;  // k × d column-major (global)
  int k;
  int k_pad;  // k rounded up to `group`; padding centroids are zeros and never win
  int32_t* labels;
  float* sq_dist;
  // Copies the centroids to shared memory as [j·k_pad + c] (the caller synchronises before use).
  __device__ void prepare(float* sc) const {
    for (int64_t e = threadIdx.x; e < x.d * k_pad; e += blockDim.x) {
      const int64_t j = e / k_pad;
      const int c = static_cast<int>(e % k_pad);
      sc[e] = c < k ? centroids[j * k + c] : 0.0f;
    }
  }
  // Σ_j (x_j − c_j)² as an fmaf chain in feature order (the CPU kernel's arithmetic); strict < keeps the
  // lower index on ties; a row whose distances are all NaN keeps label 0 at +∞ (as the CPU).
  __device__ bool label(int64_t row, bool write, const float* sc, int& l, float& sq) const {
    float best = INFINITY;
    int best_c = 0;
    for (int c0 = 0; c0 < k_pad; c0 += group) {
      float acc[group];
#pragma unroll
      for (int g = 0; g < group; ++g) acc[g] = 0.0f;
      for (int64_t j = 0; j < x.d; ++j) {
        const float xj = x.x[j * x.ld + row];
        const float* cj = sc + j * k_pad + c0;
#pragma unroll
        for (int g = 0; g < group; ++g) {
          const float diff = xj - cj[g];
          acc[g] = fmaf(diff, diff, acc[g]);
        }
      }
#pragma unroll
      for (int g = 0; g < group; ++g) {
        if (c0 + g < k && acc[g] < best) {
          best = acc[g];
          best_c = c0 + g;
        }
      }
    }
    l = best_c;
    sq = best;
    if (!write) return false;
    const int32_t old = labels[row];
    labels[row] = best_c;
    sq_dist[row] = best;
    return old != best_c;
  }
};

struct dispersion_labels {
  chunk_view x;
  const int32_t* labels;
  const float* centres;  // k × d column-major
  int k;
  __device__ void prepare(float*) const {}
  // Squared distance to the row's own centre in float without FMA (the CPU's statistics.cpp arithmetic).
  __device__ bool label(int64_t row, bool, const float*, int& l, float& sq) const {
    const int32_t v = labels[row];
    l = -1;
    sq = 0.0f;
    if (v < 0 || v >= k) return false;
    float acc = 0.0f;
    for (int64_t j = 0; j < x.d; ++j) {
      const float diff = x.x[j * x.ld + row] - centres[j * k + v];
      acc = __fadd_rn(acc, __fmul_rn(diff, diff));
    }
    l = v;
    sq = acc;
    return false;
  }
};

// One part per blockIdx.x, clusters [blockIdx.y·slice_k, +slice_k) per blockIdx.y. Slice 0 also writes
// the labels (fused), the inertia and the changed-label count. Shared memory: accumulators (slice_k ×
// (ncols + 1) doubles, the last column counting rows), the inertia tree, masks, the tile's squared
// distances, then the labeler's data (the centroids for the fused assignment).
template <class Labeler, class Values>
__global__ void __launch_bounds__(tile) part_sums(Labeler lab, Values val, int64_t rows, part_layout parts, int k,
                                                  int ncols, int slice_k, double* part_out,
                                                  unsigned long long* changed) {
  extern __shared__ double smem[];
  __shared__ unsigned block_changed;
  const int t = static_cast<int>(threadIdx.x);
  const int c_lo = static_cast<int>(blockIdx.y) * slice_k;
  const int kc = min(k - c_lo, slice_k);
  const int width = ncols + 1;
  const int nacc = kc * width;
  double* acc = smem;
  double* red = acc + static_cast<int64_t>(slice_k) * width;
  auto* masks = reinterpret_cast<uint32_t*>(red + tile);
  auto* tsq = reinterpret_cast<float*>(masks + slice_k * words);
  float* extra = tsq + tile;
  const bool owner = blockIdx.y == 0;
  if (t == 0) block_changed = 0;
  lab.prepare(extra);
  for (int e = t; e < nacc; e += tile) acc[e] = 0.0;
  const part_range pr = block_part(rows, parts);
  double inertia = 0.0;  // this thread's rows, in tile order
  __syncthreads();
  for (int64_t t0 = pr.begin; t0 < pr.end; t0 += tile) {
    const int64_t row = t0 + t;
    int l = -1;
    float sq = 0.0f;
    bool moved = false;
    if (row < pr.end) {
      moved = lab.label(row, owner, extra, l, sq);
      inertia += static_cast<double>(sq);
    }
    const unsigned moved_bits = __ballot_sync(0xffffffffu, moved);
    if ((t & 31) == 0 && moved_bits != 0) atomicAdd(&block_changed, static_cast<unsigned>(__popc(moved_bits)));
    tsq[t] = sq;
    for (int e = t; e < kc * words; e += tile) masks[e] = 0u;
    __syncthreads();
    if (l >= c_lo && l < c_lo + kc) atomicOr(&masks[(l - c_lo) * words + t / 32], 1u << (t & 31));
    __syncthreads();
    for (int e = t; e < nacc; e += tile) {
      const int c = e / width;
      const int j = e % width;
      const uint32_t* mc = masks + c * words;
      double a = acc[e];
      if (j == ncols) {
        int count = 0;
        for (int w = 0; w < words; ++w) count += __popc(mc[w]);
        a += static_cast<double>(count);
      } else {
        for (int w = 0; w < words; ++w) {
          for (uint32_t bits = mc[w]; bits != 0; bits &= bits - 1) {
            const int r = w * 32 + __ffs(static_cast<int>(bits)) - 1;
            a += val(j, t0 + r, tsq[r]);
          }
        }
      }
      acc[e] = a;
    }
    __syncthreads();
  }
  double* out = part_out + (parts.first_part + blockIdx.x) * kmeans_part_stride(k, ncols);
  for (int e = t; e < nacc; e += tile) {
    const int c = c_lo + e / width;
    const int j = e % width;
    out[j < ncols ? static_cast<int64_t>(j) * k + c : static_cast<int64_t>(k) * ncols + c] = acc[e];
  }
  const double total = block_sum(inertia, red);
  if (owner && t == 0) {
    out[static_cast<int64_t>(k) * ncols + k] = total;
    if (changed != nullptr && block_changed != 0) atomicAdd(changed, static_cast<unsigned long long>(block_changed));
  }
}

template <class Labeler, class Values>
cudaError_t launch_part_sums(const Labeler& lab, const Values& val, int64_t rows, part_layout parts, int k, int ncols,
                             size_t extra_bytes, double* part_out, unsigned long long* changed, cudaStream_t stream) {
  if (rows <= 0 || k <= 0) return cudaSuccess;
  const int slice_k = max(1, min(k, slice_acc_doubles / (ncols + 1)));
  const int slices = (k + slice_k - 1) / slice_k;
  if (slices > 65535) return cudaErrorInvalidValue;
  const size_t smem = (static_cast<size_t>(slice_k) * (ncols + 1) + tile) * sizeof(double) +
                      static_cast<size_t>(slice_k) * words * sizeof(uint32_t) + tile * sizeof(float) + extra_bytes;
  auto kernel = part_sums<Labeler, Values>;
  const cudaError_t e = allow_shared(kernel, smem);
  if (e != cudaSuccess) return e;
  const dim3 grid(parts_in(rows, parts.part_rows), static_cast<unsigned>(slices));
  kernel<<<grid, tile, smem, stream>>>(lab, val, rows, parts, k, ncols, slice_k, part_out, changed);
  return cudaGetLastError();
}

// One thread per row of a GEMM tile (products = x_tile · centroidsᵀ, rows × k). The argmin over k is a
// sequential loop per thread (ties → lower index); the changed count is integer (warp ballots, then one
// atomic per block), so it is exact.
__global__ void assign_from_products(const float* x, int64_t rows, int64_t d, const float* products,
                                     const float* centroids, const float* cnorm, int k, int32_t* labels,
                                     float* sq_dist, unsigned long long* changed) {
  __shared__ unsigned block_changed;
  if (threadIdx.x == 0) block_changed = 0;
  __syncthreads();
  const int64_t i = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
  bool moved = false;
  if (i < rows) {
    float xn = 0.0f;
    for (int64_t j = 0; j < d; ++j) xn = fmaf(x[j * rows + i], x[j * rows + i], xn);
    float best = INFINITY;
    int best_c = 0;
    for (int c = 0; c < k; ++c) {
      const float dist = (xn + cnorm[c]) - 2.0f * products[static_cast<int64_t>(c) * rows + i];
      if (dist < best) {
        best = dist;
        best_c = c;
      }
    }
    float sq = INFINITY;  // as the CPU when no centroid compares lower than +∞ (NaN rows)
    if (best < INFINITY) {
      sq = 0.0f;
      for (int64_t j = 0; j < d; ++j) {
        const float diff = x[j * rows + i] - centroids[j * k + best_c];
        sq = fmaf(diff, diff, sq);
      }
    }
    moved = labels[i] != best_c;
    labels[i] = best_c;
    sq_dist[i] = sq;
  }
  const unsigned bits = __ballot_sync(0xffffffffu, moved);
  if ((threadIdx.x & 31) == 0 && bits != 0) atomicAdd(&block_changed, static_cast<unsigned>(__popc(bits)));
  __syncthreads();
  if (threadIdx.x == 0 && block_changed != 0) atomicAdd(changed, static_cast<unsigned long long>(block_changed));
}

// One thread per output element; each sums its column of the part table in part order.
__global__ void combine_parts(const double* parts, int64_t nparts, int64_t stride, int64_t count, double* out) {
  const int64_t e = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
  if (e >= count) return;
  double s = 0.0;
  for (int64_t p = 0; p < nparts; ++p) s += parts[p * stride + e];
  out[e] = s;
}

}  // namespace

cudaError_t launch_combine_parts(const double* parts, int64_t nparts, int64_t stride, int64_t count, double* out,
                                 cudaStream_t stream) {
  if (count <= 0) return cudaSuccess;
  const auto blocks = static_cast<unsigned>((count + tile - 1) / tile);
  combine_parts<<<blocks, tile, 0, stream>>>(parts, nparts, stride, count, out);
  return cudaGetLastError();
}

cudaError_t launch_assign_fused(chunk_view x, const float* centroids, int k, int32_t* labels, float* sq_dist,
                                unsigned long long* changed, part_layout parts, double* part_out, cudaStream_t stream) {
  const int k_pad = (k + group - 1) / group * group;
  const fused_assign lab{x, centroids, k, k_pad, labels, sq_dist};
  const size_t extra = static_cast<size_t>(k_pad) * static_cast<size_t>(x.d) * sizeof(float);
  return launch_part_sums(lab, data_values{x}, x.rows, parts, k, static_cast<int>(x.d), extra, part_out, changed, stream);
}

cudaError_t launch_label_sums(chunk_view x, const int32_t* labels, const float* sq_dist, int k, part_layout parts,
                              double* part_out, cudaStream_t stream) {
  const given_labels lab{labels, sq_dist, k};
  return launch_part_sums(lab, data_values{x}, x.rows, parts, k, static_cast<int>(x.d), 0, part_out, nullptr, stream);
}

cudaError_t launch_dispersion_sums(chunk_view x, const int32_t* labels, const float* centres, int k, part_layout parts,
                                   double* part_out, cudaStream_t stream) {
  const dispersion_labels lab{x, labels, centres, k};
  return launch_part_sums(lab, dispersion_values{}, x.rows, parts, k, 2, 0, part_out, nullptr, stream);
}

cudaError_t launch_assign_from_products(const float* x_tile, int64_t rows, int64_t d, const float* products,
                                        const float* centroids, const float* centroid_norms, int k, int32_t* labels,
                                        float* sq_dist, unsigned long long* changed, cudaStream_t stream) {
  if (rows <= 0) return cudaSuccess;
  const auto blocks = static_cast<unsigned>((rows + tile - 1) / tile);
  assign_from_products<<<blocks, tile, 0, stream>>>(x_tile, rows, d, products, centroids, centroid_norms, k, labels,
                                                    sq_dist, changed);
  return cudaGetLastError();
}

}  // namespace segmint::cuda::kernels
