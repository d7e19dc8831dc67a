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

/// Column j of a tile: base + j * stride (the resident data, or a zero-padded copy of a tail tile).
struct tile_view {
  const float* base;
  int64_t stride;
  [[nodiscard]] const float* col(int64_t j) const { return base + j * stride; }
};

/// Squared distances of the tile's rows to `group` consecutive centroids starting at c0. Each of the
/// group × vecs accumulators is an independent FMA chain: 8 chains keep both FMA pipes busy.
template <int group>
inline void distances(const tile_view& t, matrix_view c, int64_t c0, vfloat acc[group][vecs]) {
  for (int g = 0; g < group; ++g)
    for (int v = 0; v < vecs; ++v) acc[g][v] = vfloat{};
  for (int64_t j = 0; j < c.cols; ++j) {
    const float* xj = t.col(j);
    vfloat xv[vecs];
    for (int v = 0; v < vecs; ++v) xv[v] = simd::load(xj + v * simd::lanes);
    for (int g = 0; g < group; ++g) {
      const vfloat cj = simd::splat(c(c0 + g, j));
      for (int v = 0; v < vecs; ++v) {
        const vfloat diff = xv[v] - cj;
        acc[g][v] += diff * diff;
      }
    }
  }
}

/// Nearest centroid of each tile row: strict < keeps the lower index on ties.
void nearest(const tile_view& t, matrix_view c, vfloat best[vecs], vint lab[vecs]) {
  for (int v = 0; v < vecs; ++v) {
    best[v] = simd::splat(std::numeric_limits<float>::infinity());
    lab[v] = simd::splat(0);
  }
  auto consider = [&](const vfloat acc[vecs], int64_t ci) {
    const vint civ = simd::splat(static_cast<int32_t>(ci));
    for (int v = 0; v < vecs; ++v) {
      const vint closer = acc[v] < best[v];
      best[v] = closer ? acc[v] : best[v];
      lab[v] = closer ? civ : lab[v];
    }
  };
  int64_t ci = 0;
  for (; ci + 2 <= c.rows; ci += 2) {
    vfloat acc[2][vecs];
    distances<2>(t, c, ci, acc);
    consider(acc[0], ci);
    consider(acc[1], ci + 1);
  }
  if (ci < c.rows) {
    vfloat acc[1][vecs];
    distances<1>(t, c, ci, acc);
    consider(acc[0], ci);
  }
}

}  // namespace

namespace {

/// Moves row r of the tile from cluster `old` (−1: none) to `l` in the block's sum and count deltas.
inline void move_row(const tile_view& t, int64_t r, int64_t d, int64_t k, int32_t old, int32_t l,
                     block_assign_result& out) {
  ++out.changed;
  ++out.counts[static_cast<size_t>(l)];
  double* to = out.sums.data() + l;
  for (int64_t j = 0; j < d; ++j) to[j * k] += static_cast<double>(t.col(j)[r]);
  if (old < 0) return;
  --out.counts[static_cast<size_t>(old)];
  double* from = out.sums.data() + old;
  for (int64_t j = 0; j < d; ++j) from[j * k] -= static_cast<double>(t.col(j)[r]);
}

}  // namespace

void assign_block(matrix_view x, matrix_view c, int64_t begin, int64_t end, int32_t* labels, float* sq_dist,
                  block_assign_result& out) {
  const int64_t d = x.cols;
  const int64_t k = c.rows;
  out.counts.assign(static_cast<size_t>(k), 0);
  out.sums.assign(static_cast<size_t>(k * d), 0.0);
  out.changed = 0;
  double inertia_lanes[4] = {0, 0, 0, 0};  // row r of a tile adds to lane r % 4: a fixed order
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
    for (int64_t r = 0; r < valid; ++r) inertia_lanes[r & 3] += static_cast<double>(best_arr[static_cast<size_t>(r)]);
    std::copy_n(best_arr.data(), valid, sq_dist + i0);
    // Only rows that changed cluster touch the sums and counts: after the first passes, few do.
    for (int64_t r = 0; r < valid; ++r) {
      const int32_t l = lab_arr[static_cast<size_t>(r)];
      const int32_t old = labels[i0 + r];
      if (old != l) move_row(t, r, d, k, old, l, out);
    }
    std::copy_n(lab_arr.data(), valid, labels + i0);
  }
  out.inertia = (inertia_lanes[0] + inertia_lanes[1]) + (inertia_lanes[2] + inertia_lanes[3]);
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
