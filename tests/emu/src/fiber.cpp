// Fibers for the emulated GPU threads (see fiber.hpp).
#include "fiber.hpp"

#include <sys/mman.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>

#include "internal.hpp"
#include "segmint_emu/control.hpp"

#if SEGMINT_EMU_ASAN
#include <sanitizer/asan_interface.h>
#include <sanitizer/common_interface_defs.h>
#endif
#if SEGMINT_EMU_TSAN
#include <sanitizer/tsan_interface.h>
#endif

namespace segmint_emu {
namespace ctx = boost::context::detail;

namespace {
#if SEGMINT_EMU_ASAN || SEGMINT_EMU_TSAN
constexpr size_t stack_bytes = size_t{512} << 10;  // sanitizers enlarge frames
#else
constexpr size_t stack_bytes = size_t{128} << 10;
#endif
}  // namespace

struct fiber_pool::fiber {
  ctx::fcontext_t context = nullptr;
  std::byte* mapping = nullptr;  // guard page, then the stack
  size_t mapping_bytes = 0;
  std::byte* stack_low = nullptr;
  entry_fn fn = nullptr;
  void* arg = nullptr;
  void* fake_stack = nullptr;
  void* tsan = nullptr;
  bool fresh = true;
  fiber_pool* pool = nullptr;
};

#if SEGMINT_EMU_TSAN
bool built_with_tsan() { return true; }
#else
bool built_with_tsan() { return false; }
#endif
#if SEGMINT_EMU_ASAN
bool built_with_asan() { return true; }
#else
bool built_with_asan() { return false; }
#endif

void tsan_release(void* sync_object) {
#if SEGMINT_EMU_TSAN
  __tsan_release(sync_object);
#else
  (void)sync_object;
#endif
}

void tsan_acquire(void* sync_object) {
#if SEGMINT_EMU_TSAN
  __tsan_acquire(sync_object);
#else
  (void)sync_object;
#endif
}

fiber_pool& fiber_pool::here() {
  thread_local fiber_pool pool;
  return pool;
}

fiber_pool::~fiber_pool() {
  for (auto& f : fibers_) {
#if SEGMINT_EMU_TSAN
    if (f->tsan != nullptr) __tsan_destroy_fiber(f->tsan);
#endif
    munmap(f->mapping, f->mapping_bytes);
  }
}

fiber_pool::fiber& fiber_pool::get(size_t i) {
  while (fibers_.size() <= i) {
    auto f = std::make_unique<fiber>();
    const auto page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
    f->mapping_bytes = stack_bytes + page;
    void* m = mmap(nullptr, f->mapping_bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (m == MAP_FAILED) fail("cannot map a fiber stack");
    f->mapping = static_cast<std::byte*>(m);
    if (mprotect(f->mapping, page, PROT_NONE) != 0) fail("cannot protect a fiber stack's guard page");
    f->stack_low = f->mapping + page;
    f->pool = this;
#if SEGMINT_EMU_TSAN
    f->tsan = __tsan_create_fiber(0);
#endif
    fibers_.push_back(std::move(f));
  }
  return *fibers_[i];
}

void fiber_pool::trampoline(ctx::transfer_t t) {
  auto* f = static_cast<fiber*>(t.data);
  fiber_pool* pool = f->pool;
  pool->scheduler_ = t.fctx;
#if SEGMINT_EMU_ASAN
  __sanitizer_finish_switch_fiber(nullptr, &pool->scheduler_stack_bottom_, &pool->scheduler_stack_size_);
#endif
  f->fn(f->arg);
  pool->suspend(true);
  fail("a finished fiber was resumed");
}

void fiber_pool::start(size_t i, entry_fn fn, void* arg) {
  fiber& f = get(i);
#if SEGMINT_EMU_ASAN
  // The previous fiber on this stack never unwound its entry frames (the trampoline's and suspend's, at the
  // top of the stack; kernel frames returned normally): clear their redzones. The top 128 KB covers them
  // without touching the shadow of the whole stack for every thread of every block.
  constexpr size_t used_top = size_t{128} << 10;
  __asan_unpoison_memory_region(f.stack_low + stack_bytes - used_top, used_top);
#endif
  f.fn = fn;
  f.arg = arg;
  f.fake_stack = nullptr;
  f.fresh = true;
  f.context = ctx::make_fcontext(f.stack_low + stack_bytes, stack_bytes, &fiber_pool::trampoline);
}

void fiber_pool::resume(size_t i) {
  fiber& f = *fibers_[i];
  current_ = &f;
#if SEGMINT_EMU_TSAN
  scheduler_tsan_ = __tsan_get_current_fiber();
  // The first switch into a fiber synchronises (it sees everything the host did before the launch);
  // later switches do not, so only barriers and collectives order the threads of a block.
  __tsan_switch_to_fiber(f.tsan, f.fresh ? 0 : __tsan_switch_to_fiber_no_sync);
#endif
  f.fresh = false;
#if SEGMINT_EMU_ASAN
  __sanitizer_start_switch_fiber(&scheduler_fake_stack_, f.stack_low, stack_bytes);
#endif
  const ctx::transfer_t t = ctx::jump_fcontext(f.context, &f);
#if SEGMINT_EMU_ASAN
  __sanitizer_finish_switch_fiber(scheduler_fake_stack_, nullptr, nullptr);
#endif
  f.context = t.fctx;
  current_ = nullptr;
}

void fiber_pool::suspend(bool finished) {
  fiber& f = *current_;
#if SEGMINT_EMU_TSAN
  __tsan_switch_to_fiber(scheduler_tsan_, __tsan_switch_to_fiber_no_sync);
#endif
#if SEGMINT_EMU_ASAN
  __sanitizer_start_switch_fiber(finished ? nullptr : &f.fake_stack, scheduler_stack_bottom_, scheduler_stack_size_);
#endif
  const ctx::transfer_t t = ctx::jump_fcontext(scheduler_, nullptr);
  scheduler_ = t.fctx;
#if SEGMINT_EMU_ASAN
  __sanitizer_finish_switch_fiber(f.fake_stack, &scheduler_stack_bottom_, &scheduler_stack_size_);
#endif
  (void)f;
  (void)finished;
}

}  // namespace segmint_emu
