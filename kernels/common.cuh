#pragma once
// Device helpers shared by segmint's kernels (nvcc only).
#include <cuda_runtime.h>

#include <cstdint>

#include "launch.hpp"

namespace segmint::cuda::kernels {

/// Threads per block of the row kernels (a power of two: block_sum's tree needs it).
constexpr int block_threads = 256;

/// Sum of one double per thread over the block by a fixed pairwise tree in thread order, so the result
/// does not depend on scheduling. Every thread of the block must call it (it synchronises); `scratch`
/// holds blockDim.x doubles; blockDim.x is a power of two. Returns the sum to every thread.
__device__ inline double block_sum(double v, double* scratch) {
  const int t = static_cast<int>(threadIdx.x);
  scratch[t] = v;
  __syncthreads();
  for (int s = static_cast<int>(blockDim.x) / 2; s > 0; s >>= 1) {
    if (t < s) scratch[t] += scratch[t + s];
    __syncthreads();
  }
  const double total = scratch[0];
  __syncthreads();
  return total;
}

/// Rows [begin, end) of the chunk that block blockIdx.x (one part) covers.
struct part_range {
  int64_t begin;
  int64_t end;
};
__device__ inline part_range block_part(int64_t rows, const part_layout& p) {
  const int64_t begin = static_cast<int64_t>(blockIdx.x) * p.part_rows;
  return {begin, begin + p.part_rows < rows ? begin + p.part_rows : rows};
}

/// Parts (blocks) a chunk of `rows` rows spans.
inline unsigned parts_in(int64_t rows, int64_t part_rows) {
  return static_cast<unsigned>((rows + part_rows - 1) / part_rows);
}

/// Raises a kernel's dynamic shared-memory limit when it needs more than the default 48 KB.
template <typename Kernel>
cudaError_t allow_shared(Kernel kernel, size_t bytes) {
  if (bytes <= 48 * 1024) return cudaSuccess;
  return cudaFuncSetAttribute(kernel, cudaFuncAttributeMaxDynamicSharedMemorySize, static_cast<int>(bytes));
}

/// The largest dynamic shared memory one block may opt in to on the current device (0 on error).
inline size_t shared_optin_bytes() {
  int device = 0;
  int bytes = 0;
  if (cudaGetDevice(&device) != cudaSuccess) return 0;
  if (cudaDeviceGetAttribute(&bytes, cudaDevAttrMaxSharedMemoryPerBlockOptin, device) != cudaSuccess) return 0;
  return static_cast<size_t>(bytes);
}

}  // namespace segmint::cuda::kernels
