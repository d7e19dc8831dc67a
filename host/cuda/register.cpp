#include "../algo/backend_registry.hpp"
#include "cuda_backend.hpp"
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
  // --backend auto picks this when a device is visible; --backend cuda without one is exit 3 (context.cpp).
  p.create = [](const context_options& options) { return detail::make_backend(options); };
  segmint::detail::register_cuda_provider(std::move(p));
}

}  // namespace segmint::cuda
