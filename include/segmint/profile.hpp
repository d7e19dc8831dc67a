#pragma once
// Segment profiles (who is in each segment, in original units) and their names.
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "segmint/table.hpp"

namespace segmint {

struct feature_profile {
  std::string name;
  feature_kind kind = feature_kind::numeric;
  double mean = 0;             ///< segment mean (one-hot: share of the level in the segment)
  double median = 0;           ///< segment median (one-hot: 0 or 1)
  double population_mean = 0;  ///< over all rows (one-hot: overall share)
  double population_sd = 0;    ///< population standard deviation over all rows
  double z = 0;                ///< (mean − population_mean) / population_sd: the standardised difference
};

struct segment_profile {
  int id = 0;
  int64_t size = 0;
  double share = 0;
  std::vector<feature_profile> features;  ///< in table order
  std::vector<int> drivers;               ///< up to 3 feature indices, largest |z| first (|z| ≥ 0.25)
  std::string name;
  std::string reason;
};

/// Profiles of segments 0..k−1 of `t` (labels per row).
std::vector<segment_profile> profile_segments(const feature_table& t, std::span<const int32_t> labels, int k);

/// Gives every segment a unique short name and a one-sentence reason from its driving features.
void name_segments(std::vector<segment_profile>& segments);

}  // namespace segmint
