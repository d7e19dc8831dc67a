#include "value_from_log.hpp"

#include <unordered_map>

#include "../io/transaction_dates.hpp"
#include "segmint/error.hpp"

namespace segmint::detail {
namespace {

const std::vector<double>& feature(const customer_table& t, const char* name) {
  const auto* column = t.find(name);
  if (column == nullptr) throw std::logic_error(std::string("customer table without ") + name);
  return *column;
}

}  // namespace

value::rfm_summary summary_of(const customer_table& t, double unit_days) {
  const auto& repeat = feature(t, "repeat_frequency");
  const auto& since_last = feature(t, "recency_days");  // as_of − last purchase day
  const auto& tenure = feature(t, "tenure_days");       // as_of − first purchase day
  value::rfm_summary s;
  for (size_t i = 0; i < t.ids.size(); ++i) {
    s.frequency.push_back(repeat[i]);
    s.recency.push_back((tenure[i] - since_last[i]) / unit_days);
    s.age.push_back((tenure[i] - 1) / unit_days);
  }
  return s;
}

log_summary summarise_log(transaction_options o, const std::optional<std::string>& calibration_end, double unit_days) {
  if (o.as_of) throw input_error("value: give --calibration-end (the last day observed), not --as-of");
  log_summary out;
  std::optional<customer_table> whole;
  if (calibration_end) {
    const auto end = parse_iso_day(*calibration_end);
    if (!end) throw input_error("--calibration-end " + quote_value(*calibration_end) + ": write the date as YYYY-MM-DD");
    whole = compute_customer_features(o);
    const auto first = parse_iso_day(whole->summary.first_day);
    const auto last = parse_iso_day(whole->summary.last_day);
    if (!first || !last || *end < *first || *end > *last)
      throw input_error("--calibration-end " + *calibration_end + " is outside the log, which runs from " + whole->summary.first_day +
                        " to " + whole->summary.last_day);
    if (*end < *last) {
      o.as_of = day_text(*end + 1);
      out.holdout_length = static_cast<double>(*last - *end) / unit_days;
      out.holdout_end = whole->summary.last_day;
    }
  }
  customer_table t = o.as_of || !whole ? compute_customer_features(o) : std::move(*whole);
  out.id_column = t.id_column;
  out.ids = t.ids;
  out.lines = t.summary;
  const int32_t as_of = *parse_iso_day(t.summary.as_of);
  out.calibration_end = day_text(as_of - 1);
  out.s = summary_of(t, unit_days);
  out.s.monetary = t.repeat_purchase_value;
  const auto& repeat = feature(t, "repeat_frequency");
  if (!out.holdout_end.empty()) {
    std::unordered_map<std::string_view, size_t> row_of;
    for (size_t i = 0; i < whole->ids.size(); ++i) row_of.emplace(whole->ids[i], i);
    const auto& whole_repeat = feature(*whole, "repeat_frequency");
    out.holdout_purchases.resize(t.ids.size());
    for (size_t i = 0; i < t.ids.size(); ++i) out.holdout_purchases[i] = whole_repeat[row_of.at(t.ids[i])] - repeat[i];
  }
  out.table = std::move(t);
  return out;
}

}  // namespace segmint::detail
