#pragma once
// Synthetic customer tables for benchmarks: k well-separated groups in d standardised-like features.
#include <cstdint>
#include <random>
#include <string>

#include "segmint/matrix.hpp"

namespace segmint::bench {

inline matrix clustered_matrix(int64_t n, int64_t d, int groups, uint32_t seed = 1) {
  std::mt19937_64 gen(seed);
  std::normal_distribution<float> noise(0.0f, 1.0f);
  matrix centres(groups, d);
  for (int64_t j = 0; j < d; ++j)
    for (int g = 0; g < groups; ++g) centres(g, j) = 4.0f * noise(gen);
  matrix x(n, d);
  for (int64_t j = 0; j < d; ++j)
    for (int64_t i = 0; i < n; ++i) x(i, j) = centres(i % groups, j) + noise(gen);
  return x;
}

}  // namespace segmint::bench
