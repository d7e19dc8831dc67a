#include "ward_search.hpp"

#include <omp.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <limits>

#include "segmint/error.hpp"

namespace segmint::detail {
namespace {

// Four doubles / int64 per vector (one AVX2 register, two SSE registers otherwise); the scan keeps
// `unroll` independent vectors in flight so the add chains and divisions overlap.
constexpr int64_t lanes = 4;
constexpr int unroll = 4;
constexpr int64_t width = lanes * unroll;
typedef double vdouble __attribute__((vector_size(32)));
typedef int64_t vlong __attribute__((vector_size(32)));

// Scans shorter than this stay on one thread: a parallel region costs more than scanning a few thousand
// clusters. Longer scans are split into one equal part per thread; any split gives the same answer.
constexpr int64_t min_parallel = 8192;
constexpr double infinity = std::numeric_limits<double>::infinity();
constexpr double hole = std::numeric_limits<double>::quiet_NaN();

vdouble load(const double* p) {
  vdouble v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

bool ranks_before(double cost, int64_t position, double best_cost, int64_t best_position) {
  return cost < best_cost || (cost == best_cost && position < best_position);
}

}  // namespace

void ward_search::begin(std::span<const double> centroids, std::span<const double> sizes, int64_t d) {
  const auto m = static_cast<int64_t>(sizes.size());
  if (d < 1 || static_cast<int64_t>(centroids.size()) != m * d)
    throw error("internal error: Ward clusters need m × d centroids and m sizes");
  d_ = d;
  used_ = m;
  holes_ = 0;
  stride_ = (m + width - 1) / width * width;
  coords_.assign(static_cast<size_t>(d * stride_), 0.0);
  sizes_.assign(static_cast<size_t>(stride_), hole);
  cluster_.assign(static_cast<size_t>(stride_), -1);
  position_.resize(static_cast<size_t>(m));
  for (int64_t i = 0; i < m; ++i) {
    if (!(sizes[static_cast<size_t>(i)] > 0)) throw error("internal error: Ward cluster sizes must be positive");
    for (int64_t j = 0; j < d; ++j)
      coords_[static_cast<size_t>(j * stride_ + i)] = centroids[static_cast<size_t>(j * m + i)];
    sizes_[static_cast<size_t>(i)] = sizes[static_cast<size_t>(i)];
    cluster_[static_cast<size_t>(i)] = i;
    position_[static_cast<size_t>(i)] = i;
  }
}

void ward_search::clear() {
  coords_ = {};
  sizes_ = {};
  cluster_ = {};
  position_ = {};
  used_ = holes_ = stride_ = d_ = 0;
}

int64_t ward_search::position_of(int64_t cluster) const {
  if (cluster < 0 || cluster >= static_cast<int64_t>(position_.size()) || position_[static_cast<size_t>(cluster)] < 0)
    throw error("internal error: Ward cluster " + std::to_string(cluster) + " is not active");
  return position_[static_cast<size_t>(cluster)];
}

void ward_search::merge(int64_t removed, int64_t kept, std::span<const double> centroid, double size) {
  if (static_cast<int64_t>(centroid.size()) != d_ || removed == kept || !(size > 0))
    throw error("internal error: invalid Ward merge");
  const int64_t pr = position_of(removed);
  const int64_t pk = position_of(kept);
  sizes_[static_cast<size_t>(pr)] = hole;
  cluster_[static_cast<size_t>(pr)] = -1;
  position_[static_cast<size_t>(removed)] = -1;
  ++holes_;
  for (int64_t j = 0; j < d_; ++j) coords_[static_cast<size_t>(j * stride_ + pk)] = centroid[static_cast<size_t>(j)];
  sizes_[static_cast<size_t>(pk)] = size;
  if (holes_ * 8 > used_ && used_ > width) squeeze();
}

// Moves the active clusters down over the holes, keeping their order. Amortised O(d) per merge.
void ward_search::squeeze() {
  int64_t to = 0;
  for (int64_t from = 0; from < used_; ++from) {
    if (std::isnan(sizes_[static_cast<size_t>(from)])) continue;
    if (to != from) {
      for (int64_t j = 0; j < d_; ++j) coords_[static_cast<size_t>(j * stride_ + to)] = coords_[static_cast<size_t>(j * stride_ + from)];
      sizes_[static_cast<size_t>(to)] = sizes_[static_cast<size_t>(from)];
      cluster_[static_cast<size_t>(to)] = cluster_[static_cast<size_t>(from)];
      position_[static_cast<size_t>(cluster_[static_cast<size_t>(to)])] = to;
    }
    ++to;
  }
  for (int64_t p = to; p < used_; ++p) {
    sizes_[static_cast<size_t>(p)] = hole;
    cluster_[static_cast<size_t>(p)] = -1;
  }
  used_ = to;
  holes_ = 0;
}

// The scalar form of the scan's arithmetic, operation for operation (host code is compiled without FMA
// contraction), so a pair's cost is the same bits whichever loop computes it.
double ward_search::pair_cost(int64_t pa, int64_t pb) const {
  double s = 0;
  for (int64_t j = 0; j < d_; ++j) {
    const double diff = coords_[static_cast<size_t>(j * stride_ + pb)] - coords_[static_cast<size_t>(j * stride_ + pa)];
    s = s + diff * diff;
  }
  const double na = sizes_[static_cast<size_t>(pa)];
  const double nb = sizes_[static_cast<size_t>(pb)];
  return (na * nb) / (na + nb) * s;
}

// Positions [lo, hi) (multiples of `width`); the query's own size must be a hole while it runs. Each lane
// keeps its lowest cost, the earliest position on ties (strict <); lanes are combined the same way.
ward_search::candidate ward_search::scan(int64_t lo, int64_t hi, int64_t query_pos, double query_size) const {
  const vdouble nq = {query_size, query_size, query_size, query_size};
  vdouble best_cost[unroll];
  vlong best_pos[unroll];
  for (int u = 0; u < unroll; ++u) {
    best_cost[u] = vdouble{infinity, infinity, infinity, infinity};
    best_pos[u] = vlong{-1, -1, -1, -1};
  }
  for (int64_t p = lo; p < hi; p += width) {
    vdouble s[unroll] = {};
    for (int64_t j = 0; j < d_; ++j) {
      const double* col = coords_.data() + j * stride_;
      const double qj = col[query_pos];
      const vdouble q = {qj, qj, qj, qj};
      for (int u = 0; u < unroll; ++u) {
        const vdouble diff = load(col + p + u * lanes) - q;
        s[u] = s[u] + diff * diff;
      }
    }
    for (int u = 0; u < unroll; ++u) {
      const vdouble n = load(sizes_.data() + p + u * lanes);
      const vdouble cost = (nq * n) / (nq + n) * s[u];
      const int64_t p0 = p + u * lanes;
      const vlong better = cost < best_cost[u];
      best_cost[u] = better ? cost : best_cost[u];
      best_pos[u] = better ? vlong{p0, p0 + 1, p0 + 2, p0 + 3} : best_pos[u];
    }
  }
  candidate best{infinity, -1};
  for (int u = 0; u < unroll; ++u)
    for (int l = 0; l < lanes; ++l)
      if (best_pos[u][l] >= 0 && ranks_before(best_cost[u][l], best_pos[u][l], best.cost, best.position))
        best = {best_cost[u][l], best_pos[u][l]};
  return best;
}

ward_neighbour ward_search::nearest(int64_t query, int64_t prefer, int threads) {
  const int64_t qp = position_of(query);
  const double nq = sizes_[static_cast<size_t>(qp)];
  const int64_t end = (used_ + width - 1) / width * width;
  const int parts = end >= min_parallel ? threads : 1;
  candidate best{infinity, -1};
  sizes_[static_cast<size_t>(qp)] = hole;  // the query is not its own neighbour
  if (parts <= 1) {
    best = scan(0, end, qp, nq);
  } else if (governor_.use_team()) {
    const auto start = std::chrono::steady_clock::now();
    const int64_t step = (end / width + parts - 1) / parts * width;
    std::vector<candidate> part(static_cast<size_t>(parts));
#pragma omp parallel for num_threads(parts) schedule(static, 1)
    for (int t = 0; t < parts; ++t)
      part[static_cast<size_t>(t)] = scan(std::min(end, t * step), std::min(end, (t + 1) * step), qp, nq);
    for (const auto& b : part)
      if (b.position >= 0 && ranks_before(b.cost, b.position, best.cost, best.position)) best = b;
    governor_.record(std::chrono::steady_clock::now() - start, end);
  } else {
    const auto start = std::chrono::steady_clock::now();
    best = scan(0, end, qp, nq);
    governor_.record(std::chrono::steady_clock::now() - start, end);
  }
  sizes_[static_cast<size_t>(qp)] = nq;
  if (best.position < 0) return {};  // the query is the only active cluster
  ward_neighbour out{cluster_[static_cast<size_t>(best.position)], best.cost};
  if (prefer >= 0 && prefer != query) {
    const double c = pair_cost(qp, position_of(prefer));
    if (c <= out.cost) out = {prefer, c};  // c ≥ the minimum, so a tie: the chain's predecessor wins
  }
  return out;
}

bool thread_governor::use_team() const { return phase_ == 1 || (phase_ == 2 && team_faster_); }

void thread_governor::record(std::chrono::steady_clock::duration took, int64_t positions) {
  const double ns = static_cast<double>(std::chrono::duration_cast<std::chrono::nanoseconds>(took).count());
  ++count_;
  if (phase_ < 2) {
    per_position_[phase_] += ns / static_cast<double>(positions);
    if (count_ == probe) {
      count_ = 0;
      if (++phase_ == 2) {
        team_faster_ = per_position_[1] < per_position_[0];
        // Each probe that finds the team slower doubles the wait before the next one.
        exploit_ = team_faster_ ? min_exploit : std::min(2 * exploit_, max_exploit);
        per_position_[0] = per_position_[1] = 0;
      }
    }
  } else if (count_ == exploit_) {
    count_ = 0;
    phase_ = 0;
  }
}

}  // namespace segmint::detail
