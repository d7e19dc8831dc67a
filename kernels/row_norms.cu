// Squared row norms of a column-major matrix: one thread per row, coalesced reads along each column.
#include "launch.hpp"

namespace segmint::cuda::kernels {
namespace {

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

}  // namespace

void launch_row_sq_norms(const float* x, int64_t n, int64_t d, float* out, cudaStream_t stream) {
  if (n == 0) return;
  constexpr int threads = 256;
  const auto blocks = static_cast<unsigned>((n + threads - 1) / threads);
  row_sq_norms<<<blocks, threads, 0, stream>>>(x, n, d, out);
}

}  // namespace segmint::cuda::kernels
