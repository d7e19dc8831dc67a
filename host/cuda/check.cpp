#include "check.hpp"

namespace segmint::cuda::detail {

void throw_cuda(cudaError_t e, const char* call, const char* file, int line) {
  // Reset the runtime's last-error state: a handled failure (an allocation that falls back to streaming)
  // must not resurface at the next launch check. Sticky errors (a faulted context) stay sticky anyway.
  (void)cudaGetLastError();
  const std::string where = std::string(" (") + call + " at " + file + ":" + std::to_string(line) + ")";
  if (e == cudaErrorMemoryAllocation) throw device_memory_error(std::string("CUDA out of memory") + where);
  if (e == cudaErrorNoDevice || e == cudaErrorInsufficientDriver)
    throw segmint::backend_unavailable_error(std::string("CUDA unavailable: ") + cudaGetErrorString(e) + where);
  throw segmint::error(std::string("CUDA error: ") + cudaGetErrorString(e) + where);
}

void throw_cublas(cublasStatus_t s, const char* call, const char* file, int line) {
  throw segmint::error(std::string("cuBLAS error: ") + cublasGetStatusString(s) + " (" + call + " at " + file + ":" +
                       std::to_string(line) + ")");
}

}  // namespace segmint::cuda::detail
