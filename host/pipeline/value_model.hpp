#pragma once
// The value job's model step, shared by `segmint value` and `segmint run --value`: checks the options, fits the
// purchase model (and Gamma-Gamma with spend), predicts per customer, checks a holdout and sums per segment.
#include <string>
#include <vector>

#include "segmint/value_run.hpp"
#include "value_from_log.hpp"
#include "value_segments.hpp"

namespace segmint::detail {

/// The customers to model: a summary read from a file, or built from a log.
struct value_input {
  std::vector<std::string> ids;
  std::string id_column = "row";
  value::rfm_summary s;
  row_ledger ledger;  ///< rows of the summary, or lines of the log
  std::string calibration_end;
  std::vector<double> holdout_purchases;  ///< with a holdout
  double holdout_length = 0;
  std::string holdout_end;
};

/// From a summarised log; spend (monetary) kept only when `with_spend`.
value_input value_input_of(log_summary log, bool with_spend);

/// Per customer, in the input's order; spend, lifetime and holdout_expected empty when not modelled.
struct customer_value {
  std::vector<double> alive, purchases, spend, lifetime, holdout_expected;
};

/// Throws input_error for options out of range (before any data is read).
void check_value_options(const value_options& o);

/// The horizon in units (--horizon, or 90 days).
double value_horizon(const value_options& o);

/// Fits and predicts; with `segments`, the per-segment figures and the holdout per segment.
value_outcome model_value(const value_options& o, const value_input& t, const segment_assignment* segments, customer_value& c);

}  // namespace segmint::detail
