#include "value_outputs.hpp"

#include <cmath>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "csv_writer.hpp"
#include "rank_ordered_csv.hpp"
#include "segmint/version.hpp"

namespace segmint::detail {
namespace {

nlohmann::ordered_json report_json(const value::fit_report& r, const std::vector<std::string>& names) {
  nlohmann::ordered_json j;
  j["log_likelihood"] = r.log_likelihood;
  for (size_t k = 0; k < names.size(); ++k) {
    const double se = r.standard_errors.size() > k ? r.standard_errors[k] : NAN;
    j["standard_errors"][names[k]] = std::isfinite(se) ? nlohmann::ordered_json(se) : nlohmann::ordered_json(nullptr);
  }
  j["iterations"] = r.iterations;
  j["converged"] = r.converged;
  j["customers"] = r.customers;
  return j;
}

}  // namespace

std::string value_json(const value_options& o, const value_outcome& out) {
  nlohmann::ordered_json j;
  j["segmint_version"] = version_string();
  if (o.transactions) {
    for (const auto& f : o.transactions->files) j["input"]["transactions"].push_back(std::filesystem::path(f).filename().string());
    j["input"]["calibration_end"] = out.calibration_end;
  } else {
    j["input"]["summary"] = std::filesystem::path(o.summary).filename().string();
  }
  j["unit"] = o.unit;
  j["horizon"] = out.horizon;
  j["customers"] = out.customers;
  j["ledger"] = {{"read", out.ledger.read}, {"used", out.ledger.used}, {"rejected", out.ledger.rejected}};
  j["model"] = o.model;
  j["backend"] = out.backend;
  std::vector<std::string> names;
  for (const auto& [name, v] : out.model.named_parameters()) {
    j[o.model][name] = v;
    names.push_back(name);
  }
  j[o.model + "_fit"] = report_json(out.model.report, names);
  if (out.gamma_gamma) {
    const auto& gg = out.gamma_gamma->params;
    j["gamma_gamma"] = {{"p", gg.p}, {"q", gg.q}, {"v", gg.v}};
    j["gamma_gamma_fit"] = report_json(out.gamma_gamma->report, {"p", "q", "v"});
    j["gamma_gamma_fit"]["frequency_monetary_correlation"] = out.gamma_gamma->frequency_monetary_correlation;
    j["clv"] = {{"months", o.clv_months}, {"monthly_discount_rate", o.monthly_discount_rate}, {"total", out.total_clv}};
  }
  j["totals"] = {{"mean_p_alive", out.mean_p_alive}, {"expected_purchases", out.total_expected_purchases}};
  if (!o.segments_dir.empty() || !out.segments.empty()) {
    auto& js = j["segments"];
    js["run"] = o.segments_dir.empty() ? std::string("this run (segmint run --value)")
                                       : std::filesystem::path(o.segments_dir).filename().string();
    js["customers_without_segment"] = out.customers_without_segment;
    js["segmented_without_value"] = out.segmented_without_value;
    js["bootstrap"] = {{"resamples", o.bootstrap}, {"seed", o.seed}, {"interval", "95% of the mean CLV"}};
    for (const auto& v : out.segments) {
      nlohmann::ordered_json e = {{"segment", v.segment},
                                  {"name", v.name},
                                  {"customers", v.customers},
                                  {"mean_p_alive", v.mean_p_alive},
                                  {"median_p_alive", v.median_p_alive},
                                  {"expected_purchases", v.expected_purchases}};
      if (out.gamma_gamma) {
        e["expected_spend"] = v.expected_spend;
        e["total_clv"] = v.total_clv;
        e["mean_clv"] = v.mean_clv;
        e["mean_clv_interval"] = {v.mean_clv_low, v.mean_clv_high};
      }
      js["by_segment"].push_back(e);
    }
  }
  if (out.holdout) {
    const auto& h = *out.holdout;
    auto& jh = j["holdout"];
    jh = {{"calibration_end", h.calibration_end}, {"holdout_end", h.holdout_end}, {"length", h.length},
          {"actual_purchases", h.actual_total}, {"expected_purchases", h.expected_total}, {"mean_absolute_error", h.mean_absolute_error}};
    const auto table = [](const std::vector<holdout_check::bucket>& buckets, const char* label) {
      auto rows = nlohmann::ordered_json::array();
      for (const auto& b : buckets)
        rows.push_back({{label, b.label}, {"customers", b.customers}, {"actual_mean", b.actual_mean}, {"expected_mean", b.expected_mean}});
      return rows;
    };
    jh["by_calibration_frequency"] = table(h.by_calibration_frequency, "frequency");
    jh["by_decile"] = table(h.by_decile, "decile");
    if (!h.by_segment.empty()) jh["by_segment"] = table(h.by_segment, "segment_name");
  }
  j["warnings"] = out.warnings;
  return j.dump(1) + "\n";
}

namespace {

void write_value_csv(atomic_file& csv, const value_options& o, const value_input& t, const customer_value& c, bool holdout,
                     const segment_assignment* segments, bool with_header) {
  std::string head = csv_field(t.id_column) + ",frequency,recency,age";
  if (o.monetary_column) head += ",monetary";
  head += ",p_alive,expected_purchases";
  if (o.monetary_column) head += ",expected_spend_per_purchase,expected_spend,clv";
  if (holdout) head += ",holdout_purchases,holdout_expected";
  if (segments) head += ",segment,segment_name";
  if (with_header) csv << head << "\n";
  // A summary's values as read (float32): their shortest text, e.g. 30.43 rather than 30.43000031.
  const bool from_log = o.transactions.has_value();
  const auto echo = [from_log](double v) { return from_log ? csv_number(v) : csv_float(static_cast<float>(v)); };
  for (size_t i = 0; i < t.s.size(); ++i) {
    std::string line = csv_text(t.ids[i], o.spreadsheet_safe) + "," + echo(t.s.frequency[i]) + "," + echo(t.s.recency[i]) +
                       "," + echo(t.s.age[i]);
    if (o.monetary_column) line += "," + echo(t.s.monetary[i]);
    line += "," + csv_number(c.alive[i]) + "," + csv_number(c.purchases[i]);
    if (o.monetary_column)
      line += "," + csv_number(c.spend[i]) + "," + csv_number(c.spend[i] * c.purchases[i]) + "," +
              csv_number(c.lifetime[i]);
    if (holdout) line += "," + csv_number(t.holdout_purchases[i]) + "," + csv_number(c.holdout_expected[i]);
    if (segments) {
      const int32_t s = segments->segment_of[i];
      line += s < 0 ? std::string(",,")
                    : "," + std::to_string(s) + "," + csv_text(segments->names[static_cast<size_t>(s)], o.spreadsheet_safe);
    }
    csv << line << "\n";
  }
}

}  // namespace

void write_value_outputs(output_set* outputs, const communicator& comm, const value_options& o, const value_input& t,
                         const customer_value& c, const value_outcome& out, const segment_assignment* segments) {
  write_csv_in_rank_order(outputs, comm, "value.csv", [&](atomic_file& f, bool with_header) {
    write_value_csv(f, o, t, c, out.holdout.has_value(), segments, with_header);
  });
  if (comm.root()) outputs->open("value.json") << value_json(o, out);
}

}  // namespace segmint::detail
