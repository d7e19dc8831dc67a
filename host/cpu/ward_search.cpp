#include "ward_search.hpp"

#include <omp.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "segmint/error.hpp"

namespace segmint::detail {
namespace {

// Scans shorter than this stay on one thread: a parallel region costs more than scanning a few thousand
// clusters. Longer scans are split into one equal part per thread; any split gives the same answer.
constexpr int64_t min_parallel = 8192;
// Candidates the float filter may keep per part before its part is scanned in double instead (only
// mass ties, e.g. many identical rows, come near this).
constexpr size_t max_candidates = 512;
constexpr double hole = std::numeric_limits<double>::quiet_NaN();
constexpr float float_hole = std::numeric_limits<float>::quiet_NaN();
constexpr double infinity = std::numeric_limits<double>::infinity();

}  // namespace

// The float filter's error bound. With u = 2^-24, centre μ and R² ≥ ‖c − μ‖² for every centroid (merged
// centroids are weighted means, so the initial maximum holds throughout), for one pair with exact cost
// C = f·S (S = Σ_j D_j², D_j = c_j − q_j, f = n_q·n/(n_q + n)):
//   float(c_j − μ_j) and float(q_j − μ_j) err by ≤ u·|·|, their difference by one more rounding, so
//   |D̃_j − D_j| ≤ 3u·M_j with M_j = |c_j − μ_j| + |q_j − μ_j|, and |D̃_j² − D_j²| ≤ 7.2u·M_j² with the
//   square's rounding; summing d terms adds (d − 1)u·Σ M_j², so |S̃ − S| ≤ (d + 7)·u·1.02·Σ M_j², and
//   Σ M_j² ≤ 2(‖c − μ‖² + ‖q − μ‖²) ≤ 4R²: call the bound A.
//   f̃ (float sizes, product, sum, quotient) errs by ≤ 5u relative, c̃ = f̃·S̃ by one more rounding, so
//   |c̃ − C| ≤ 1.001·f̃·A + 9.2u·c̃ (the double C itself is within 1e-14 relative of f·S).
// The scan uses abs_error = 1.05·A and rel_error = 12u: the slack covers the rounding of the bound itself.
void ward_search::begin(std::span<const double> centroids, std::span<const double> sizes, int64_t d) {
  const auto m = static_cast<int64_t>(sizes.size());
  if (d < 1 || static_cast<int64_t>(centroids.size()) != m * d)
    throw error("internal error: Ward clusters need m × d centroids and m sizes");
  d_ = d;
  used_ = m;
  holes_ = 0;
  stride_ = (m + ward_scan_width - 1) / ward_scan_width * ward_scan_width;
  centre_.assign(static_cast<size_t>(d), 0.0);
  for (int64_t j = 0; j < d; ++j) {
    double s = 0;
    for (int64_t i = 0; i < m; ++i) s += centroids[static_cast<size_t>(j * m + i)];
    centre_[static_cast<size_t>(j)] = m > 0 ? s / static_cast<double>(m) : 0.0;
  }
  coords_.assign(static_cast<size_t>(d * stride_), 0.0);
  fcoords_.assign(static_cast<size_t>(d * stride_), 0.0f);
  sizes_.assign(static_cast<size_t>(stride_), hole);
  fsizes_.assign(static_cast<size_t>(stride_), float_hole);
  cluster_.assign(static_cast<size_t>(stride_), -1);
  position_.resize(static_cast<size_t>(m));
  std::vector<double> c(static_cast<size_t>(d));
  double r2 = 0;
  double total = 0;
  for (int64_t i = 0; i < m; ++i) {
    if (!(sizes[static_cast<size_t>(i)] > 0)) throw error("internal error: Ward cluster sizes must be positive");
    double norm2 = 0;
    for (int64_t j = 0; j < d; ++j) {
      c[static_cast<size_t>(j)] = centroids[static_cast<size_t>(j * m + i)];
      const double v = c[static_cast<size_t>(j)] - centre_[static_cast<size_t>(j)];
      norm2 += v * v;
    }
    r2 = std::max(r2, norm2);
    total += sizes[static_cast<size_t>(i)];
    set_position(i, c, sizes[static_cast<size_t>(i)]);
    cluster_[static_cast<size_t>(i)] = i;
    position_[static_cast<size_t>(i)] = i;
  }
  constexpr double u = 0x1.0p-24;
  const double a = (static_cast<double>(d) + 7.0) * u * 1.02 * 4.0 * r2;
  abs_error_ = std::nextafter(static_cast<float>(1.05 * a), std::numeric_limits<float>::infinity());
  rel_error_ = static_cast<float>(12.0 * u);
  // Float costs must stay far from overflow (costs reach total size × R²); else scan in double only.
  use_filter_ = float_filter_ && std::isfinite(abs_error_) && r2 * std::max(total, 1.0) < 1e30;
}

void ward_search::set_position(int64_t p, std::span<const double> centroid, double size) {
  for (int64_t j = 0; j < d_; ++j) {
    const auto at = static_cast<size_t>(j * stride_ + p);
    coords_[at] = centroid[static_cast<size_t>(j)];
    fcoords_[at] = static_cast<float>(centroid[static_cast<size_t>(j)] - centre_[static_cast<size_t>(j)]);
  }
  sizes_[static_cast<size_t>(p)] = size;
  fsizes_[static_cast<size_t>(p)] = static_cast<float>(size);
}

void ward_search::clear() {
  coords_ = {};
  fcoords_ = {};
  sizes_ = {};
  fsizes_ = {};
  cluster_ = {};
  position_ = {};
  centre_ = {};
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
  fsizes_[static_cast<size_t>(pr)] = float_hole;
  cluster_[static_cast<size_t>(pr)] = -1;
  position_[static_cast<size_t>(removed)] = -1;
  ++holes_;
  set_position(pk, centroid, size);
  if (holes_ * 8 > used_ && used_ > ward_scan_width) squeeze();
}

// Moves the active clusters down over the holes, keeping their order. Amortised O(d) per merge.
void ward_search::squeeze() {
  int64_t to = 0;
  for (int64_t from = 0; from < used_; ++from) {
    if (std::isnan(sizes_[static_cast<size_t>(from)])) continue;
    if (to != from) {
      for (int64_t j = 0; j < d_; ++j) {
        coords_[static_cast<size_t>(j * stride_ + to)] = coords_[static_cast<size_t>(j * stride_ + from)];
        fcoords_[static_cast<size_t>(j * stride_ + to)] = fcoords_[static_cast<size_t>(j * stride_ + from)];
      }
      sizes_[static_cast<size_t>(to)] = sizes_[static_cast<size_t>(from)];
      fsizes_[static_cast<size_t>(to)] = fsizes_[static_cast<size_t>(from)];
      cluster_[static_cast<size_t>(to)] = cluster_[static_cast<size_t>(from)];
      position_[static_cast<size_t>(cluster_[static_cast<size_t>(to)])] = to;
    }
    ++to;
  }
  for (int64_t p = to; p < used_; ++p) {
    sizes_[static_cast<size_t>(p)] = hole;
    fsizes_[static_cast<size_t>(p)] = float_hole;
    cluster_[static_cast<size_t>(p)] = -1;
  }
  used_ = to;
  holes_ = 0;
}

double ward_search::pair_cost(int64_t pa, int64_t pb) const { return ward_pair_cost(columns(), pa, pb); }

ward_columns ward_search::columns() const {
  return {coords_.data(), sizes_.data(), fcoords_.data(), fsizes_.data(), d_, stride_};
}

ward_search::part_result ward_search::scan_part(int64_t lo, int64_t hi, int64_t query_pos, double query_size) const {
  part_result r;
  if (use_filter_) {
    r.filtered = ward_scan_filtered(columns(), lo, hi, query_pos, static_cast<float>(query_size), abs_error_,
                                    rel_error_, max_candidates);
    r.is_exact = r.filtered.overflow;
  }
  if (r.is_exact) r.exact = ward_scan_exact(columns(), lo, hi, query_pos, query_size);
  return r;
}

ward_neighbour ward_search::nearest(int64_t query, int64_t prefer, int threads) {
  const int64_t qp = position_of(query);
  const double nq = sizes_[static_cast<size_t>(qp)];
  const float fnq = fsizes_[static_cast<size_t>(qp)];
  const int64_t end = (used_ + ward_scan_width - 1) / ward_scan_width * ward_scan_width;
  const bool timed = end >= min_parallel && threads > 1;
  const int parts = timed && governor_.use_team() ? threads : 1;
  std::vector<part_result> part(static_cast<size_t>(parts));
  sizes_[static_cast<size_t>(qp)] = hole;  // the query is not its own neighbour
  fsizes_[static_cast<size_t>(qp)] = float_hole;
  const auto start = std::chrono::steady_clock::now();
  if (parts == 1) {
    part[0] = scan_part(0, end, qp, nq);
  } else {
    const int64_t step = (end / ward_scan_width + parts - 1) / parts * ward_scan_width;
#pragma omp parallel for num_threads(parts) schedule(static, 1)
    for (int t = 0; t < parts; ++t)
      part[static_cast<size_t>(t)] = scan_part(std::min(end, t * step), std::min(end, (t + 1) * step), qp, nq);
  }
  if (timed) governor_.record(std::chrono::steady_clock::now() - start, end);
  sizes_[static_cast<size_t>(qp)] = nq;
  fsizes_[static_cast<size_t>(qp)] = fnq;
  // Exact minimum: double scans of overflowed parts, double costs of the filter's surviving candidates.
  float bound = std::numeric_limits<float>::infinity();
  for (const auto& p : part)
    if (!p.is_exact) bound = std::min(bound, p.filtered.bound);
  double best_cost = infinity;
  int64_t best_pos = -1;
  auto consider = [&](double cost, int64_t pos) {
    if (pos >= 0 && (cost < best_cost || (cost == best_cost && pos < best_pos))) {
      best_cost = cost;
      best_pos = pos;
    }
  };
  for (const auto& p : part) {
    if (p.is_exact) {
      consider(p.exact.cost, p.exact.position);
      continue;
    }
    for (const auto& [low, pos] : p.filtered.candidates)
      if (low <= bound) consider(pair_cost(qp, pos), pos);
  }
  if (best_pos < 0) return {};  // the query is the only active cluster
  ward_neighbour out{cluster_[static_cast<size_t>(best_pos)], best_cost};
  if (prefer >= 0 && prefer != query) {
    const double c = pair_cost(qp, position_of(prefer));
    if (c <= out.cost) out = {prefer, c};  // c ≥ the minimum, so a tie: the chain's predecessor wins
  }
  return out;
}

bool thread_governor::use_team() const { return phase_ == 1 || (phase_ == 2 && team_faster_); }

void thread_governor::settle(bool team_faster) {
  team_faster_ = team_faster;
  // Each probe the team loses doubles the stretch before the next one.
  exploit_ = team_faster ? min_exploit : std::min(2 * exploit_, max_exploit);
  phase_ = 2;
  count_ = 0;
}

void thread_governor::record(std::chrono::steady_clock::duration took, int64_t positions) {
  const double per = static_cast<double>(std::chrono::duration_cast<std::chrono::nanoseconds>(took).count()) /
                     static_cast<double>(positions);
  ++count_;
  if (phase_ == 0) {
    sum_ += per;
    if (count_ == probe) {
      solo_ = sum_ / probe;
      sum_ = 0;
      count_ = 0;
      phase_ = 1;
    }
  } else if (phase_ == 1) {
    sum_ += per;
    // One scan far slower than alone means a thread was descheduled: a busy machine, stop at once.
    if (per > 3 * solo_) {
      sum_ = 0;
      settle(false);
    } else if (count_ == probe) {
      // The team must win clearly: its idle threads spin after each parallel region, which slows the
      // scans that follow on a busy machine without being timed here.
      const bool faster = sum_ / probe < 0.8 * solo_;
      sum_ = 0;
      settle(faster);
    }
  } else if (count_ == exploit_ || (team_faster_ && per > 3 * solo_)) {
    count_ = 0;
    phase_ = 0;
  }
}

}  // namespace segmint::detail
