#pragma once
// The CPU side of the Ward nearest-neighbour chain: the active clusters in structure-of-arrays form
// (double centroids, and a float copy for the filtered scan, see ward_scan.hpp) and the search for a
// cluster's nearest neighbour.
//
// Positions keep the order of cluster numbers: a merged-away cluster leaves a hole (size NaN, so its cost
// is NaN and never compares lower), and the holes are squeezed out, in order, once they are an eighth of
// the positions. Keeping the order lets the scans break ties by position alone (the earliest position is
// the lowest cluster number) without loading cluster numbers.
#include <chrono>
#include <cstdint>
#include <span>
#include <vector>

#include "../algo/backend.hpp"
#include "ward_scan.hpp"

namespace segmint::detail {

/// Decides whether long scans use the thread team. The team only pays when every thread gets a core at
/// once, which a shared machine does not promise (a parallel region then waits for a descheduled thread,
/// up to a scheduler time slice per scan), so the governor times both ways in turn (`probe` scans each,
/// the team's probe cut short by one slow scan) and uses the team for the next stretch of scans only if it
/// was clearly faster (and while no scan is slow); a stretch on one thread doubles each time the team
/// loses again, so a busy machine pays for few probes. Speed only: the answer is the same either way.
class thread_governor {
 public:
  [[nodiscard]] bool use_team() const;
  void record(std::chrono::steady_clock::duration took, int64_t positions);

 private:
  void settle(bool team_faster);

  static constexpr int probe = 32;
  static constexpr int64_t min_exploit = 2048;
  static constexpr int64_t max_exploit = int64_t{1} << 20;
  int phase_ = 0;  ///< 0: timing one thread, 1: timing the team, 2: using the choice
  int64_t count_ = 0;
  int64_t exploit_ = min_exploit / 2;
  double sum_ = 0;   ///< ns per position, summed over the current probe
  double solo_ = 0;  ///< ns per position on one thread, last probe
  bool team_faster_ = false;
};

class ward_search {
 public:
  /// `float_filter` = false scans in double only (the reference the filtered scan is tested against).
  explicit ward_search(bool float_filter = true) : float_filter_(float_filter) {}

  void begin(std::span<const double> centroids, std::span<const double> sizes, int64_t d);
  void merge(int64_t removed, int64_t kept, std::span<const double> centroid, double size);
  /// See backend::ward_nearest. The result does not depend on `threads` nor on the float filter: it is
  /// the lowest double cost, ties by cluster number, and each pair's cost is the same bits on every path.
  [[nodiscard]] ward_neighbour nearest(int64_t query, int64_t prefer, int threads);
  void clear();

 private:
  struct part_result {
    ward_exact_best exact{0, -1};
    ward_filter_result filtered;
    bool is_exact = true;
  };
  [[nodiscard]] int64_t position_of(int64_t cluster) const;
  [[nodiscard]] double pair_cost(int64_t pa, int64_t pb) const;
  [[nodiscard]] ward_columns columns() const;
  [[nodiscard]] part_result scan_part(int64_t lo, int64_t hi, int64_t query_pos, double query_size) const;
  void set_position(int64_t p, std::span<const double> centroid, double size);
  void squeeze();

  bool float_filter_;
  bool use_filter_ = false;  ///< float_filter_ and the data's range allows it (see begin)
  float abs_error_ = 0;      ///< the filter's error constants (see begin)
  float rel_error_ = 0;
  int64_t d_ = 0;
  int64_t used_ = 0;  ///< positions in use (active clusters and holes)
  int64_t holes_ = 0;
  int64_t stride_ = 0;  ///< capacity, a multiple of ward_scan_width (the tail is holes)
  std::vector<double> centre_;     ///< d: subtracted from the float copy (distances do not change)
  std::vector<double> coords_;     ///< d × stride
  std::vector<double> sizes_;      ///< stride; NaN = hole
  std::vector<float> fcoords_;     ///< d × stride: float(centroid − centre)
  std::vector<float> fsizes_;      ///< stride; NaN = hole
  std::vector<int64_t> cluster_;   ///< position → cluster number
  std::vector<int64_t> position_;  ///< cluster number → position (−1 once merged away)
  thread_governor governor_;
};

}  // namespace segmint::detail
