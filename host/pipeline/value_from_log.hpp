#pragma once
// `segmint value --transactions`: lifetimes' calibration summary built from a transaction log, and the
// holdout check when --calibration-end leaves days after it (calibration_and_holdout_data's layout).
#include <optional>
#include <string>
#include <vector>

#include "segmint/transactions.hpp"
#include "segmint/value.hpp"

namespace segmint::detail {

struct log_summary {
  std::string id_column;
  std::vector<std::string> ids;
  value::rfm_summary s;  ///< in the requested unit
  transaction_summary lines;
  std::string calibration_end;  ///< inclusive, YYYY-MM-DD
  /// With a holdout: per customer the repeat purchase days after calibration_end, and the holdout length.
  std::vector<double> holdout_purchases;
  double holdout_length = 0;  ///< in the requested unit
  std::string holdout_end;    ///< the log's last day
  customer_table table;       ///< the customers' features as of the calibration end (segmint run --value clusters them)
};

/// lifetimes' summary of a customer table built with as-of = the day after the last day observed: frequency
/// = purchase days after the first, recency = last − first purchase day, age (T) = last day observed − first
/// purchase day, in `unit_days` days per unit (monetary left empty).
value::rfm_summary summary_of(const customer_table& t, double unit_days);

/// Reads the log once (twice with a calibration end before its last day). frequency = purchase days after
/// the first, recency = last − first purchase day, T = calibration end − first purchase day, monetary =
/// mean value of the repeat purchase days (gross, returns not netted), all in `unit_days` days per unit.
/// Throws input_error for a calibration end outside the log.
log_summary summarise_log(transaction_options o, const std::optional<std::string>& calibration_end, double unit_days);

}  // namespace segmint::detail
