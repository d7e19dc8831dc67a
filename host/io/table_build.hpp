// The feature matrix of a planned, parsed table: the rows kept, numeric columns with missing values imputed
// by (global) medians, categorical columns one-hot encoded with rare levels pooled.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "../dist/communicator.hpp"
#include "role_plan.hpp"
#include "segmint/io.hpp"
#include "segmint/table.hpp"

namespace segmint::detail {

inline constexpr const char* other_level = "(other)";  // rare levels pooled (README "Categorical columns")

/// Fills ids, lines, features and values of `t` from `raw` (whose id text and lines it may move out),
/// keeping rows where keep[i] is true. With a model's schema, `fixed_levels` and `fixed_numeric` give the
/// levels and medians to use instead of the table's own.
void build_table(raw_table& raw, const role_plan& roles, const std::vector<bool>& keep,
                 const std::map<std::string, std::vector<std::string>>* fixed_levels,
                 const std::vector<feature_info>* fixed_numeric, feature_table& t,
                 const communicator& comm = *single_process());

}  // namespace segmint::detail
