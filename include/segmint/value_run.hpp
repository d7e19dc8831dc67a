#pragma once
// `segmint value`: reads a per-customer summary, fits a purchase model (and Gamma-Gamma when spend is given) and writes
// DIR/value.csv (per customer) and DIR/value.json (the models), together or not at all.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "segmint/io.hpp"
#include "segmint/transactions.hpp"
#include "segmint/value.hpp"

namespace segmint {

struct value_options {
  std::string summary;  ///< CSV with one row per customer (lifetimes' layout); or:
  std::optional<transaction_options> transactions;  ///< a transaction log, summarised per customer by day
  std::optional<std::string> calibration_end;        ///< with a log: last day fitted (YYYY-MM-DD); later days check it
  std::string id_column;  ///< empty: rows are numbered
  std::string frequency_column = "frequency";
  std::string recency_column = "recency";
  std::string age_column = "T";
  std::optional<std::string> monetary_column;  ///< given: Gamma-Gamma, expected spend and CLV
  std::string unit = "days";                   ///< "days" or "weeks": the unit of recency and age
  std::string model = "bgnbd";                 ///< "bgnbd", "mbgnbd" or "pareto_nbd" (value.hpp: purchase_model)
  std::optional<double> horizon;               ///< in units; default 90 days
  int clv_months = 12;
  double monthly_discount_rate = 0.01;
  csv_options csv;
  context_options compute;  ///< where the likelihood passes run (CPU, CUDA; MPI ranks)
  std::string out_dir;
  bool spreadsheet_safe = false;
  std::string segments_dir;  ///< a finished `segmint run` folder: adds the segment per customer and per-segment figures
  int bootstrap = 1000;      ///< resamples for the per-segment CLV intervals
  uint64_t seed = 0;
};

/// One segment's value figures (from `--segments`).
struct segment_value {
  int32_t segment = 0;
  std::string name;
  int64_t customers = 0;
  double mean_p_alive = 0, median_p_alive = 0;
  double expected_purchases = 0;  ///< total over the horizon
  bool with_spend = false;        ///< the spend figures below are set (Gamma-Gamma was fitted)
  double expected_spend = 0;      ///< total over the horizon, with spend
  double total_clv = 0, mean_clv = 0;
  double mean_clv_low = 0, mean_clv_high = 0;  ///< 95% bootstrap interval of the mean CLV
};

/// Predicted against actual repeat purchases after the calibration period (lifetimes'
/// calibration/holdout chart), overall, by calibration frequency (0..6, then "7+"), by decile of the
/// expectation ("1" = the tenth of customers expected to buy most) and, with segments, by segment (the name).
struct holdout_check {
  std::string calibration_end, holdout_end;
  double length = 0;  ///< in units
  double actual_total = 0, expected_total = 0;
  double mean_absolute_error = 0;  ///< per customer
  struct bucket {
    std::string label;
    int64_t customers = 0;
    double actual_mean = 0, expected_mean = 0;
  };
  std::vector<bucket> by_calibration_frequency, by_decile, by_segment;
};

struct value_outcome {
  int64_t customers = 0;
  row_ledger ledger;
  double horizon = 0;  ///< in units
  value::purchase_model model;  ///< the fitted purchase model
  std::optional<value::gamma_gamma_fit> gamma_gamma;
  double mean_p_alive = 0;
  double total_expected_purchases = 0;
  double total_clv = 0;  ///< with spend
  std::string input_kind;  ///< "summary" or "transactions"
  std::string backend;     ///< where the purchase model's likelihood passes ran
  std::string calibration_end;  ///< with a log
  std::optional<holdout_check> holdout;
  std::vector<segment_value> segments;
  int64_t customers_without_segment = 0;
  int64_t segmented_without_value = 0;
  std::vector<std::string> warnings;
  std::vector<std::string> files;
};

/// Throws input_error (exit 2) for bad options or data, numerical_error (exit 4) when a fit does not converge;
/// nothing is written then.
value_outcome run_value(const value_options& options);

}  // namespace segmint
