// `segmint tune`: read once → search (segmint/tune.hpp) → write tune.csv, tune.json, timings.json, report.html.
#include "../dist/communicator.hpp"
#include "../io/atomic_file.hpp"
#include "../io/input_files.hpp"
#include "../report/tune_report.hpp"
#include "segmint/error.hpp"
#include "job_table.hpp"
#include "tune_outputs.hpp"

namespace segmint {

tune_run_outcome run_tune(const tune_options& o) {
  const detail::input_file_scope inputs_of_this_run;
  tune::check(o.search);  // a bad grid fails before anything is read or created
  context ctx(o.compute);
  // tune::run refuses data-parallel runs too, but only once the table is read: refuse before reading.
  if (ctx.comm().size() > 1) throw input_error("tune runs in one process (mpirun is for segmint run and value)");
  detail::output_set outputs(o.out_dir);
  tune_run_outcome r;
  std::optional<customer_table> customers;
  if (o.transactions) customers = compute_customer_features(*o.transactions);
  feature_table t = detail::read_job_table(o.inputs, o.joins, customers ? &*customers : nullptr, o.table, ctx.comm());
  r.ledger = t.ledger;
  r.joins = t.joins;
  r.feature_names = t.feature_names();
  r.warnings = t.warnings;
  ctx.fit_threads_to(t.rows(), static_cast<int64_t>(t.features.size()));
  r.backend = ctx.backend_name();
  r.search = tune::run(ctx, t, o.search);
  ctx.unload();
  r.warnings.insert(r.warnings.end(), r.search.warnings.begin(), r.search.warnings.end());
  r.files = {"tune.csv", "tune.json", "timings.json"};
  if (o.write_report) r.files.push_back("report.html");
  outputs.open("tune.csv") << detail::tune_csv(r.search);
  outputs.open("tune.json") << detail::tune_json(o, r);
  outputs.open("timings.json") << detail::tune_timings_json(r.search);
  if (o.write_report) outputs.open("report.html") << detail::render_tune_report(o, r);
  outputs.commit_all();
  return r;
}

}  // namespace segmint
