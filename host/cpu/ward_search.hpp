#pragma once
// The CPU side of the Ward nearest-neighbour chain: the active clusters in structure-of-arrays form
// (coordinate j of the cluster at position p at coords[j·stride + p], double) and the vectorised scan for
// a cluster's nearest neighbour.
//
// Positions keep the order of cluster numbers: a merged-away cluster leaves a hole (size NaN, so its cost
// is NaN and never compares lower), and the holes are squeezed out, in order, once they are an eighth of
// the positions. Keeping the order lets the scan break ties by position alone (the earliest position is
// the lowest cluster number) without loading cluster numbers; the scan reads d + 1 doubles per cluster.
#include <chrono>
#include <cstdint>
#include <span>
#include <vector>

#include "../algo/backend.hpp"

namespace segmint::detail {

/// Decides whether long scans use the thread team. The team only pays when every thread gets a core at
/// once, which a shared machine does not promise (a parallel region then waits for a descheduled thread,
/// up to a scheduler time slice per scan), so the governor times both ways in turn (`probe` scans each)
/// and uses the faster for the next stretch of scans; a stretch on one thread doubles each time the team
/// loses again, so a busy machine pays for few probes. Speed only: the answer is the same either way.
class thread_governor {
 public:
  [[nodiscard]] bool use_team() const;
  void record(std::chrono::steady_clock::duration took, int64_t positions);

 private:
  static constexpr int probe = 16;
  static constexpr int64_t min_exploit = 1024;
  static constexpr int64_t max_exploit = int64_t{1} << 20;
  int phase_ = 0;  ///< 0: probing one thread, 1: probing the team, 2: using the faster
  int64_t count_ = 0;
  int64_t exploit_ = min_exploit / 2;
  double per_position_[2] = {0, 0};
  bool team_faster_ = true;
};

class ward_search {
 public:
  void begin(std::span<const double> centroids, std::span<const double> sizes, int64_t d);
  void merge(int64_t removed, int64_t kept, std::span<const double> centroid, double size);
  /// See backend::ward_nearest. The result does not depend on `threads`: each pair's cost is computed by
  /// the same code wherever it falls, and (cost, cluster number) is a total order.
  [[nodiscard]] ward_neighbour nearest(int64_t query, int64_t prefer, int threads);
  void clear();

 private:
  struct candidate {
    double cost;
    int64_t position;
  };
  [[nodiscard]] int64_t position_of(int64_t cluster) const;
  [[nodiscard]] double pair_cost(int64_t pa, int64_t pb) const;
  [[nodiscard]] candidate scan(int64_t lo, int64_t hi, int64_t query_pos, double query_size) const;
  void squeeze();

  int64_t d_ = 0;
  int64_t used_ = 0;                ///< positions in use (active clusters and holes)
  int64_t holes_ = 0;
  int64_t stride_ = 0;              ///< capacity, a multiple of the scan's unrolled width (the tail is holes)
  std::vector<double> coords_;      ///< d × stride
  std::vector<double> sizes_;       ///< stride; NaN = hole
  std::vector<int64_t> cluster_;    ///< position → cluster number
  std::vector<int64_t> position_;   ///< cluster number → position (−1 once merged away)
  thread_governor governor_;
};

}  // namespace segmint::detail
