// Deliberately broken kernels (and correct twins) that the CUDA emulator's self-tests run: each bug must be
// caught, or the checker is not a checker. Compiled like segmint's kernels (rewrite_cu.py), never shipped.
#include "broken_kernels.hpp"

namespace segmint_emu_selftest {
namespace {

__global__ void block_sum(const float* in, float* out, bool barrier) {
  __shared__ float s[256];
  const int t = static_cast<int>(threadIdx.x);
  s[t] = in[t];
  __syncthreads();
  for (int k = 128; k > 0; k >>= 1) {
    if (t < k) s[t] += s[t + k];
    if (barrier) __syncthreads();
  }
  if (t == 0) *out = s[0];
}

__global__ void vote(unsigned* out, int lanes) {
  if (static_cast<int>(threadIdx.x) < lanes) out[threadIdx.x] = __ballot_sync(0xffffffffu, threadIdx.x % 2);
}

__global__ void tile_copy(const float* in, float* out, int tile) {
  __shared__ float t255[255];
  __shared__ float t256[256];
  float* s = tile == 255 ? t255 : t256;
  s[threadIdx.x] = in[threadIdx.x];
  __syncthreads();
  out[threadIdx.x] = s[255 - threadIdx.x < static_cast<unsigned>(tile) ? 255 - threadIdx.x : 0];
}

__global__ void twice(const float* in, float* out) { out[threadIdx.x] = 2.0f * in[threadIdx.x]; }

__global__ void split_barrier(float* out) {
  if (threadIdx.x < blockDim.x / 2) {
    __syncthreads();
  } else {
    __syncthreads();
  }
  out[threadIdx.x] = 1.0f;
}

__global__ void early_exit_barrier(float* out) {
  if (threadIdx.x >= 128) return;
  __syncthreads();
  out[threadIdx.x] = 1.0f;
}

__global__ void mismatched(unsigned* out) {
  if (threadIdx.x < 16) out[threadIdx.x] = __ballot_sync(0xffffffffu, 1);
  else out[threadIdx.x] = static_cast<unsigned>(__any_sync(0xffffffffu, 1));
}

__global__ void dynamic_shared(float* out, size_t count) {
  extern __shared__ float area[];
  for (size_t i = threadIdx.x; i < count; i += blockDim.x) area[i] = static_cast<float>(i);
  __syncthreads();
  if (threadIdx.x == 0) *out = area[count - 1];
}

__global__ void read_uninitialised(float* out) {
  __shared__ float never_written[4];
  if (threadIdx.x == 0) *out = never_written[1];
}

__global__ void shuffles(int* rotated, int* reduced) {
  const int lane = static_cast<int>(threadIdx.x) % 32;
  rotated[threadIdx.x] = __shfl_sync(0xffffffffu, lane * 10, (lane + 1) % 32);
  int v = 1;
  for (int offset = 16; offset > 0; offset /= 2) v += __shfl_down_sync(0xffffffffu, v, offset);
  if (lane == 0) reduced[threadIdx.x / 32] = v;
}

}  // namespace

cudaError_t launch_block_sum(const float* in, float* out, bool barrier, cudaStream_t s) {
  block_sum<<<1, 256, 0, s>>>(in, out, barrier);
  return cudaGetLastError();
}
cudaError_t launch_vote(unsigned* out, int lanes, cudaStream_t s) {
  vote<<<1, 32, 0, s>>>(out, lanes);
  return cudaGetLastError();
}
cudaError_t launch_tile_copy(const float* in, float* out, int tile, cudaStream_t s) {
  tile_copy<<<1, 256, 0, s>>>(in, out, tile);
  return cudaGetLastError();
}
cudaError_t launch_double(const float* in, float* out, cudaStream_t s) {
  twice<<<1, 256, 0, s>>>(in, out);
  return cudaGetLastError();
}
cudaError_t launch_double_threads(const float* in, float* out, int threads, cudaStream_t s) {
  twice<<<1, threads, 0, s>>>(in, out);
  return cudaGetLastError();
}
cudaError_t launch_split_barrier(float* out, cudaStream_t s) {
  split_barrier<<<2, 256, 0, s>>>(out);
  return cudaGetLastError();
}
cudaError_t launch_early_exit_barrier(float* out, cudaStream_t s) {
  early_exit_barrier<<<1, 256, 0, s>>>(out);
  return cudaGetLastError();
}
cudaError_t launch_mismatched_collectives(unsigned* out, cudaStream_t s) {
  mismatched<<<1, 32, 0, s>>>(out);
  return cudaGetLastError();
}
cudaError_t launch_dynamic_shared(float* out, size_t bytes, bool raise_limit, cudaStream_t s) {
  if (raise_limit) {
    const cudaError_t e = cudaFuncSetAttribute(dynamic_shared, cudaFuncAttributeMaxDynamicSharedMemorySize,
                                               static_cast<int>(bytes));
    if (e != cudaSuccess) return e;
  }
  dynamic_shared<<<1, 256, bytes, s>>>(out, bytes / sizeof(float));
  return cudaGetLastError();
}
cudaError_t launch_read_uninitialised(float* out, cudaStream_t s) {
  read_uninitialised<<<1, 32, 0, s>>>(out);
  return cudaGetLastError();
}
cudaError_t launch_shuffles(int* rotated, int* reduced, cudaStream_t s) {
  shuffles<<<1, 64, 0, s>>>(rotated, reduced);
  return cudaGetLastError();
}

}  // namespace segmint_emu_selftest
