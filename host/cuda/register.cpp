#include "../algo/backend_registry.hpp"
#include "devices.hpp"
#include "segmint/cuda.hpp"

#ifndef SEGMINT_CUDA_ARCHITECTURES
#define SEGMINT_CUDA_ARCHITECTURES "unknown"
#endif

namespace segmint::cuda {

void register_backend() {
  segmint::detail::cuda_provider p;
  p.architectures = SEGMINT_CUDA_ARCHITECTURES;
  p.list_devices = [](std::string& status) { return detail::list_devices(status); };
  // The CUDA backend's kernels are not in this version: contexts fall back to the CPU under --backend auto,
  // and --backend cuda reports exit code 3 with that reason.
  segmint::detail::register_cuda_provider(std::move(p));
}

}  // namespace segmint::cuda
