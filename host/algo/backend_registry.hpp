#pragma once
// How the CUDA backend (a separate library, linked only into programs that want it) makes itself known
// to the context without the core library depending on CUDA: the program calls
// segmint::cuda::register_backend() at start-up, which registers a provider here.
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "backend.hpp"
#include "segmint/context.hpp"

namespace segmint::detail {

struct cuda_provider {
  std::string architectures;  ///< what the kernels were compiled for, e.g. "80-virtual;90-real"
  /// Visible devices; `status` says how many, or why none can be used (no driver, no device...).
  std::function<std::vector<device_info>(std::string& status)> list_devices;
  std::function<std::unique_ptr<backend>(const context_options&)> create;
};

void register_cuda_provider(cuda_provider provider);
const cuda_provider* registered_cuda_provider();

}  // namespace segmint::detail
