// The roles of a table's columns, planned from its header and the user's options before any row is parsed
// (README "Reading the table"): the id, the numeric features, the text columns read through a scale, the
// categorical and the profile-only columns.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "scaled_columns.hpp"
#include "segmint/io.hpp"
#include "segmint/table.hpp"

namespace segmint::detail {

struct role_plan {
  std::optional<int> id;
  bool id_explicit = false;
  std::vector<int> numeric;
  std::vector<int> categorical;
  /// A text column (in `numeric`) to read as numbers through a scale.
  struct scaled_column {
    scale_request request;
    std::string unscaled_reason;  ///< why the column is skipped (or, when required, refused) if no scale fits
    bool required = false;        ///< named by the user or the model: no scale is an error
  };
  std::vector<scaled_column> scaled;

  /// Adds a text column to read as numbers (`scale`: given, or nullopt to detect it from the answers).
  void add_scaled(int column, std::optional<text_scale> scale, bool named, std::string unscaled_reason, bool required) {
    scaled_column c;
    c.request.column = column;
    c.request.scale = std::move(scale);
    c.request.named = named;
    c.unscaled_reason = std::move(unscaled_reason);
    c.required = required;
    scaled.push_back(std::move(c));
  }
  std::vector<std::pair<int, std::string>> profiled;  ///< columns described, not clustered on: (column, why)

  /// The columns the reader parses: numeric ones as numbers, categorical, scaled and id ones as text.
  [[nodiscard]] csv_plan reader_plan() const {
    csv_plan cp;
    for (int j : numeric)
      if (std::none_of(scaled.begin(), scaled.end(), [&](const auto& r) { return r.request.column == j; })) cp.numeric.push_back(j);
    cp.text = categorical;
    for (const auto& r : scaled) cp.text.push_back(r.request.column);
    for (const auto& [j, why] : profiled) cp.text.push_back(j);
    if (id) {
      cp.text.push_back(*id);
      cp.id = id;
    }
    return cp;
  }

  [[nodiscard]] std::vector<scale_request> scale_requests() const {
    std::vector<scale_request> out;
    for (const auto& r : scaled) out.push_back(r.request);
    return out;
  }
};

/// The plan for a table read with `p` (data-parallel when `sharded`); columns left out of it are added to
/// `skipped` as "name (reason)". Throws input_error for options that name no column or contradict each other.
role_plan plan_roles(const std::string& path, const std::vector<csv_column_info>& header, const table_params& p, bool sharded,
                     std::vector<std::string>& skipped);

}  // namespace segmint::detail
