#pragma once
// Portable 8-lane float vectors (GCC/Clang vector extensions): AVX2 registers with -march supporting it,
// pairs of SSE registers otherwise. Used by the CPU kernels that vectorise over rows of column-major data.
#include <cstdint>
#include <cstring>

namespace segmint::detail::simd {

constexpr int lanes = 8;
typedef float vfloat __attribute__((vector_size(32)));
typedef int32_t vint __attribute__((vector_size(32)));

inline vfloat load(const float* p) {
  vfloat v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
inline void store(float* p, vfloat v) { std::memcpy(p, &v, sizeof v); }
inline vint load(const int32_t* p) {
  vint v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
inline void store(int32_t* p, vint v) { std::memcpy(p, &v, sizeof v); }
inline vfloat splat(float x) { return vfloat{x, x, x, x, x, x, x, x}; }
inline vint splat(int32_t x) { return vint{x, x, x, x, x, x, x, x}; }

}  // namespace segmint::detail::simd
