#pragma once
// Kernels with the classic bugs the emulator must catch (and a correct twin for each), for its self-tests.
#include <cuda_runtime.h>

namespace segmint_emu_selftest {

/// Sum of 256 floats by a shared-memory tree; `barrier` false drops the barrier inside the loop.
cudaError_t launch_block_sum(const float* in, float* out, bool barrier, cudaStream_t s);
/// __ballot_sync(full mask) called by lanes 0..lanes-1 only (lanes = 32 is correct).
cudaError_t launch_vote(unsigned* out, int lanes, cudaStream_t s);
/// Copies 256 floats through a shared tile of `tile` elements (255: one element short).
cudaError_t launch_tile_copy(const float* in, float* out, int tile, cudaStream_t s);
/// out[i] = in[i] · 2 for 256 floats (one block).
cudaError_t launch_double(const float* in, float* out, cudaStream_t s);
/// The same with `threads` threads in one block (for launch-configuration errors).
cudaError_t launch_double_threads(const float* in, float* out, int threads, cudaStream_t s);
/// Threads < half wait at one __syncthreads, the others at another.
cudaError_t launch_split_barrier(float* out, cudaStream_t s);
/// Threads ≥ 128 return before a __syncthreads the others reach.
cudaError_t launch_early_exit_barrier(float* out, cudaStream_t s);
/// Lanes 0-15 call __ballot_sync, lanes 16-31 __any_sync, with the full mask.
cudaError_t launch_mismatched_collectives(unsigned* out, cudaStream_t s);
/// Reads `bytes` of dynamic shared memory (without raising the kernel's limit).
cudaError_t launch_dynamic_shared(float* out, size_t bytes, bool raise_limit, cudaStream_t s);
/// out[0] = the first word of a never-written __shared__ float (the poison).
cudaError_t launch_read_uninitialised(float* out, cudaStream_t s);
/// Warp shuffles: out[i] = lane (i+1)%32's value via __shfl_sync, and a __shfl_down_sync reduction of 1s.
cudaError_t launch_shuffles(int* rotated, int* reduced, cudaStream_t s);

}  // namespace segmint_emu_selftest
