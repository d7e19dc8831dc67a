#pragma once
// Counter-based random numbers: every draw is a pure function of (seed, purpose, index), so results do not
// depend on thread counts, call order or the backend.
#include <cstdint>

namespace segmint::detail {

enum class rng_purpose : uint64_t {
  kmeans_first_centre = 1,
  kmeans_candidates = 2,
  silhouette_sample = 3,
  report_sample = 4,
  gmm_init = 5,
  ward_sample = 6,
  value_bootstrap = 7,
  churn_split = 8,
  tune_gap_reference = 9,
  tune_sample = 10,
};

constexpr uint64_t splitmix64(uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

/// 64 random bits for draw `index` of stream (seed, purpose, sub) — `sub` separates e.g. n_init restarts.
constexpr uint64_t random_bits(uint64_t seed, rng_purpose purpose, uint64_t sub, uint64_t index) {
  return splitmix64(splitmix64(splitmix64(seed ^ (static_cast<uint64_t>(purpose) << 56)) ^ sub) + index);
}

/// Uniform double in [0, 1).
constexpr double random_uniform(uint64_t seed, rng_purpose purpose, uint64_t sub, uint64_t index) {
  return static_cast<double>(random_bits(seed, purpose, sub, index) >> 11) * 0x1.0p-53;
}

__extension__ typedef unsigned __int128 uint128_t;

/// Uniform integer in [0, n) (n > 0), with negligible bias for n far below 2^64 (Lemire's multiply-shift).
constexpr int64_t random_index(uint64_t seed, rng_purpose purpose, uint64_t sub, uint64_t index, int64_t n) {
  return static_cast<int64_t>((static_cast<uint128_t>(random_bits(seed, purpose, sub, index)) * static_cast<uint64_t>(n)) >> 64);
}

}  // namespace segmint::detail
