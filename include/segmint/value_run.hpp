#pragma once
// `segmint value`: reads a per-customer summary, fits BG/NBD (and Gamma-Gamma when spend is given) and writes
// DIR/value.csv (per customer) and DIR/value.json (the models), together or not at all.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "segmint/io.hpp"
#include "segmint/value.hpp"

namespace segmint {

struct value_options {
  std::string summary;  ///< CSV with one row per customer (lifetimes' layout)
  std::string id_column;  ///< empty: rows are numbered
  std::string frequency_column = "frequency";
  std::string recency_column = "recency";
  std::string age_column = "T";
  std::optional<std::string> monetary_column;  ///< given: Gamma-Gamma, expected spend and CLV
  std::string unit = "days";                   ///< "days" or "weeks": the unit of recency and age
  std::optional<double> horizon;               ///< in units; default 90 days
  int clv_months = 12;
  double monthly_discount_rate = 0.01;
  csv_options csv;
  std::string out_dir;
  bool spreadsheet_safe = false;
};

struct value_outcome {
  int64_t customers = 0;
  row_ledger ledger;
  double horizon = 0;  ///< in units
  value::bgnbd_fit bgnbd;
  std::optional<value::gamma_gamma_fit> gamma_gamma;
  double mean_p_alive = 0;
  double total_expected_purchases = 0;
  double total_clv = 0;  ///< with spend
  std::vector<std::string> warnings;
  std::vector<std::string> files;
};

/// Throws input_error (exit 2) for bad options or data, numerical_error (exit 4) when a fit does not converge;
/// nothing is written then.
value_outcome run_value(const value_options& options);

}  // namespace segmint
