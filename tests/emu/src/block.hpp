#pragma once
// The state of one executing thread block: its threads (fibers), their waits, and its shared memory.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "internal.hpp"

namespace segmint_emu {

enum class thread_state { ready, barrier, collective, exited };

struct gpu_thread {
  uint3 idx{};
  int linear = 0;
  thread_state state = thread_state::ready;
  site where{};  ///< where it waits
  uint64_t generation = 0;      ///< barrier or warp generation it waits in
  collective kind = collective::ballot;
  unsigned mask = 0;
  uint64_t value = 0;
  int arg = 0;
  int width = 32;
  uint64_t result = 0;
};

struct shared_region {
  site where{};
  std::byte* memory = nullptr;
  size_t bytes = 0;
  bool dynamic = false;
};

struct block_run {
  const kernel_site* kernel = nullptr;
  const std::function<void()>* body = nullptr;
  dim3 grid;
  dim3 dim;
  uint3 index{};
  std::vector<gpu_thread> threads;
  int exited = 0;
  uint64_t barrier_generation = 0;
  std::vector<uint64_t> warp_generation;
  // ThreadSanitizer sync objects (addresses only): barrier generations alternate between two.
  char barrier_sync[2] = {};
  std::vector<char> warp_sync;  ///< 2 per warp
  char shared_sync = 0;
  std::vector<shared_region> shared;
  size_t static_bytes = 0;
  size_t dynamic_bytes = 0;

  [[nodiscard]] std::string where() const;  ///< "kernel `k` (launched at f:l), block (x,y,z)"
  [[nodiscard]] std::string thread_name(int linear) const;
};

/// The block the calling fiber belongs to (scheduler.cpp); null outside a kernel.
block_run* running_block();

/// Shared memory regions: poisoned, with a canary after each (plain builds) or ASan's redzones.
std::byte* allocate_shared(size_t bytes);
/// Aborts when a region's canary was overwritten; frees it.
void release_shared(const block_run& b, const shared_region& r);

}  // namespace segmint_emu
