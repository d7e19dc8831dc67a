// `segmint run`: read → preprocess → choose k and cluster → profile → write, with a timing per stage.
#include <chrono>
#include <cmath>
#include <optional>
#include <cstdio>
#include <filesystem>

#include "job_table.hpp"
#include "../io/atomic_file.hpp"
#include "../report/report.hpp"
#include "csv_writer.hpp"
#include "linkage_csv.hpp"
#include "../dist/communicator.hpp"
#include "../io/input_files.hpp"
#include "distance_range.hpp"
#include "column_summary.hpp"
#include "input_hints.hpp"
#include "stale_outputs.hpp"
#include "outputs.hpp"
#include "rank_ordered_csv.hpp"
#include "run_value.hpp"
#include "value_outputs.hpp"
#include "segment.hpp"
#include "segmint/error.hpp"
#include "segmint/run.hpp"

namespace segmint {
namespace {

class stage_clock {
 public:
  explicit stage_clock(std::map<std::string, double>& sink) : sink_(sink) {}
  void lap(const std::string& stage) {
    const auto now = std::chrono::steady_clock::now();
    sink_[stage] = std::chrono::duration<double>(now - last_).count();
    last_ = now;
  }

 private:
  std::map<std::string, double>& sink_;
  std::chrono::steady_clock::time_point last_ = std::chrono::steady_clock::now();
};

std::string seconds(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f s", s);
  return buf;
}

}  // namespace

namespace detail {
/// The segment of every leaf of a Ward linkage (rows, or micro-clusters in two-stage mode), for colouring.
std::vector<int32_t> leaf_segments(const segmentation& s) {
  const auto leaves = static_cast<int64_t>(s.linkage.size()) + 1;
  const std::vector<int32_t> cluster = cut_linkage(s.linkage, leaves, s.k);
  const std::vector<int64_t> nodes = cut_nodes(s.linkage, leaves, s.k);
  std::vector<int32_t> segment_of_cluster(nodes.size(), 0);
  for (size_t c = 0; c < nodes.size(); ++c)
    for (size_t seg = 0; seg < s.linkage_cut.size(); ++seg)
      if (s.linkage_cut[seg] == nodes[c]) segment_of_cluster[c] = static_cast<int32_t>(seg);
  std::vector<int32_t> out(cluster.size());
  for (size_t i = 0; i < cluster.size(); ++i) out[i] = segment_of_cluster[static_cast<size_t>(cluster[i])];
  return out;
}
}  // namespace detail

/// segments.csv, data-parallel in rank order (rank_ordered_csv.hpp).
void write_segments(detail::output_set& outputs, const detail::communicator& comm, const run_outcome& r,
                    const std::vector<std::string>& names, bool spreadsheet_safe) {
  const detail::assignment_columns columns{r.seg.labels, r.seg.distance, r.seg.probability, r.seg.responsibilities};
  detail::write_csv_in_rank_order(&outputs, comm, "segments.csv", [&](detail::atomic_file& f, bool header) {
    detail::write_assignments(f, r.table.id_column, r.table.ids, columns, names, header, spreadsheet_safe);
  });
}

namespace detail {

/// `given`: a table already read (in-memory input); otherwise the job reads options' files or log.
run_outcome run_job(const run_options& options, std::optional<feature_table> given) {
  const detail::input_file_scope inputs_of_this_run;
  run_options o = options;
  std::vector<std::string> inputs{o.input};
  inputs.insert(inputs.end(), o.more_inputs.begin(), o.more_inputs.end());
  if (!o.more_inputs.empty()) o.input += " and " + std::to_string(o.more_inputs.size()) + " more";  // for messages
  const bool reads_table = !given && !o.input.empty();  // a customer table (with --transactions: joined to the log's features)
  if (o.transactions && o.input.empty()) {
    const auto& files = o.transactions->files;
    o.input = files.empty() ? "transactions" : files.front() + (files.size() > 1 ? " and " + std::to_string(files.size() - 1) + " more" : "");
  }
  auto say = [&](const std::string& line) {
    if (o.progress) o.progress(line);
  };
  detail::check_algorithm(o);
  if (o.value && o.transactions && reads_table)
    throw input_error("run --value models the log's customers: give --transactions without INPUT (a customer table with "
                      "--transactions is for runs without --value)");
  if (o.value) detail::check_run_value(o);
  context ctx(o.compute);
  const detail::communicator& comm = ctx.comm();
  const bool sharded = comm.size() > 1;
  if (sharded && o.transactions) throw input_error("--transactions runs in one process; run segmint features first, then mpirun ... segmint run");
  if (sharded && o.export_matrix) throw input_error("--export-matrix runs in one process (each rank holds only its rows)");
  // Fail on an unwritable folder before any work; rank 0 creates it first so the ranks do not race.
  std::optional<detail::output_set> made_first;
  std::string failure;
  if (comm.root()) {
    try {
      made_first.emplace(o.out_dir);
    } catch (const input_error& e) {
      if (!sharded) throw;
      failure = e.what();
    }
  }
  if (sharded) {
    comm.broadcast(failure, 0);
    if (!failure.empty()) {
      input_error e(failure);
      e.mark_collective();
      throw e;
    }
  }
  detail::output_set outputs = made_first ? std::move(*made_first) : detail::output_set(o.out_dir);
  run_outcome r;
  r.out_dir = o.out_dir;
  stage_clock clock(r.timings);

  std::optional<detail::value_input> value_in;
  if (given) {
    r.table = std::move(*given);
  } else {
    std::optional<customer_table> customers;
    if (o.transactions) {
      customers = o.value ? detail::log_for_value(o, value_in, r.warnings) : compute_customer_features(*o.transactions);
      say("read " + std::to_string(customers->summary.lines.read) + " transaction lines (" +
          std::to_string(customers->summary.lines.used) + " used) → " + std::to_string(customers->rows()) +
          " customers, as of " + customers->summary.as_of);
    }
    r.table = detail::read_job_table(reads_table ? inputs : std::vector<std::string>{}, o.joins, customers ? &*customers : nullptr,
                                     o.table, comm);
    if (customers) r.transactions = std::move(customers->summary);
  }
  clock.lap("read");
  for (const auto& j : r.table.joins)
    say("joined " + j.file + ": " + std::to_string(j.rows_read) + " rows, " + std::to_string(j.matched) + " matched, " +
        std::to_string(j.not_in_base) + " not in " + o.input + "; " + std::to_string(j.customers_without_row) +
        " customers without a row there (" + (o.transactions && &j == &r.table.joins.back()
                                                 ? std::string("no purchase in the log")
                                                 : "their " + std::to_string(j.columns.size()) + " columns missing") + ")");
  r.warnings.insert(r.warnings.end(), r.table.warnings.begin(), r.table.warnings.end());
  if (reads_table && !o.transactions) {
    std::vector<std::string> columns = r.table.feature_names();
    columns.insert(columns.end(), r.table.skipped_columns.begin(), r.table.skipped_columns.end());
    if (!r.table.id_generated) columns.push_back(r.table.id_column);
    if (const auto hint = detail::transaction_log_hint(o.input, columns)) r.warnings.push_back(*hint);
  }
  if (const int64_t rows = comm.sum(r.table.rows()); rows < 2)
    throw input_error(o.input + ": only " + std::to_string(rows) + " usable row; segmenting needs at least 2 rows");
  r.roles = assign_roles(r.table.features, o.roles);  // a bad --role fails before any clustering work
  refine_roles_by_values(r.roles, r.table, comm);
  say("read " + std::to_string(r.table.ledger.read) + " rows (" + std::to_string(r.table.ledger.rejected_total()) +
      " rejected), " + std::to_string(r.table.features.size()) + " features from " + o.input + " in " +
      seconds(r.timings["read"]));
  if (reads_table) say(detail::columns_line(r.table));

  ctx.fit_threads_to(r.table.rows(), static_cast<int64_t>(r.table.features.size()));
  r.backend = ctx.backend_name();
  r.device = ctx.device_description();
  r.threads = ctx.threads();
  preprocess_params advised = o.preprocess;
  advised.advise_log = true;
  r.preprocess = fit_preprocess(ctx, r.table, advised, r.warnings);
  const matrix z = apply_preprocess(r.preprocess, r.table);
  detail::check_distances_fit(z.view(), r.preprocess.output_names(), o.preprocess.standardize, comm);
  // The exported matrix is one of the run's outputs: written with the others at the end, never before.
  if (o.export_matrix) detail::refuse_overwriting_input(*o.export_matrix);
  clock.lap("preprocess");

  say("clustering " + std::to_string(comm.sum(z.rows())) + " × " + std::to_string(z.cols()) + " on " + r.backend + " (" + r.device +
      "), k = " + std::to_string(o.k_min) + (o.k_max > o.k_min ? ".." + std::to_string(o.k_max) : ""));
  r.seg = detail::segment(ctx, z.view(), o);
  for (const auto& w : r.seg.warnings) r.warnings.push_back(w);
  clock.lap("cluster");
  say(r.seg.reason + " (" + seconds(r.timings["cluster"]) + ")");
  // The report's customer map needs model-space rows, which die with `z`: sample and project them now.
  std::optional<detail::report_scatter> scatter;
  if (o.write_report) {
    scatter = detail::make_report_scatter(ctx, z.view(), r.seg, r.preprocess, r.table.ids, o.kmeans.seed);
    clock.lap("report_sample");
  }
  ctx.unload();

  r.profiles = profile_segments(r.table, r.seg.labels, r.seg.k, comm);
  std::vector<std::string> logged;
  for (const auto& c : r.preprocess.columns)
    if (c.log1p) logged.push_back(c.name);
  rescore_on_log_scale(r.profiles, r.table, r.seg.labels, logged, comm);
  r.profiled = describe_profiled(r.table, r.seg.labels, r.seg.k);
  name_segments(r.profiles, r.roles);
  clock.lap("profile");

  std::vector<std::string> names;
  for (const auto& p : r.profiles) names.push_back(p.name);
  std::optional<detail::segment_assignment> value_segments;
  detail::customer_value per_customer;
  if (o.value) {
    value_segments = detail::segments_of_run(r, names, value_in->ids);
    r.value = detail::model_value(*o.value, *value_in, &*value_segments, per_customer);
    r.warnings.insert(r.warnings.end(), r.value->warnings.begin(), r.value->warnings.end());
    clock.lap("value");
    say("customer value: " + r.value->model.name() + " fitted on " + std::to_string(r.value->customers) + " customers (" +
        seconds(r.timings["value"]) + ")");
  }
  if (const int64_t n = comm.sum(static_cast<int64_t>(detail::count_formula_like(r.table.ids))); n > 0 && !o.spreadsheet_safe)
    r.warnings.push_back(detail::formula_warning(static_cast<size_t>(n)));
  if (const size_t n = detail::count_formula_like_levels(r.profiles); n > 0 && !o.spreadsheet_safe)
    r.warnings.push_back(detail::formula_warning(n, "column or category name"));
  write_segments(outputs, comm, r, names, o.spreadsheet_safe);
  r.files = {"segments.csv", "profile.csv", "model.json"};
  if (r.seg.algorithm == "ward") r.files.push_back("linkage.csv");
  if (r.value) r.files.insert(r.files.end(), {"value.csv", "value.json"});
  r.files.push_back("run.json");
  if (o.write_report) r.files.push_back("report.html");
  if (!comm.root()) return r;  // rank 0 writes the files every rank agrees on

  detail::write_profile_csv(outputs.open("profile.csv"), r.profiles, o.spreadsheet_safe, r.value ? &r.value->segments : nullptr);
  if (r.value) detail::write_value_outputs(&outputs, comm, *o.value, *value_in, per_customer, *r.value, &*value_segments);
  outputs.open("model.json") << model_to_json(detail::make_model(o, r));
  if (r.seg.algorithm == "ward") detail::write_linkage_csv(outputs.open("linkage.csv"), r.seg.linkage);
  clock.lap("write");
  outputs.open("run.json") << detail::run_json(o, r);
  if (o.write_report) {
    std::optional<detail::dendrogram_spec> tree;
    std::vector<int32_t> leaf_segment;
    if (!r.seg.linkage.empty()) {
      leaf_segment = detail::leaf_segments(r.seg);
      tree = detail::dendrogram_spec{r.seg.linkage, r.seg.k, 30, leaf_segment};
    }
    outputs.open("report.html") << detail::render_report({o, r, *scatter, tree});
  }
  outputs.commit_all();
  if (o.export_matrix) write_npy(*o.export_matrix, z.view());
  for (const auto& name : detail::remove_stale_outputs(o.out_dir, r.files))
    r.warnings.push_back("removed " + name + " left in " + o.out_dir + " by an earlier run (this run writes none)");
  return r;
}

}  // namespace detail

run_outcome run_segmentation(const run_options& options) { return detail::run_job(options, std::nullopt); }

run_outcome run_segmentation(const run_options& options, feature_table table) {
  return detail::run_job(options, std::move(table));
}

scored_rows score_rows(context& ctx, const segment_model& model, const feature_table& t, bool probabilities) {
  const matrix z = apply_preprocess(model.preprocess, t);
  const auto n = static_cast<size_t>(z.rows());
  scored_rows s;
  s.labels.resize(n);
  s.distance.resize(n);
  if (model.mixture) {
    s.probability.resize(n);
    if (probabilities) s.responsibilities.resize(n * static_cast<size_t>(model.mixture->k));
    gmm::predict(ctx, z.view(), *model.mixture, s.labels, s.probability, s.responsibilities);
    for (size_t i = 0; i < n; ++i) {  // Euclidean distance to the segment mean, as in training
      float d2 = 0;
      for (int64_t j = 0; j < z.cols(); ++j) {
        const float diff = z(static_cast<int64_t>(i), j) - model.centroids(s.labels[i], j);
        d2 += diff * diff;
      }
      s.distance[i] = std::sqrt(d2);
    }
  } else {
    kmeans::assign(ctx, z.view(), model.centroids.view(), s.labels, s.distance);
    for (float& d : s.distance) d = std::sqrt(d);
  }
  return s;
}

predict_outcome run_predict(const predict_options& o) {
  const detail::input_file_scope inputs_of_this_run;
  const segment_model model = load_model(o.model_path);
  feature_table t;
  if (o.transactions)
    t = load_table_with_log_features(o.input, o.joins, compute_customer_features(*o.transactions), model.schema, o.csv);
  else if (!o.joins.empty())
    t = load_joined_table(o.input, o.joins, model.schema, o.csv);
  else
    t = load_with_schema(o.input, model.schema, o.csv);
  predict_outcome out;
  out.ledger = t.ledger;
  out.joins = t.joins;
  out.warnings = t.warnings;
  out.rows = t.rows();
  context ctx(o.compute);
  const scored_rows scored = score_rows(ctx, model, t, o.probabilities);
  ctx.unload();
  out.sizes.assign(static_cast<size_t>(model.centroids.rows()), 0);
  for (int32_t l : scored.labels) ++out.sizes[static_cast<size_t>(l)];
  std::vector<std::string> names;
  for (const auto& s : model.segments) names.push_back(s.name);
  const std::filesystem::path out_path(o.out_path);
  if (out_path.has_parent_path()) detail::output_set check(out_path.parent_path().string());
  detail::atomic_file f(o.out_path);
  detail::write_assignments(f, t.id_column, t.ids, {scored.labels, scored.distance, scored.probability, scored.responsibilities}, names, true,
                            o.spreadsheet_safe);
  if (const size_t formula_ids = detail::count_formula_like(t.ids); formula_ids > 0 && !o.spreadsheet_safe)
    out.warnings.push_back(detail::formula_warning(formula_ids));
  f.commit();
  return out;
}

}  // namespace segmint
