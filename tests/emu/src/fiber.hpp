#pragma once
// One fiber per emulated GPU thread: Boost.Context's fcontext switch (a few nanoseconds), stacks with a
// guard page, and the sanitizer annotations that let AddressSanitizer and ThreadSanitizer follow the
// switches (each fiber is its own TSan thread, so races between the threads of a block are reported).
#include <boost/context/detail/fcontext.hpp>

#include <cstddef>
#include <memory>
#include <vector>

#if defined(__SANITIZE_ADDRESS__)
#define SEGMINT_EMU_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SEGMINT_EMU_ASAN 1
#endif
#endif
#if defined(__SANITIZE_THREAD__)
#define SEGMINT_EMU_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define SEGMINT_EMU_TSAN 1
#endif
#endif

namespace segmint_emu {

/// Happens-before edges for ThreadSanitizer (no-ops in other builds).
void tsan_release(void* sync_object);
void tsan_acquire(void* sync_object);

class fiber_pool {
 public:
  using entry_fn = void (*)(void* arg);
  /// The fibers of this OS thread (stacks reused from block to block).
  static fiber_pool& here();
  ~fiber_pool();
  /// Prepares fiber i to run fn(arg) from the start (its first resume synchronises with the caller).
  void start(size_t i, entry_fn fn, void* arg);
  /// Runs fiber i until it suspends or finishes; called from the scheduler's own stack.
  void resume(size_t i);
  /// Called from inside a fiber: back to the scheduler. `finished`: the fiber never resumes.
  void suspend(bool finished);

 private:
  struct fiber;
  fiber& get(size_t i);
  static void trampoline(boost::context::detail::transfer_t t);
  std::vector<std::unique_ptr<fiber>> fibers_;
  boost::context::detail::fcontext_t scheduler_ = nullptr;
  fiber* current_ = nullptr;
  void* scheduler_fake_stack_ = nullptr;
  const void* scheduler_stack_bottom_ = nullptr;
  size_t scheduler_stack_size_ = 0;
  void* scheduler_tsan_ = nullptr;
};

}  // namespace segmint_emu
