#include "devices.hpp"

#include <cuda_runtime.h>

namespace segmint::cuda::detail {

std::vector<device_info> list_devices(std::string& status) {
  std::vector<device_info> out;
  int count = 0;
  const cudaError_t e = cudaGetDeviceCount(&count);
  if (e != cudaSuccess) {
    status = std::string("no CUDA device (") + cudaGetErrorString(e) + ")";
    cudaGetLastError();  // clear the sticky error so later calls are not affected
    return out;
  }
  for (int i = 0; i < count; ++i) {
    cudaDeviceProp p{};
    if (cudaGetDeviceProperties(&p, i) != cudaSuccess) continue;
    if (p.major < 7) continue;
    out.push_back({i, p.name, static_cast<int64_t>(p.totalGlobalMem), p.multiProcessorCount, p.major, p.minor});
  }
  status = out.empty() ? std::string("no CUDA device with compute capability ≥ 7.0")
                       : std::to_string(out.size()) + (out.size() == 1 ? " device" : " devices");
  return out;
}

}  // namespace segmint::cuda::detail
