#pragma once
// A fixed partition of rows into blocks. It depends only on the problem size, never on the thread count:
// each block's partial result is computed sequentially and partials are combined in block order, which is
// what makes every CPU result bitwise identical for any number of threads.
#include <algorithm>
#include <cstdint>

namespace segmint::detail {

struct row_blocks {
  int64_t rows = 0;
  int64_t size = 1;  ///< rows per block (a multiple of 64), the last block may be shorter

  [[nodiscard]] int64_t count() const { return rows == 0 ? 0 : (rows + size - 1) / size; }
  [[nodiscard]] int64_t begin(int64_t b) const { return b * size; }
  [[nodiscard]] int64_t end(int64_t b) const { return std::min(rows, (b + 1) * size); }
};

/// At least 4096 rows per block, and at most 256 blocks, so per-block partials stay small.
inline row_blocks make_row_blocks(int64_t rows) {
  constexpr int64_t min_rows = 4096;
  constexpr int64_t max_blocks = 256;
  int64_t size = std::max(min_rows, (rows + max_blocks - 1) / max_blocks);
  size = (size + 63) / 64 * 64;
  return {rows, size};
}

}  // namespace segmint::detail
