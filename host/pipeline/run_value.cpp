#include "run_value.hpp"

#include <unordered_map>

#include "segmint/error.hpp"

namespace segmint::detail {
namespace {

/// fit_gamma_gamma's minimum of repeat buyers with spend.
constexpr int64_t min_spend_customers = 20;

}  // namespace

void check_run_value(run_options& o) {
  value_options& v = *o.value;
  if (!o.transactions) throw input_error("--value needs --transactions FILE... (the value models read each customer's purchase history)");
  if (o.transactions->as_of)
    throw input_error("run --value: give --calibration-end (the last day the models and the segments see), not --as-of");
  v.transactions = o.transactions;
  v.summary.clear();
  v.unit = "days";
  v.monetary_column = "repeat";
  v.compute = o.compute;
  v.seed = o.kmeans.seed;
  v.out_dir = o.out_dir;
  v.spreadsheet_safe = o.spreadsheet_safe;
  check_value_options(v);
}

customer_table log_for_value(run_options& o, std::optional<value_input>& value_in, std::vector<std::string>& warnings) {
  log_summary log = summarise_log(*o.transactions, o.value->calibration_end, 1.0);
  customer_table customers = std::move(log.table);
  value_in = value_input_of(std::move(log), true);
  int64_t with_spend = 0;
  for (size_t i = 0; i < value_in->s.size(); ++i) with_spend += value_in->s.frequency[i] > 0 && value_in->s.monetary[i] > 0;
  if (with_spend < min_spend_customers) {
    value_in->s.monetary.clear();
    o.value->monetary_column.reset();
    warnings.push_back("customer value without spend and CLV: " + std::to_string(with_spend) +
                       " repeat buyers with a positive purchase value, and the Gamma-Gamma spend model needs " +
                       std::to_string(min_spend_customers));
  }
  return customers;
}

segment_assignment segments_of_run(const run_outcome& r, const std::vector<std::string>& names, const std::vector<std::string>& ids) {
  std::unordered_map<std::string_view, int32_t> segment_of_id;
  for (size_t i = 0; i < r.table.ids.size(); ++i) segment_of_id.emplace(r.table.ids[i], r.seg.labels[i]);
  segment_assignment a;
  a.names = names;
  a.segment_of.assign(ids.size(), -1);
  for (size_t i = 0; i < ids.size(); ++i)
    if (const auto it = segment_of_id.find(ids[i]); it != segment_of_id.end()) a.segment_of[i] = it->second;
  return a;
}

}  // namespace segmint::detail
