// Vectorised over rows: column-major data gives each feature as a contiguous run of rows, so 8 rows are
// processed per vector instruction, with the centroid coordinate broadcast. This file is built with
// -ffp-contract=fast, so (x − c)² + acc is one FMA; the same arithmetic is used for every row everywhere.
#include "assign_kernel.hpp"

#include <algorithm>
#include <array>
#include <limits>

#include "simd.hpp"

namespace segmint::detail {
namespace {

using simd::vfloat;
using simd::vint;
constexpr int tile = 32;              // rows per micro-tile: 4 vectors
constexpr int vecs = tile / simd::lanes;
constexpr int masked_update_max_k = 16;  // above this, scatter-add is cheaper than one mask per centroid
constexpr int flush_tiles = 8;        // float lane sums cover ≤ 32 rows before moving to double

/// Column j of a tile: base + j * stride (the resident data, or a zero-padded copy of a tail tile).
struct tile_view {
  const float* base;
  int64_t stride;
  [[nodiscard]] const float* col(int64_t j) const { return base + j * stride; }
};

void nearest(const tile_view& t, matrix_view c, vfloat best[vecs], vint lab[vecs]) {
  for (int v = 0; v < vecs; ++v) {
    best[v] = simd::splat(std::numeric_limits<float>::infinity());
    lab[v] = simd::splat(0);
  }
  for (int64_t ci = 0; ci < c.rows; ++ci) {
    vfloat acc[vecs] = {};
    for (int64_t j = 0; j < c.cols; ++j) {
      const vfloat cj = simd::splat(c(ci, j));
      const float* xj = t.col(j);
      for (int v = 0; v < vecs; ++v) {
        const vfloat diff = simd::load(xj + v * simd::lanes) - cj;
        acc[v] += diff * diff;
      }
    }
    const vint civ = simd::splat(static_cast<int32_t>(ci));
    for (int v = 0; v < vecs; ++v) {
      const vint closer = acc[v] < best[v];
      best[v] = closer ? acc[v] : best[v];
      lab[v] = closer ? civ : lab[v];
    }
  }
}

/// Per-block accumulation state for the centroid sums.
class sum_accumulator {
 public:
  sum_accumulator(int64_t k, int64_t d, bool masked)
      : k_(k), d_(d), masked_(masked), lane_sums_(masked ? static_cast<size_t>(k * d) : 0),
        scatter_(masked ? 0 : static_cast<size_t>(4 * k * d), 0.0) {}

  /// Adds the rows of a tile whose label is ≥ 0 (padding rows carry label −1).
  void add(const tile_view& t, const vint lab[vecs]) {
    if (masked_) {
      for (int64_t ci = 0; ci < k_; ++ci) {
        const vint want = simd::splat(static_cast<int32_t>(ci));
        vint mask[vecs];
        for (int v = 0; v < vecs; ++v) mask[v] = lab[v] == want;
        for (int64_t j = 0; j < d_; ++j) {
          const float* xj = t.col(j);
          vfloat s = {};
          for (int v = 0; v < vecs; ++v) s += mask[v] ? simd::load(xj + v * simd::lanes) : vfloat{};
          lane_sums_[static_cast<size_t>(j * k_ + ci)] += s;
        }
      }
      if (++tiles_ == flush_tiles) flush();
    } else {
      for (int v = 0; v < vecs; ++v) {
        for (int l = 0; l < simd::lanes; ++l) {
          const int32_t c = lab[v][l];
          if (c < 0) continue;
          double* s = scatter_.data() + static_cast<size_t>(l & 3) * static_cast<size_t>(k_ * d_);
          for (int64_t j = 0; j < d_; ++j) s[j * k_ + c] += static_cast<double>(t.col(j)[v * simd::lanes + l]);
        }
      }
    }
  }

  void finish(std::vector<double>& sums) {
    const auto kd = static_cast<size_t>(k_ * d_);
    if (masked_) {
      flush();
      sums = std::move(doubles_);
      return;
    }
    sums.assign(kd, 0.0);
    for (size_t i = 0; i < kd; ++i) {
      sums[i] = (scatter_[i] + scatter_[kd + i]) + (scatter_[2 * kd + i] + scatter_[3 * kd + i]);
    }
  }

 private:
  void flush() {
    if (doubles_.empty()) doubles_.assign(static_cast<size_t>(k_ * d_), 0.0);
    for (size_t i = 0; i < lane_sums_.size(); ++i) {
      double s = 0;
      for (int l = 0; l < simd::lanes; ++l) s += static_cast<double>(lane_sums_[i][l]);
      doubles_[i] += s;
      lane_sums_[i] = vfloat{};
    }
    tiles_ = 0;
  }

  int64_t k_, d_;
  bool masked_;
  std::vector<vfloat> lane_sums_;
  std::vector<double> doubles_;
  std::vector<double> scatter_;
  int tiles_ = 0;
};

}  // namespace

void assign_block(matrix_view x, matrix_view c, int64_t begin, int64_t end, int32_t* labels, float* sq_dist,
                  bool want_sums, block_assign_result& out) {
  const int64_t d = x.cols;
  const int64_t k = c.rows;
  out.counts.assign(static_cast<size_t>(k), 0);
  out.inertia = 0;
  out.changed = 0;
  sum_accumulator acc(k, d, k <= masked_update_max_k);
  std::vector<float> padded;  // tail tile, zero-padded to `tile` rows
  for (int64_t i0 = begin; i0 < end; i0 += tile) {
    const int64_t valid = std::min<int64_t>(tile, end - i0);
    tile_view t{x.data + i0, x.rows};
    if (valid < tile) {
      padded.assign(static_cast<size_t>(tile * d), 0.0f);
      for (int64_t j = 0; j < d; ++j) std::copy_n(x.col(j) + i0, valid, padded.data() + j * tile);
      t = {padded.data(), tile};
    }
    vfloat best[vecs];
    vint lab[vecs];
    nearest(t, c, best, lab);
    std::array<int32_t, tile> lab_arr{};
    std::array<float, tile> best_arr{};
    for (int v = 0; v < vecs; ++v) {
      simd::store(lab_arr.data() + v * simd::lanes, lab[v]);
      simd::store(best_arr.data() + v * simd::lanes, best[v]);
    }
    for (int64_t r = 0; r < valid; ++r) {
      const int32_t l = lab_arr[static_cast<size_t>(r)];
      out.changed += labels[i0 + r] != l;
      labels[i0 + r] = l;
      sq_dist[i0 + r] = best_arr[static_cast<size_t>(r)];
      out.inertia += static_cast<double>(best_arr[static_cast<size_t>(r)]);
      ++out.counts[static_cast<size_t>(l)];
    }
    if (want_sums) {
      for (int64_t r = valid; r < tile; ++r) lab_arr[static_cast<size_t>(r)] = -1;
      for (int v = 0; v < vecs; ++v) lab[v] = simd::load(lab_arr.data() + v * simd::lanes);
      acc.add(t, lab);
    }
  }
  if (want_sums) acc.finish(out.sums);
}

void sq_dist_to_point(matrix_view x, const float* p, int64_t begin, int64_t end, float* out) {
  const int64_t n = end - begin;
  std::fill(out, out + n, 0.0f);
  for (int64_t j = 0; j < x.cols; ++j) {
    const float pj = p[j];
    const float* xj = x.col(j) + begin;
    for (int64_t i = 0; i < n; ++i) {
      const float diff = xj[i] - pj;
      out[i] += diff * diff;
    }
  }
}

}  // namespace segmint::detail
