// Shared memory of a block: each __shared__ variable and the dynamic area is its own poisoned region, so a
// read of what no thread wrote is NaN/garbage and a write past the end is caught (ASan's redzones in the
// sanitizer builds, a canary checked when the block ends otherwise). The static 48 KB and the opt-in
// dynamic limits are those of sm_90.
#include <cstdlib>
#include <cstring>

#include "block.hpp"
#include "fiber.hpp"

namespace segmint_emu {


namespace {
#if SEGMINT_EMU_ASAN
constexpr size_t canary_bytes = 0;  // ASan's redzone sits right after the region
#else
constexpr size_t canary_bytes = 64;
#endif
constexpr unsigned char canary = 0xCD;
constexpr size_t static_limit = 48 * 1024;

}  // namespace

std::byte* allocate_shared(size_t bytes) {
  auto* p = static_cast<std::byte*>(std::malloc(std::max<size_t>(bytes + canary_bytes, 1)));
  if (p == nullptr) fail("out of host memory for shared memory");
  std::memset(p, 0xFF, bytes);
  std::memset(p + bytes, canary, canary_bytes);
  return p;
}

void release_shared(const block_run& b, const shared_region& r) {
  for (size_t i = 0; i < canary_bytes; ++i) {
    if (static_cast<unsigned char>(r.memory[r.bytes + i]) != canary)
      fail(b.where() + ": a write past the end of " +
           (r.dynamic ? std::string("the dynamic shared memory (") + std::to_string(r.bytes) + " bytes)"
                      : "the __shared__ variable declared at " + where_text(r.where) + " (" +
                            std::to_string(r.bytes) + " bytes)") +
           ", " + std::to_string(i) + " bytes beyond it");
  }
  std::free(r.memory);
}

void* shared_static_bytes(size_t bytes, size_t align, site where) {
  block_run* b = running_block();
  if (b == nullptr) fail("__shared__ variable at " + where_text(where) + " used outside a kernel");
  for (const shared_region& r : b->shared) {
    if (!r.dynamic && same_site(r.where, where)) {
      tsan_acquire(&b->shared_sync);
      return r.memory;
    }
  }
  if (align > 16) fail("__shared__ variable at " + where_text(where) + ": alignment above 16 bytes is not emulated");
  b->static_bytes += bytes;
  if (b->static_bytes > static_limit)
    fail(b->where() + ": static shared memory reaches " + std::to_string(b->static_bytes) +
         " bytes with the variable declared at " + where_text(where) + " (sm_90 allows 48 KB; ptxas would refuse it)");
  if (b->static_bytes + b->dynamic_bytes > static_cast<size_t>(shared_optin_bytes()))
    fail(b->where() + ": static + dynamic shared memory exceed the 227 KB a block may have");
  b->shared.push_back({where, allocate_shared(bytes), bytes, false});
  tsan_release(&b->shared_sync);
  return b->shared.back().memory;
}

void* shared_dynamic_bytes(site where) {
  block_run* b = running_block();
  if (b == nullptr) fail("extern __shared__ array at " + where_text(where) + " used outside a kernel");
  for (const shared_region& r : b->shared)
    if (r.dynamic) return r.memory;
  fail("internal: the block has no dynamic shared memory region");
}

}  // namespace segmint_emu
