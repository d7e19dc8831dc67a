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
  std::string source;          ///< the input column ("Genre" for the one-hot feature "Genre=Female")
  std::string level;           ///< one-hot: the category level
  double mean = 0;             ///< segment mean (one-hot: share of the level in the segment)
  double median = 0;           ///< segment median (one-hot: 0 or 1)
  double population_mean = 0;  ///< over all rows (one-hot: overall share)
  double population_sd = 0;    ///< population standard deviation over all rows
  double z = 0;                ///< (mean − population_mean) / population_sd: the standardised difference
  bool yes_no = false;         ///< numeric with every value 0 or 1 (a Yes/No answer or a flag): mean = share of yes
  bool log_scale = false;      ///< z measured on log1p values, as the clustering saw them (see rescore_on_log_scale)
};

/// The most over-represented level of one categorical input column in a segment: the level whose share
/// in the segment exceeds its overall share by the most percentage points ("72% Female vs 56% overall").
struct category_highlight {
  std::string column;  ///< the input column
  std::string level;
  int feature = -1;          ///< index of the one-hot feature in segment_profile::features
  double share = 0;          ///< share of the segment's customers with this level
  double overall_share = 0;  ///< share of all customers with this level
};

struct segment_profile {
  int id = 0;
  int64_t size = 0;
  double share = 0;
  std::vector<feature_profile> features;  ///< in table order
  std::vector<int> drivers;               ///< up to 3 feature indices, largest |z| first (|z| ≥ 0.25)
  std::vector<category_highlight> categories;  ///< one per categorical input column, in table order
  std::string name;
  std::string reason;
  std::string rule;  ///< the naming rule that gave the name (see naming.hpp), e.g. "luxury_spenders"
};

/// Profiles of segments 0..k−1 of `t` (labels per row).
std::vector<segment_profile> profile_segments(const feature_table& t, std::span<const int32_t> labels, int k);

/// The same over every process's rows (data-parallel runs; `t` and `labels` hold this process's rows).
std::vector<segment_profile> profile_segments(const feature_table& t, std::span<const int32_t> labels, int k,
                                              const detail::communicator& comm);

/// Segments compared where the clustering compared them: for `logged` features (clustered on log1p values)
/// z becomes the difference on the log scale — segment mean of log1p(x) minus the overall mean, in standard
/// deviations of log1p(x) — and the drivers follow. A group at a fifth of the average spend is then low
/// spend, even when a few huge spenders make the raw standard deviation enormous. Means and medians stay in
/// original units.
void rescore_on_log_scale(std::vector<segment_profile>& segments, const feature_table& t, std::span<const int32_t> labels,
                          const std::vector<std::string>& logged, const detail::communicator& comm);

/// Gives every segment a unique short name and a one-sentence reason, with feature roles recognised from
/// the column names (see naming.hpp for the rules and for explicit roles).
void name_segments(std::vector<segment_profile>& segments);

}  // namespace segmint
