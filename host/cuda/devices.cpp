#include "devices.hpp"

#include <cuda_runtime.h>

namespace segmint::cuda::detail {
namespace {

/// FP32 lanes per SM (CUDA C Programming Guide, arithmetic instruction throughput).
int fp32_lanes_per_sm(int major, int minor) {
  if (major == 8 && minor == 0) return 64;  // A100
  if (major >= 8) return 128;               // 8.6, 8.9, 9.0 (H100/H200), 10.x, 12.x
  return 64;                                // 7.x
}

}  // namespace

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
    device_info info{i, p.name, static_cast<int64_t>(p.totalGlobalMem), p.multiProcessorCount, p.major, p.minor};
    int memory_khz = 0;
    int sm_khz = 0;
    if (cudaDeviceGetAttribute(&memory_khz, cudaDevAttrMemoryClockRate, i) == cudaSuccess && p.memoryBusWidth > 0)
      info.memory_bandwidth = 2.0 * memory_khz * 1e3 * p.memoryBusWidth / 8.0;  // double data rate
    if (cudaDeviceGetAttribute(&sm_khz, cudaDevAttrClockRate, i) == cudaSuccess)
      info.fp32_flops = 2.0 * fp32_lanes_per_sm(p.major, p.minor) * p.multiProcessorCount * sm_khz * 1e3;
    cudaGetLastError();  // an attribute the driver lacks is not an error here
    out.push_back(info);
  }
  status = out.empty() ? std::string("no CUDA device with compute capability ≥ 7.0")
                       : std::to_string(out.size()) + (out.size() == 1 ? " device" : " devices");
  return out;
}

}  // namespace segmint::cuda::detail
