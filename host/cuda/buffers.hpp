#pragma once
// Reusable host staging memory and the fixed row partition ("parts") of the CUDA backend's reductions.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "launch.hpp"
#include "raii.hpp"

namespace segmint::cuda::detail {

/// Page-locked host staging for one backend call: take() hands out disjoint regions (so several transfers
/// of one call never share memory); begin_call() makes everything reusable, which is safe because every
/// call ends with its stream synchronisation. Blocks are never freed during a call; begin_call()
/// coalesces them into one block, so after the first calls a call allocates nothing (pinned allocations
/// cost milliseconds).
class pinned_arena {
 public:
  void begin_call() {
    if (blocks_.size() > 1) {
      size_t total = 0;
      for (const auto& b : blocks_) total += b.size();
      blocks_.clear();
      blocks_.emplace_back(total);
    }
    used_ = 0;
  }
  template <typename T>
  T* take(size_t count) {
    const size_t bytes = (std::max<size_t>(count * sizeof(T), 1) + 63) / 64 * 64;
    if (blocks_.empty() || used_ + bytes > blocks_.back().size()) {
      const size_t last = blocks_.empty() ? 0 : blocks_.back().size();
      blocks_.emplace_back(std::max<size_t>({bytes, 2 * last, size_t{1} << 20}));
      used_ = 0;
    }
    auto* p = reinterpret_cast<T*>(blocks_.back().data() + used_);
    used_ += bytes;
    return p;
  }

 private:
  std::vector<pinned_buffer<std::byte>> blocks_;
  size_t used_ = 0;
};

/// The fixed partition of a pass over n rows: parts of `part_rows` consecutive rows. part_rows is a power
/// of two in [1024, kernels::max_part_rows], chosen from n and the per-part output size alone (never from
/// the chunking), so resident and streamed passes reduce in exactly the same order.
struct part_plan {
  int64_t part_rows = 1024;
  int64_t parts = 0;
};

/// The smallest part size with at most 4096 parts whose part table (parts × doubles_per_part) fits in
/// 64 MB, capped at max_part_rows. More parts keep every SM busy; fewer keep the table small.
inline part_plan plan_parts(int64_t n, int64_t doubles_per_part) {
  constexpr int64_t max_parts = 4096;
  constexpr int64_t max_table_doubles = int64_t{64} << 17;  // 64 MB of doubles
  part_plan p;
  auto parts_for = [n](int64_t rows) { return (n + rows - 1) / rows; };
  while (p.part_rows < kernels::max_part_rows &&
         (parts_for(p.part_rows) > max_parts || parts_for(p.part_rows) * doubles_per_part > max_table_doubles))
    p.part_rows *= 2;
  p.parts = parts_for(p.part_rows);
  return p;
}

}  // namespace segmint::cuda::detail
