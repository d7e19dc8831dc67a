// The float filter of the Ward scan (see ward_scan.hpp). FMA contraction is allowed here: a fused
// multiply-add rounds once where the error bound (ward_search.cpp) allows two roundings.
#include <cstring>
#include <limits>
#ifdef __AVX2__
#include <immintrin.h>
#endif

#include "simd.hpp"
#include "ward_scan.hpp"

namespace segmint::detail {
namespace {

constexpr int funroll = static_cast<int>(ward_scan_width / simd::lanes);

bool any(simd::vint m) {
#ifdef __AVX2__
  __m256i v;
  std::memcpy(&v, &m, sizeof v);
  return !_mm256_testz_si256(v, v);
#else
  int32_t a[simd::lanes];
  std::memcpy(a, &m, sizeof a);
  int32_t r = 0;
  for (int32_t v : a) r |= v;
  return r != 0;
#endif
}

}  // namespace

// Per lane: the float cost c̃, its error bound e = f̃·abs_error + c̃·rel_error, hi = c̃ + e ≥ exact cost ≥
// lo = c̃ − e. g, the lowest hi so far, bounds the exact minimum from above, so only positions with lo ≤ g
// can hold it. A block is looked at lane by lane only when one of its lo is ≤ g (any hi below g implies
// that, so g stays the running minimum): near-records and near-ties, a few dozen per scan. A minimiser
// always passes, since its lo ≤ its cost ≤ every hi.
ward_filter_result ward_scan_filtered(const ward_columns& c, int64_t lo, int64_t hi, int64_t query_pos, float query_size,
                                      float abs_error, float rel_error, size_t cap) {
  using simd::vfloat;
  using simd::vint;
  const vfloat nq = simd::splat(query_size);
  const vfloat ka = simd::splat(abs_error);
  const vfloat kr = simd::splat(rel_error);
  float g = std::numeric_limits<float>::infinity();
  vfloat vg = simd::splat(g);
  ward_filter_result out;
  for (int64_t p = lo; p < hi; p += ward_scan_width) {
    vfloat s[funroll] = {};
    for (int64_t j = 0; j < c.d; ++j) {
      const float* col = c.fcoords + j * c.stride;
      const vfloat q = simd::splat(col[query_pos]);
      for (int u = 0; u < funroll; ++u) {
        const vfloat diff = simd::load(col + p + u * simd::lanes) - q;
        s[u] = s[u] + diff * diff;
      }
    }
    vfloat low[funroll];
    vfloat high[funroll];
    vint keep = {};
    for (int u = 0; u < funroll; ++u) {
      const vfloat n = simd::load(c.fsizes + p + u * simd::lanes);
      const vfloat f = (nq * n) / (nq + n);
      const vfloat cost = f * s[u];
      const vfloat err = f * ka + cost * kr;
      high[u] = cost + err;
      low[u] = cost - err;
      keep |= low[u] <= vg;
    }
    if (!any(keep)) continue;
    for (int u = 0; u < funroll; ++u)
      for (int l = 0; l < simd::lanes; ++l) g = high[u][l] < g ? high[u][l] : g;  // NaN (holes) never lowers g
    vg = simd::splat(g);
    for (int u = 0; u < funroll; ++u) {
      for (int l = 0; l < simd::lanes; ++l) {
        const float lane_low = low[u][l];  // a copy: clang cannot bind a reference to a vector lane
        if (lane_low <= g) out.candidates.emplace_back(lane_low, p + u * simd::lanes + l);
      }
    }
    if (out.candidates.size() > cap) {
      out.overflow = true;
      return out;
    }
  }
  out.bound = g;
  return out;
}

}  // namespace segmint::detail
