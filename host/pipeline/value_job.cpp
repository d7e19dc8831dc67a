// The `value` job: summary table (or transaction log) in, value.csv and value.json out
// (include/segmint/value_run.hpp); the model step and the writers are shared with `run --value`.
#include <cmath>

#include "../dist/communicator.hpp"
#include "../io/csv_shard.hpp"
#include "../io/gzip.hpp"
#include "../io/header_lookup.hpp"
#include "../io/input_files.hpp"
#include "csv_writer.hpp"
#include "value_outputs.hpp"
#include "segmint/error.hpp"
#include "segmint/value_run.hpp"

namespace segmint {
namespace {

/// Reads the summary columns (float32 like every table segmint reads: 7 significant digits) and applies
/// find_summary_problem to each row: an error naming file, line, column and value, or a rejection under skip.
detail::value_input read_summary(const value_options& o, const detail::communicator& comm) {
  std::vector<std::string> names = {o.frequency_column, o.recency_column, o.age_column};
  const std::vector<std::string> options = {"--frequency", "--recency", "--age", "--monetary"};
  if (o.monetary_column) names.push_back(*o.monetary_column);
  std::optional<int> id_index;
  std::vector<int> indices;
  const detail::text_file file(o.summary);
  const raw_table raw = detail::read_csv_shard(file.bytes(), o.summary, o.csv, [&](const std::vector<csv_column_info>& header) {
    const detail::header_lookup find(o.summary, header);
    csv_plan plan;
    for (size_t k = 0; k < names.size(); ++k) plan.numeric.push_back(find(names[k], options[k].c_str()).index);
    if (!o.id_column.empty()) {
      id_index = find(o.id_column, "--id").index;
      plan.text.push_back(*id_index);
      plan.id = id_index;
    }
    indices = plan.numeric;
    return plan;
  }, comm);
  detail::value_input t;
  t.ledger = raw.ledger;
  if (id_index) t.id_column = o.id_column;
  const auto column = [&](size_t k) -> const std::vector<float>& { return raw.columns[k].numbers; };
  const size_t n = static_cast<size_t>(raw.rows());
  for (size_t i = 0; i < n; ++i) {
    const double x = column(0)[i], tx = column(1)[i], T = column(2)[i];
    const double m = o.monetary_column ? static_cast<double>(column(3)[i]) : 0.0;
    const auto problem = std::isnan(x) || std::isnan(tx) || std::isnan(T) || std::isnan(m)
                             ? std::optional<value::summary_problem>(value::summary_problem{"", "missing value"})
                             : value::find_summary_problem(x, tx, T, m);
    if (problem) {
      const std::string field = problem->field;
      const size_t k = field == "frequency" ? 0 : field == "recency" ? 1 : field == "age" ? 2 : field == "monetary" ? 3 : 0;
      if (o.csv.on_bad_row == bad_row_policy::skip) {
        t.ledger.reject(field.empty() ? "missing_value" : "bad_" + field);
        --t.ledger.used;
        continue;
      }
      const float shown = column(k)[i];
      throw input_error(describe({raw.file_of(i), raw.lines[i], indices[k] + 1, names[k]},
                                 problem->reason + ": " + quote_value(detail::csv_number(shown, 8)) +
                                     " (--on-bad-row skip skips such rows)"));
    }
    t.s.frequency.push_back(x);
    t.s.recency.push_back(tx);
    t.s.age.push_back(T);
    if (o.monetary_column) t.s.monetary.push_back(m);
    t.ids.push_back(id_index ? raw.columns.back().text[i] : std::to_string(raw.lines[i] - 1));
  }
  if (comm.sum(static_cast<int64_t>(t.s.size())) == 0) throw input_error(o.summary + ": no customers to model");
  return t;
}

}  // namespace

value_outcome run_value(const value_options& o) {
  detail::check_value_options(o);
  const detail::communicator& comm = o.compute.comm ? *o.compute.comm : *detail::single_process();
  if (comm.size() > 1 && (o.transactions || !o.segments_dir.empty()))
    throw input_error("value under mpirun reads a --summary (each process a share of its rows); --transactions and --segments run in "
                      "one process");
  const detail::input_file_scope inputs_of_this_run;
  const detail::value_input t =
      o.transactions ? detail::value_input_of(detail::summarise_log(*o.transactions, o.calibration_end, o.unit == "days" ? 1.0 : 7.0),
                                              o.monetary_column.has_value())
                     : read_summary(o, comm);
  std::optional<detail::segment_assignment> segments;
  if (!o.segments_dir.empty()) segments = detail::assign_segments(o.segments_dir, t.ids);
  detail::customer_value per_customer;
  value_outcome out = detail::model_value(o, t, segments ? &*segments : nullptr, per_customer);
  std::optional<detail::output_set> outputs;  // rank 0 writes; the other ranks append their rows of value.csv
  if (comm.root()) outputs.emplace(o.out_dir);
  detail::write_value_outputs(outputs ? &*outputs : nullptr, comm, o, t, per_customer, out, segments ? &*segments : nullptr);
  out.files = {"value.csv", "value.json"};
  if (outputs) outputs->commit_all();
  return out;
}

}  // namespace segmint
