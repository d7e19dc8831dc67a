// The exact (double) side of the Ward scan. Compiled with -ffp-contract=off (host/CMakeLists.txt).
#include "ward_scan.hpp"

#include <cstring>
#include <limits>


namespace segmint::detail {
namespace {

typedef double vdouble __attribute__((vector_size(32)));
typedef int64_t vlong __attribute__((vector_size(32)));
constexpr int64_t dlanes = 4;
constexpr int dunroll = 4;  // 16 positions per step (more would spill registers)
constexpr double infinity = std::numeric_limits<double>::infinity();

vdouble load(const double* p) {
  vdouble v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

}  // namespace

// Each lane keeps its lowest cost, the earliest position on ties (strict <); `dunroll` independent
// vectors are in flight so the add chains and divisions overlap. This file is compiled with
// -ffp-contract=off (g++ contracts a*b + c into an FMA by default, even with -std=c++20): the cost is
// then exactly the backend's formula, the same bits here, in ward_pair_cost and on a future GPU.
ward_exact_best ward_scan_exact(const ward_columns& c, int64_t lo, int64_t hi, int64_t query_pos, double query_size) {
  const vdouble nq = {query_size, query_size, query_size, query_size};
  vdouble best_cost[dunroll];
  vlong best_pos[dunroll];
  for (int u = 0; u < dunroll; ++u) {
    best_cost[u] = vdouble{infinity, infinity, infinity, infinity};
    best_pos[u] = vlong{-1, -1, -1, -1};
  }
  for (int64_t p = lo; p < hi; p += dunroll * dlanes) {
    vdouble s[dunroll] = {};
    for (int64_t j = 0; j < c.d; ++j) {
      const double* col = c.coords + j * c.stride;
      const double qj = col[query_pos];
      const vdouble q = {qj, qj, qj, qj};
      for (int u = 0; u < dunroll; ++u) {
        const vdouble diff = load(col + p + u * dlanes) - q;
        s[u] = s[u] + diff * diff;
      }
    }
    for (int u = 0; u < dunroll; ++u) {
      const vdouble n = load(c.sizes + p + u * dlanes);
      const vdouble cost = (nq * n) / (nq + n) * s[u];
      const int64_t p0 = p + u * dlanes;
      const vlong better = cost < best_cost[u];
      best_cost[u] = better ? cost : best_cost[u];
      best_pos[u] = better ? vlong{p0, p0 + 1, p0 + 2, p0 + 3} : best_pos[u];
    }
  }
  ward_exact_best best{infinity, -1};
  for (int u = 0; u < dunroll; ++u) {
    for (int l = 0; l < dlanes; ++l) {
      const double cost = best_cost[u][l];
      const int64_t pos = best_pos[u][l];
      if (pos >= 0 && (cost < best.cost || (cost == best.cost && pos < best.position))) best = {cost, pos};
    }
  }
  return best;
}

// The scalar form of ward_scan_exact's arithmetic, operation for operation.
double ward_pair_cost(const ward_columns& c, int64_t pa, int64_t pb) {
  double s = 0;
  for (int64_t j = 0; j < c.d; ++j) {
    const double diff = c.coords[j * c.stride + pb] - c.coords[j * c.stride + pa];
    s = s + diff * diff;
  }
  const double na = c.sizes[pa];
  const double nb = c.sizes[pb];
  return (na * nb) / (na + nb) * s;
}

}  // namespace segmint::detail
