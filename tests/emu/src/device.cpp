// Settings, errors and the emulated device's description (an H100/H200-class sm_90 device, named plainly
// as an emulation so that `segmint info` and every report say what ran).
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <mutex>

#include "internal.hpp"
#include "segmint_emu/control.hpp"

namespace segmint_emu {
namespace {

size_t parse_bytes(const char* text) {
  char* end = nullptr;
  const double v = std::strtod(text, &end);
  double scale = 1;
  if (end != nullptr && *end != '\0') {
    switch (*end) {
      case 'k': case 'K': scale = 1024.0; break;
      case 'm': case 'M': scale = 1024.0 * 1024; break;
      case 'g': case 'G': scale = 1024.0 * 1024 * 1024; break;
      default: fail(std::string("SEGMINT_EMU_DEVICE_MEMORY: cannot read '") + text + "'");
    }
  }
  if (!(v > 0)) fail(std::string("SEGMINT_EMU_DEVICE_MEMORY: cannot read '") + text + "'");
  return static_cast<size_t>(v * scale);
}

settings read_settings() {
  settings s;
  if (const char* o = std::getenv("SEGMINT_EMU_ORDER"); o != nullptr && *o != '\0') {
    if (std::strcmp(o, "forward") == 0) s.run_order = order::forward;
    else if (std::strcmp(o, "reverse") == 0) s.run_order = order::reverse;
    else if (std::strcmp(o, "random") == 0) s.run_order = order::random;
    else fail(std::string("SEGMINT_EMU_ORDER must be forward, reverse or random, not '") + o + "'");
  }
  if (const char* v = std::getenv("SEGMINT_EMU_SEED"); v != nullptr && *v != '\0') s.seed = std::strtoull(v, nullptr, 10);
  if (const char* v = std::getenv("SEGMINT_EMU_STREAMS"); v != nullptr && *v != '\0') {
    if (std::strcmp(v, "lazy") == 0) s.lazy_streams = true;
    else if (std::strcmp(v, "eager") == 0) s.lazy_streams = false;
    else fail(std::string("SEGMINT_EMU_STREAMS must be lazy or eager, not '") + v + "'");
  }
  if (const char* v = std::getenv("SEGMINT_EMU_DEVICE_MEMORY"); v != nullptr && *v != '\0') s.device_memory = parse_bytes(v);
  if (const char* v = std::getenv("SEGMINT_EMU_NO_DEVICE"); v != nullptr && *v != '\0' && std::strcmp(v, "0") != 0)
    s.no_device = true;
  return s;
}

thread_local cudaError_t last_error = cudaSuccess;
int current_device = 0;
std::mutex func_mutex;
std::map<const void*, int> func_max_dynamic_shared;

constexpr int shared_optin = 232448;  // sm_90: 227 KB per block

}  // namespace

namespace {
settings& mutable_config() {
  static settings s = read_settings();
  return s;
}
}  // namespace

const settings& config() { return mutable_config(); }

void set_run_order(int order_code) { mutable_config().run_order = static_cast<order>(order_code); }
void set_lazy_streams(bool lazy) { mutable_config().lazy_streams = lazy; }

void fail(const std::string& message) {
  std::fprintf(stderr, "segmint CUDA emulator: %s\n", message.c_str());
  std::fflush(stderr);
  std::abort();
}

bool same_site(const site& a, const site& b) {
  return a.line() == b.line() && a.column() == b.column() && std::strcmp(a.file_name(), b.file_name()) == 0;
}

std::string where_text(const site& w) {
  return std::string(w.file_name()) + ":" + std::to_string(w.line());
}

cudaError_t set_error(cudaError_t e) {
  if (e != cudaSuccess) last_error = e;
  return e;
}

int max_dynamic_shared(const void* entry) {
  std::lock_guard lock(func_mutex);
  const auto it = func_max_dynamic_shared.find(entry);
  return it == func_max_dynamic_shared.end() ? 48 * 1024 : it->second;
}
int shared_optin_bytes() { return shared_optin; }

}  // namespace segmint_emu

using namespace segmint_emu;

cudaError_t cudaGetLastError() {
  const cudaError_t e = last_error;
  last_error = cudaSuccess;
  return e;
}
cudaError_t cudaPeekAtLastError() { return last_error; }

const char* cudaGetErrorName(cudaError_t e) {
  switch (e) {
    case cudaSuccess: return "cudaSuccess";
    case cudaErrorInvalidValue: return "cudaErrorInvalidValue";
    case cudaErrorMemoryAllocation: return "cudaErrorMemoryAllocation";
    case cudaErrorInitializationError: return "cudaErrorInitializationError";
    case cudaErrorInvalidConfiguration: return "cudaErrorInvalidConfiguration";
    case cudaErrorInvalidSymbol: return "cudaErrorInvalidSymbol";
    case cudaErrorInsufficientDriver: return "cudaErrorInsufficientDriver";
    case cudaErrorInvalidDeviceFunction: return "cudaErrorInvalidDeviceFunction";
    case cudaErrorNoDevice: return "cudaErrorNoDevice";
    case cudaErrorInvalidDevice: return "cudaErrorInvalidDevice";
    case cudaErrorInvalidResourceHandle: return "cudaErrorInvalidResourceHandle";
    case cudaErrorNotReady: return "cudaErrorNotReady";
    case cudaErrorHostMemoryAlreadyRegistered: return "cudaErrorHostMemoryAlreadyRegistered";
    case cudaErrorHostMemoryNotRegistered: return "cudaErrorHostMemoryNotRegistered";
    case cudaErrorLaunchFailure: return "cudaErrorLaunchFailure";
  }
  return "cudaErrorUnknown";
}

const char* cudaGetErrorString(cudaError_t e) {
  switch (e) {
    case cudaSuccess: return "no error";
    case cudaErrorInvalidValue: return "invalid argument";
    case cudaErrorMemoryAllocation: return "out of memory";
    case cudaErrorInvalidConfiguration: return "invalid configuration argument";
    case cudaErrorNoDevice: return "no CUDA-capable device is detected (emulator: SEGMINT_EMU_NO_DEVICE is set)";
    case cudaErrorInvalidDevice: return "invalid device ordinal";
    case cudaErrorInvalidResourceHandle: return "invalid resource handle";
    case cudaErrorHostMemoryAlreadyRegistered: return "part or all of the requested memory range is already mapped";
    case cudaErrorHostMemoryNotRegistered: return "pointer does not correspond to a registered memory region";
    default: return cudaGetErrorName(e);
  }
}

cudaError_t cudaGetDeviceCount(int* count) {
  if (count == nullptr) return set_error(cudaErrorInvalidValue);
  *count = 0;
  if (config().no_device) return set_error(cudaErrorNoDevice);
  *count = 1;
  return cudaSuccess;
}

cudaError_t cudaGetDevice(int* device) {
  if (device == nullptr) return set_error(cudaErrorInvalidValue);
  if (config().no_device) return set_error(cudaErrorNoDevice);
  *device = current_device;
  return cudaSuccess;
}

cudaError_t cudaSetDevice(int device) {
  if (config().no_device) return set_error(cudaErrorNoDevice);
  if (device != 0) return set_error(cudaErrorInvalidDevice);
  current_device = device;
  return cudaSuccess;
}

cudaError_t cudaGetDeviceProperties(cudaDeviceProp* p, int device) {
  if (config().no_device) return set_error(cudaErrorNoDevice);
  if (device != 0 || p == nullptr) return set_error(device != 0 ? cudaErrorInvalidDevice : cudaErrorInvalidValue);
  *p = cudaDeviceProp{};
  std::snprintf(p->name, sizeof p->name, "EMULATED sm_90 device (segmint CUDA emulator on the CPU, not a GPU)");
  p->totalGlobalMem = config().device_memory;
  p->sharedMemPerBlock = 48 * 1024;
  p->sharedMemPerBlockOptin = static_cast<size_t>(shared_optin);
  p->regsPerBlock = 65536;
  p->warpSize = 32;
  p->maxThreadsPerBlock = 1024;
  p->maxThreadsDim[0] = p->maxThreadsDim[1] = 1024;
  p->maxThreadsDim[2] = 64;
  p->maxGridSize[0] = 2147483647;
  p->maxGridSize[1] = p->maxGridSize[2] = 65535;
  p->clockRate = 0;  // no clocks: an emulation has no peak bandwidth or FLOP rate to report
  p->multiProcessorCount = 132;
  p->major = 9;
  p->minor = 0;
  p->memoryClockRate = 0;
  p->memoryBusWidth = 0;
  p->l2CacheSize = 50 << 20;
  return cudaSuccess;
}

cudaError_t cudaDeviceGetAttribute(int* value, cudaDeviceAttr attr, int device) {
  cudaDeviceProp p{};
  if (const cudaError_t e = cudaGetDeviceProperties(&p, device); e != cudaSuccess) return e;
  if (value == nullptr) return set_error(cudaErrorInvalidValue);
  switch (attr) {
    case cudaDevAttrMaxThreadsPerBlock: *value = p.maxThreadsPerBlock; break;
    case cudaDevAttrMaxSharedMemoryPerBlock: *value = static_cast<int>(p.sharedMemPerBlock); break;
    case cudaDevAttrClockRate: *value = p.clockRate; break;
    case cudaDevAttrMultiProcessorCount: *value = p.multiProcessorCount; break;
    case cudaDevAttrMemoryClockRate: *value = p.memoryClockRate; break;
    case cudaDevAttrGlobalMemoryBusWidth: *value = p.memoryBusWidth; break;
    case cudaDevAttrMaxSharedMemoryPerBlockOptin: *value = static_cast<int>(p.sharedMemPerBlockOptin); break;
    default: return set_error(cudaErrorInvalidValue);
  }
  return cudaSuccess;
}

cudaError_t cudaFuncSetAttribute(const void* entry, cudaFuncAttribute attr, int value) {
  if (entry == nullptr) return set_error(cudaErrorInvalidDeviceFunction);
  if (attr != cudaFuncAttributeMaxDynamicSharedMemorySize || value < 0 || value > shared_optin)
    return set_error(cudaErrorInvalidValue);
  std::lock_guard lock(func_mutex);
  func_max_dynamic_shared[entry] = value;
  return cudaSuccess;
}

cudaError_t cudaDeviceSynchronize() {
  drain_all();
  return cudaSuccess;
}

cudaError_t cudaDeviceReset() {
  drain_all();
  return cudaSuccess;
}
