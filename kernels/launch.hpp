#pragma once
// Typed launchers for segmint's CUDA kernels: raw device pointers, sizes, an explicit stream. Compiled by
// nvcc (kernels/*.cu); declared here so host code (g++) can call them without CUDA headers beyond the runtime.
#include <cuda_runtime.h>

#include <cstdint>

namespace segmint::cuda::kernels {

/// out[i] = Σ_j x[j·n + i]² for a column-major n × d matrix (float accumulation, features in order).
void launch_row_sq_norms(const float* x, int64_t n, int64_t d, float* out, cudaStream_t stream);

}  // namespace segmint::cuda::kernels
