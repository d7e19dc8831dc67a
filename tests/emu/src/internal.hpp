#pragma once
// Shared by the emulator's translation units: settings, fatal diagnostics, the allocation table, the
// stream queues.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

#include "cuda_runtime.h"

namespace segmint_emu {

enum class order { forward, reverse, random };

struct settings {
  order run_order = order::forward;  ///< blocks of a grid and threads of a block
  uint64_t seed = 1;                 ///< for order::random
  bool lazy_streams = true;          ///< work runs only when the program forces it
  size_t device_memory = size_t{4} << 30;
  bool no_device = false;
};
/// Read once from the environment (SEGMINT_EMU_*); a malformed value is a fatal error.
const settings& config();

/// Prints "segmint CUDA emulator: <message>" and aborts: the program has a bug a GPU would not forgive.
[[noreturn]] void fail(const std::string& message);
std::string where_text(const site& w);
/// True when two source positions are the same line and column of the same file.
bool same_site(const site& a, const site& b);

// ---- device limits (device.cpp) ----
/// The dynamic shared memory a kernel may use: 48 KB, or what cudaFuncSetAttribute allowed it.
int max_dynamic_shared(const void* entry);
/// sm_90's opt-in limit of static + dynamic shared memory per block (227 KB).
int shared_optin_bytes();

/// Records `e` as the last error (cudaGetLastError) and returns it.
cudaError_t set_error(cudaError_t e);

// ---- memory (memory.cpp) ----
enum class space { device, host_pinned, host_registered };
/// Aborts unless [p, p + bytes) lies inside one live allocation of `s` (device) or, for host memory,
/// returns whether it lies in pinned/registered memory (then checked against it).
void check_device_range(const void* p, size_t bytes, const char* what, const site& w);
bool check_host_range(const void* p, size_t bytes, const char* what, const site& w);

// ---- streams (streams.cpp) ----
/// Enqueues `op` on `s` (the legacy stream when null); eager mode runs it at once.
void enqueue(cudaStream_t s, std::string what, std::function<void()> op);
/// Runs everything enqueued on `s` so far.
void drain(cudaStream_t s);
void drain_all();
bool valid_stream(cudaStream_t s);

}  // namespace segmint_emu
