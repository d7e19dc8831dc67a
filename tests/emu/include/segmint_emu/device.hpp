#pragma once
// The CUDA device language on the CPU: built-in indices, barriers, warp collectives, atomics, the exact-
// rounding intrinsics, shared memory and kernel launches. Each thread of a block runs as its own fiber
// (scheduler.cpp), so barriers and collectives really interleave and are checked.
#include <math.h>  // CUDA code calls isnan, isfinite, fmaf, ... unqualified

#include <cmath>
#include <cstdint>
#include <cstring>
#include <functional>
#include <tuple>
#include <type_traits>
#include <utility>

#include "types.hpp"

#define __global__
#define __device__
#define __host__
#define __forceinline__ inline
#define __launch_bounds__(...)

namespace segmint_emu {

/// A source position (std::source_location is unavailable to clang 14 with libstdc++ 12). As a default
/// argument, SEGMINT_EMU_SITE is the position of the call.
struct site {
  const char* file = "";
  unsigned line_number = 0;
  unsigned column_number = 0;
  const char* function = "";
  [[nodiscard]] const char* file_name() const { return file; }
  [[nodiscard]] unsigned line() const { return line_number; }
  [[nodiscard]] unsigned column() const { return column_number; }
  [[nodiscard]] const char* function_name() const { return function; }
};
/// The caller's position: the builtins must be default arguments themselves (inside a braced initialiser
/// g++ would give this line), and here() is called from the default arguments of the emulated API.
constexpr site here(const char* file = __builtin_FILE(), unsigned line = __builtin_LINE(),
                    const char* function = __builtin_FUNCTION()) {
  return {file, line, 0, function};
}
#define SEGMINT_EMU_SITE ::segmint_emu::here()

// ---- the executing thread (fiber) ----
uint3 thread_index();
uint3 block_index();
dim3 block_dim();
dim3 grid_dim();

void syncthreads(site where);

enum class collective : int { ballot, any, all, shfl, shfl_up, shfl_down, shfl_xor, syncwarp };
/// One lane's part in a warp collective: blocks until every lane of `mask` has arrived (checked: the caller
/// is in the mask, no lane of the mask has exited, every lane calls the same collective with the same mask).
uint64_t warp_collective(collective kind, unsigned mask, uint64_t value, int arg, int width, site where);

// ---- shared memory ----
/// The block's copy of a `__shared__` variable declared at `where` (poisoned with 0xFF at the block's start).
void* shared_static_bytes(size_t bytes, size_t align, site where);
/// The block's dynamic shared memory (the launch's size; poisoned).
void* shared_dynamic_bytes(site where);

template <class T>
T& shared_static(site where = SEGMINT_EMU_SITE) {
  static_assert(std::is_trivially_destructible_v<std::remove_all_extents_t<T>>, "__shared__ types must be trivial");
  return *static_cast<T*>(shared_static_bytes(sizeof(T), alignof(T), where));
}
template <class T>
T* shared_dynamic(site where = SEGMINT_EMU_SITE) {
  return static_cast<T*>(shared_dynamic_bytes(where));
}

// ---- launches ----
struct launch_config {
  dim3 grid;
  dim3 block;
  size_t shared = 0;
  cudaStream_t stream = nullptr;
  template <class G, class B>
  launch_config(G g, B b, size_t s = 0, cudaStream_t st = nullptr)
      : grid(as_dim3(g)), block(as_dim3(b)), shared(s), stream(st) {}

 private:
  template <class V>
  static dim3 as_dim3(V v) {
    if constexpr (std::is_integral_v<V>) return dim3(static_cast<unsigned>(v));
    else return dim3(v);
  }
};
struct kernel_site {
  const char* name;
  const char* file;
  int line;
  const void* entry;
};
/// Validates the configuration (a failure becomes the last error, as cudaGetLastError reports it) and
/// enqueues the grid on the stream; `body` is what every thread runs.
void launch_kernel(const kernel_site& k, const launch_config& cfg, std::function<void()> body);

template <class... P, class... A>
void launch(void (*kernel)(P...), const char* name, const launch_config& cfg, const char* file, int line,
            A&&... args) {
  // The arguments are converted and copied at the launch, as CUDA does; each thread gets its own copy.
  std::tuple<std::decay_t<P>...> params(std::forward<A>(args)...);
  launch_kernel({name, file, line, reinterpret_cast<const void*>(kernel)}, cfg,
                [kernel, params]() { std::apply(kernel, params); });
}

}  // namespace segmint_emu

#define threadIdx (::segmint_emu::thread_index())
#define blockIdx (::segmint_emu::block_index())
#define blockDim (::segmint_emu::block_dim())
#define gridDim (::segmint_emu::grid_dim())
constexpr int warpSize = 32;

inline void __syncthreads(segmint_emu::site where = SEGMINT_EMU_SITE) {
  segmint_emu::syncthreads(where);
}
inline void __syncwarp(unsigned mask = 0xffffffffu, segmint_emu::site where = SEGMINT_EMU_SITE) {
  segmint_emu::warp_collective(segmint_emu::collective::syncwarp, mask, 0, 0, 32, where);
}
inline unsigned __ballot_sync(unsigned mask, int predicate,
                              segmint_emu::site where = SEGMINT_EMU_SITE) {
  return static_cast<unsigned>(
      segmint_emu::warp_collective(segmint_emu::collective::ballot, mask, predicate != 0, 0, 32, where));
}
inline int __any_sync(unsigned mask, int predicate, segmint_emu::site where = SEGMINT_EMU_SITE) {
  return static_cast<int>(segmint_emu::warp_collective(segmint_emu::collective::any, mask, predicate != 0, 0, 32, where));
}
inline int __all_sync(unsigned mask, int predicate, segmint_emu::site where = SEGMINT_EMU_SITE) {
  return static_cast<int>(segmint_emu::warp_collective(segmint_emu::collective::all, mask, predicate != 0, 0, 32, where));
}

namespace segmint_emu {
template <class T>
T shuffle(collective kind, unsigned mask, T var, int arg, int width, site where) {
  static_assert(sizeof(T) <= 8 && std::is_trivially_copyable_v<T>, "shuffles move at most 8 bytes");
  uint64_t bits = 0;
  std::memcpy(&bits, &var, sizeof(T));
  bits = warp_collective(kind, mask, bits, arg, width, where);
  T out;
  std::memcpy(&out, &bits, sizeof(T));
  return out;
}
}  // namespace segmint_emu

template <class T>
T __shfl_sync(unsigned mask, T var, int src, int width = 32, segmint_emu::site w = SEGMINT_EMU_SITE) {
  return segmint_emu::shuffle(segmint_emu::collective::shfl, mask, var, src, width, w);
}
template <class T>
T __shfl_up_sync(unsigned mask, T var, unsigned delta, int width = 32,
                 segmint_emu::site w = SEGMINT_EMU_SITE) {
  return segmint_emu::shuffle(segmint_emu::collective::shfl_up, mask, var, static_cast<int>(delta), width, w);
}
template <class T>
T __shfl_down_sync(unsigned mask, T var, unsigned delta, int width = 32,
                   segmint_emu::site w = SEGMINT_EMU_SITE) {
  return segmint_emu::shuffle(segmint_emu::collective::shfl_down, mask, var, static_cast<int>(delta), width, w);
}
template <class T>
T __shfl_xor_sync(unsigned mask, T var, int lane_mask, int width = 32,
                  segmint_emu::site w = SEGMINT_EMU_SITE) {
  return segmint_emu::shuffle(segmint_emu::collective::shfl_xor, mask, var, lane_mask, width, w);
}

// ---- integer atomics (real atomics, so ThreadSanitizer sees them as such). No floating-point atomics:
// segmint's results must not depend on the order of additions (docs/architecture.md §4), so none are provided. ----
template <class T>
concept segmint_emu_atomic_int =
    std::is_same_v<T, int> || std::is_same_v<T, unsigned> || std::is_same_v<T, unsigned long long>;
template <segmint_emu_atomic_int T>
T atomicAdd(T* p, T v) { return __atomic_fetch_add(p, v, __ATOMIC_RELAXED); }
template <segmint_emu_atomic_int T>
T atomicSub(T* p, T v) { return __atomic_fetch_sub(p, v, __ATOMIC_RELAXED); }
template <segmint_emu_atomic_int T>
T atomicOr(T* p, T v) { return __atomic_fetch_or(p, v, __ATOMIC_RELAXED); }
template <segmint_emu_atomic_int T>
T atomicAnd(T* p, T v) { return __atomic_fetch_and(p, v, __ATOMIC_RELAXED); }
template <segmint_emu_atomic_int T>
T atomicExch(T* p, T v) { return __atomic_exchange_n(p, v, __ATOMIC_RELAXED); }
template <segmint_emu_atomic_int T>
T atomicCAS(T* p, T expected, T desired) {
  __atomic_compare_exchange_n(p, &expected, desired, false, __ATOMIC_RELAXED, __ATOMIC_RELAXED);
  return expected;
}
template <segmint_emu_atomic_int T>
T atomicMax(T* p, T v) {
  T old = __atomic_load_n(p, __ATOMIC_RELAXED);
  while (old < v && !__atomic_compare_exchange_n(p, &old, v, true, __ATOMIC_RELAXED, __ATOMIC_RELAXED)) {}
  return old;
}
template <segmint_emu_atomic_int T>
T atomicMin(T* p, T v) {
  T old = __atomic_load_n(p, __ATOMIC_RELAXED);
  while (v < old && !__atomic_compare_exchange_n(p, &old, v, true, __ATOMIC_RELAXED, __ATOMIC_RELAXED)) {}
  return old;
}

// ---- bit intrinsics ----
inline int __popc(unsigned v) { return __builtin_popcount(v); }
inline int __popcll(unsigned long long v) { return __builtin_popcountll(v); }
inline int __ffs(int v) { return __builtin_ffs(v); }
inline int __ffsll(long long v) { return __builtin_ffsll(v); }
inline int __clz(int v) { return v == 0 ? 32 : __builtin_clz(static_cast<unsigned>(v)); }

// ---- exact rounding: never contracted into an FMA, whatever -ffp-contract says. An empty asm statement
// that "modifies" the operands and the result makes each one a rounded value the compiler cannot fuse. ----
#if defined(__x86_64__) || defined(__i386__)
#define SEGMINT_EMU_OPAQUE(v) __asm__ volatile("" : "+x"(v))
#elif defined(__aarch64__)
#define SEGMINT_EMU_OPAQUE(v) __asm__ volatile("" : "+w"(v))
#else
#define SEGMINT_EMU_OPAQUE(v) __asm__ volatile("" : "+m"(v))
#endif
#define SEGMINT_EMU_RN(name, T, op)        \
  inline T name(T a, T b) {                \
    SEGMINT_EMU_OPAQUE(a);                 \
    SEGMINT_EMU_OPAQUE(b);                 \
    T r = a op b;                          \
    SEGMINT_EMU_OPAQUE(r);                 \
    return r;                              \
  }
SEGMINT_EMU_RN(__fadd_rn, float, +)
SEGMINT_EMU_RN(__fsub_rn, float, -)
SEGMINT_EMU_RN(__fmul_rn, float, *)
SEGMINT_EMU_RN(__fdiv_rn, float, /)
SEGMINT_EMU_RN(__dadd_rn, double, +)
SEGMINT_EMU_RN(__dsub_rn, double, -)
SEGMINT_EMU_RN(__dmul_rn, double, *)
SEGMINT_EMU_RN(__ddiv_rn, double, /)
#undef SEGMINT_EMU_RN

// CUDA's global min/max overloads.
template <class T>
constexpr T min(T a, T b) { return b < a ? b : a; }
template <class T>
constexpr T max(T a, T b) { return a < b ? b : a; }
