#pragma once
// Checked CUDA and cuBLAS calls. A failure throws segmint::error naming the call, file and line;
// the *_NOTHROW form (for destructors) reports to stderr instead.
#include <cublas_v2.h>
#include <cuda_runtime.h>

#include <cstdio>
#include <string>

#include "segmint/error.hpp"

namespace segmint::cuda {

/// The device (or page-locked host) memory ran out. The backend catches it where it has a fallback (a table
/// that does not fit is streamed instead); elsewhere it reaches the user as a clear one-line error.
class device_memory_error : public segmint::error {
 public:
  using error::error;
};

}  // namespace segmint::cuda

namespace segmint::cuda::detail {

[[noreturn]] void throw_cuda(cudaError_t e, const char* call, const char* file, int line);
[[noreturn]] void throw_cublas(cublasStatus_t s, const char* call, const char* file, int line);

}  // namespace segmint::cuda::detail

#define SEGMINT_CUDA_TRY(call)                                                           \
  do {                                                                                   \
    const cudaError_t segmint_err_ = (call);                                             \
    if (segmint_err_ != cudaSuccess)                                                     \
      ::segmint::cuda::detail::throw_cuda(segmint_err_, #call, __FILE__, __LINE__);      \
  } while (0)

#define SEGMINT_CUDA_TRY_NOTHROW(call)                                                                    \
  do {                                                                                                    \
    const cudaError_t segmint_err_ = (call);                                                              \
    if (segmint_err_ != cudaSuccess)                                                                      \
      std::fprintf(stderr, "segmint: %s failed: %s (%s:%d)\n", #call, cudaGetErrorString(segmint_err_), \
                   __FILE__, __LINE__);                                                                   \
  } while (0)

/// After a kernel launch: launch-configuration errors surface here (no synchronisation).
#define SEGMINT_CUDA_CHECK_LAUNCH() SEGMINT_CUDA_TRY(cudaGetLastError())

#define SEGMINT_CUBLAS_TRY(call)                                                         \
  do {                                                                                   \
    const cublasStatus_t segmint_st_ = (call);                                           \
    if (segmint_st_ != CUBLAS_STATUS_SUCCESS)                                            \
      ::segmint::cuda::detail::throw_cublas(segmint_st_, #call, __FILE__, __LINE__);     \
  } while (0)
