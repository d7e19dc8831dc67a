// segmint._segmint: the Python package's door into the C++ library (nanobind). No algorithm lives here:
// `run_table` is the `segmint run` command line itself on an in-memory table, `segment_matrix` is
// segmint::segment, and the predict functions are the library's. Computation runs with the GIL released.
#include <nanobind/nanobind.h>
#include <nanobind/ndarray.h>
#include <nanobind/stl/map.h>
#include <nanobind/stl/optional.h>
#include <nanobind/stl/string.h>
#include <nanobind/stl/vector.h>

#include <sstream>
#include <string>
#include <vector>

#include "cli.hpp"
#include "segmint/context.hpp"
#include "segmint/error.hpp"
#include "segmint/model.hpp"
#include "segmint/run.hpp"
#include "segmint/segment.hpp"
#include "segmint/version.hpp"
#ifdef SEGMINT_HAVE_CUDA
#include "segmint/cuda.hpp"
#endif

namespace nb = nanobind;
using namespace nb::literals;

namespace {

using float_array = nb::ndarray<const float, nb::ndim<2>, nb::device::cpu>;
using column_array = nb::ndarray<const double, nb::ndim<1>, nb::c_contig, nb::device::cpu>;

/// A new NumPy array that owns `values` (moved, not copied).
template <typename T>
nb::ndarray<nb::numpy, T> to_numpy(std::vector<T>&& values, std::initializer_list<size_t> shape, bool fortran = false) {
  auto* owner = new std::vector<T>(std::move(values));
  nb::capsule free_it(owner, [](void* p) noexcept { delete static_cast<std::vector<T>*>(p); });
  std::vector<size_t> dims(shape);
  std::vector<int64_t> strides;
  if (fortran && dims.size() == 2) strides = {1, static_cast<int64_t>(dims[0])};
  return nb::ndarray<nb::numpy, T>(owner->data(), dims.size(), dims.data(), free_it, fortran ? strides.data() : nullptr);
}

/// Column-major view of a float32 array: in place when it is Fortran-ordered, else one copy into `storage`.
segmint::matrix_view as_column_major(const float_array& x, segmint::matrix& storage) {
  const auto rows = static_cast<int64_t>(x.shape(0));
  const auto cols = static_cast<int64_t>(x.shape(1));
  if (x.stride(0) == 1 && (cols <= 1 || x.stride(1) == rows)) return {x.data(), rows, cols};
  storage = segmint::matrix(rows, cols);
  for (int64_t j = 0; j < cols; ++j)
    for (int64_t i = 0; i < rows; ++i) storage(i, j) = x.data()[i * x.stride(0) + j * x.stride(1)];
  return storage.view();
}

segmint::context_options compute_options(const std::string& backend, int threads) {
  segmint::context_options c;
  c.backend = segmint::parse_backend_choice(backend);
  c.threads = threads;
  return c;
}

nb::dict scores_of(const segmint::candidate_score& s) {
  nb::dict d;
  d["k"] = s.k;
  d["inertia"] = s.inertia;
  d["silhouette"] = s.scores.silhouette;
  d["calinski_harabasz"] = s.scores.calinski_harabasz;
  d["davies_bouldin"] = s.scores.davies_bouldin;
  d["iterations"] = s.iterations;
  d["converged"] = s.converged;
  for (const auto& [name, value] : s.extra) d[name.c_str()] = value;
  return d;
}

nb::dict mixture_of(const segmint::gmm::mixture& m) {
  nb::dict d;
  d["covariance_type"] = std::string(segmint::gmm::to_string(m.type));
  d["weights"] = to_numpy(std::vector<double>(m.weights), {m.weights.size()});
  const auto k = static_cast<size_t>(m.k);
  const auto dim = static_cast<size_t>(m.d);
  d["means"] = to_numpy(std::vector<double>(m.means), {k, dim}, true);
  std::vector<double> cov = m.covariances;
  switch (m.type) {
    case segmint::gmm::covariance_type::full: {  // k blocks of d × d column-major → (k, d, d)
      std::vector<double> out(k * dim * dim);
      for (size_t c = 0; c < k; ++c)
        for (size_t i = 0; i < dim; ++i)
          for (size_t j = 0; j < dim; ++j) out[(c * dim + i) * dim + j] = cov[c * dim * dim + j * dim + i];
      d["covariances"] = to_numpy(std::move(out), {k, dim, dim});
      break;
    }
    case segmint::gmm::covariance_type::diag: d["covariances"] = to_numpy(std::move(cov), {k, dim}, true); break;
    case segmint::gmm::covariance_type::spherical: d["covariances"] = to_numpy(std::move(cov), {k}); break;
    case segmint::gmm::covariance_type::tied: d["covariances"] = to_numpy(std::move(cov), {dim, dim}, true); break;
  }
  return d;
}

/// The inverse of mixture_of, from the estimator's arrays (C-ordered float64).
segmint::gmm::mixture mixture_from(const std::string& type, const std::vector<double>& weights, const std::vector<double>& means_row_major,
                                   const std::vector<double>& covariances_row_major, int64_t d) {
  segmint::gmm::mixture m;
  m.type = segmint::gmm::parse_covariance_type(type);
  m.k = static_cast<int>(weights.size());
  m.d = d;
  m.weights = weights;
  const auto k = static_cast<size_t>(m.k);
  const auto dim = static_cast<size_t>(d);
  if (means_row_major.size() != k * dim) throw segmint::input_error("means_ must be n_components × n_features");
  m.means.resize(k * dim);
  for (size_t c = 0; c < k; ++c)
    for (size_t j = 0; j < dim; ++j) m.means[j * k + c] = means_row_major[c * dim + j];
  const std::vector<double>& cov = covariances_row_major;
  switch (m.type) {
    case segmint::gmm::covariance_type::full:
      m.covariances.resize(k * dim * dim);
      for (size_t c = 0; c < k; ++c)
        for (size_t i = 0; i < dim; ++i)
          for (size_t j = 0; j < dim; ++j) m.covariances[c * dim * dim + j * dim + i] = cov.at((c * dim + i) * dim + j);
      break;
    case segmint::gmm::covariance_type::diag:
      m.covariances.resize(k * dim);
      for (size_t c = 0; c < k; ++c)
        for (size_t j = 0; j < dim; ++j) m.covariances[j * k + c] = cov.at(c * dim + j);
      break;
    case segmint::gmm::covariance_type::spherical: m.covariances = cov; break;
    case segmint::gmm::covariance_type::tied:
      m.covariances.resize(dim * dim);
      for (size_t i = 0; i < dim; ++i)
        for (size_t j = 0; j < dim; ++j) m.covariances[j * dim + i] = cov.at(i * dim + j);
      break;
  }
  return m;
}

/// segmint::segment on a matrix: the estimators' fit.
nb::dict segment_matrix(const float_array& x, const std::string& algo, int k_min, int k_max, uint64_t seed, int n_init,
                        int max_iter, double tol, const std::vector<std::string>& covariance, double reg_covar,
                        const std::string& backend, int threads) {
  segmint::segment_params p;
  p.algo = segmint::parse_algorithm(algo);
  p.k_min = k_min;
  p.k_max = k_max;
  p.seed = seed;
  if (n_init >= 0) p.kmeans.n_init = p.gmm.n_init = n_init;
  if (max_iter > 0) p.kmeans.max_iter = p.gmm.max_iter = max_iter;
  if (tol >= 0) p.kmeans.tol = p.gmm.tol = tol;
  p.gmm.reg_covar = reg_covar;
  p.covariance_types.clear();
  for (const auto& c : covariance) p.covariance_types.push_back(segmint::gmm::parse_covariance_type(c));
  segmint::matrix storage;
  segmint::segmentation s;
  {
    nb::gil_scoped_release unlocked;
    const segmint::matrix_view v = as_column_major(x, storage);
    segmint::context ctx(compute_options(backend, threads));
    ctx.fit_threads_to(v.rows, v.cols);
    s = segmint::segment(ctx, v, p);
  }
  nb::dict d;
  const auto n = s.labels.size();
  const auto k = static_cast<size_t>(s.k);
  d["k"] = s.k;
  d["labels"] = to_numpy(std::move(s.labels), {n});
  d["distance"] = to_numpy(std::move(s.distance), {n});
  std::vector<float> centres(s.centres.values().begin(), s.centres.values().end());
  d["centres"] = to_numpy(std::move(centres), {k, static_cast<size_t>(s.centres.cols())}, true);
  d["sizes"] = s.sizes;
  d["reason"] = s.reason;
  d["rule"] = s.rule;
  d["elbow_k"] = s.elbow_k;
  nb::list per_k;
  for (const auto& c : s.per_k) per_k.append(scores_of(c));
  d["per_k"] = per_k;
  d["chosen"] = scores_of(s.chosen());
  d["warnings"] = s.warnings;
  if (s.mixture) d["mixture"] = mixture_of(*s.mixture);
  if (!s.linkage.empty()) {
    std::vector<double> z;
    for (const auto& step : s.linkage)
      z.insert(z.end(), {static_cast<double>(step.a), static_cast<double>(step.b), step.height, static_cast<double>(step.size)});
    d["linkage"] = to_numpy(std::move(z), {s.linkage.size(), 4});
    d["linkage_cut"] = s.linkage_cut;
  }
  return d;
}

/// Nearest centre: K-Means' (and Ward's) predict.
nb::tuple predict_nearest(const float_array& x, const float_array& centres, const std::string& backend, int threads) {
  segmint::matrix xs;
  segmint::matrix cs;
  std::vector<int32_t> labels(x.shape(0));
  std::vector<float> distance(x.shape(0));
  {
    nb::gil_scoped_release unlocked;
    const segmint::matrix_view xv = as_column_major(x, xs);
    const segmint::matrix_view cv = as_column_major(centres, cs);
    segmint::context ctx(compute_options(backend, threads));
    segmint::kmeans::assign(ctx, xv, cv, labels, distance);
  }
  const size_t n = labels.size();
  return nb::make_tuple(to_numpy(std::move(labels), {n}), to_numpy(std::move(distance), {n}));
}

/// A mixture's predict: labels, the assigned probability, every responsibility (n × k) and the mean log-likelihood.
nb::tuple predict_mixture(const float_array& x, const std::string& type, const std::vector<double>& weights,
                          const std::vector<double>& means, const std::vector<double>& covariances, const std::string& backend,
                          int threads) {
  segmint::matrix xs;
  const segmint::gmm::mixture m = mixture_from(type, weights, means, covariances, static_cast<int64_t>(x.shape(1)));
  const size_t n = x.shape(0);
  std::vector<int32_t> labels(n);
  std::vector<float> probability(n);
  std::vector<float> resp(n * static_cast<size_t>(m.k));
  double mean_ll = 0;
  {
    nb::gil_scoped_release unlocked;
    const segmint::matrix_view xv = as_column_major(x, xs);
    segmint::context ctx(compute_options(backend, threads));
    segmint::gmm::predict(ctx, xv, m, labels, probability, resp);
    mean_ll = segmint::gmm::score(ctx, xv, m);
  }
  return nb::make_tuple(to_numpy(std::move(labels), {n}), to_numpy(std::move(probability), {n}),
                        to_numpy(std::move(resp), {n, static_cast<size_t>(m.k)}, true), mean_ll,
                        segmint::gmm::parameter_count(m.type, m.k, m.d));
}

/// One column handed over from Python: float64 numbers (NaN = missing) or strings ("" = missing).
segmint::column_table::column column_from(const std::string& name, const std::optional<column_array>& numbers,
                                          const std::optional<std::vector<std::string>>& text) {
  segmint::column_table::column c;
  c.name = name;
  c.numeric = numbers.has_value();
  if (numbers) c.numbers.assign(numbers->data(), numbers->data() + numbers->shape(0));
  else c.text = text.value_or(std::vector<std::string>{});
  return c;
}

segmint::column_table table_from(const std::vector<std::string>& names, const std::vector<std::optional<column_array>>& numbers,
                                 const std::vector<std::optional<std::vector<std::string>>>& text) {
  if (names.size() != numbers.size() || names.size() != text.size()) throw segmint::input_error("columns: names and data differ in count");
  segmint::column_table t;
  for (size_t j = 0; j < names.size(); ++j) t.columns.push_back(column_from(names[j], numbers[j], text[j]));
  return t;
}

/// `segmint run ARGS` on an in-memory table: (exit code, stdout, stderr, outcome or None).
nb::tuple run_table(const std::vector<std::string>& args, const std::vector<std::string>& names,
                    const std::vector<std::optional<column_array>>& numbers,
                    const std::vector<std::optional<std::vector<std::string>>>& text) {
  segmint::cli::in_memory_run input;
  input.columns = table_from(names, numbers, text);
  std::optional<segmint::run_outcome> outcome;
  input.done = [&](segmint::run_outcome&& r) { outcome = std::move(r); };
  std::ostringstream out;
  std::ostringstream err;
  int code = 0;
  {
    nb::gil_scoped_release unlocked;
    code = segmint::cli::run(args, out, err, {}, true, &input);
  }
  if (!outcome) return nb::make_tuple(code, out.str(), err.str(), nb::none());
  segmint::run_outcome& r = *outcome;
  nb::dict d;
  const size_t n = r.seg.labels.size();
  std::vector<int64_t> rows;  // 0-based positions in the input of the rows used
  rows.reserve(r.table.lines.size());
  for (int64_t line : r.table.lines) rows.push_back(line - 1);
  d["labels"] = to_numpy(std::move(r.seg.labels), {n});
  d["distance"] = to_numpy(std::move(r.seg.distance), {n});
  if (!r.seg.probability.empty()) d["probability"] = to_numpy(std::move(r.seg.probability), {n});
  d["rows"] = to_numpy(std::move(rows), {n});
  d["k"] = r.seg.k;
  d["reason"] = r.seg.reason;
  d["algorithm"] = r.seg.algorithm;
  std::vector<std::string> segment_names;
  for (const auto& p : r.profiles) segment_names.push_back(p.name);
  d["names"] = segment_names;
  d["backend"] = r.backend;
  d["device"] = r.device;
  d["threads"] = r.threads;
  d["timings"] = r.timings;
  d["warnings"] = r.warnings;
  d["files"] = r.files;
  d["out_dir"] = r.out_dir;
  return nb::make_tuple(code, out.str(), err.str(), d);
}

/// Any other command line (`segmint value ...`, `segmint churn ...`), in-process: (exit code, stdout, stderr).
nb::tuple run_command(const std::vector<std::string>& args) {
  std::ostringstream out;
  std::ostringstream err;
  int code = 0;
  {
    nb::gil_scoped_release unlocked;
    code = segmint::cli::run(args, out, err);
  }
  return nb::make_tuple(code, out.str(), err.str());
}

/// A saved model (model.json's text) scoring an in-memory table: (labels, distance, probability or None, rows used).
nb::tuple predict_table(const std::string& model_json, const std::string& source, const std::vector<std::string>& names,
                        const std::vector<std::optional<column_array>>& numbers,
                        const std::vector<std::optional<std::vector<std::string>>>& text, const std::string& backend) {
  const segmint::segment_model model = segmint::model_from_json(model_json, "model");
  segmint::column_table t = table_from(names, numbers, text);
  t.source = source;
  segmint::scored_rows s;
  std::vector<int64_t> rows;
  {
    nb::gil_scoped_release unlocked;
    const segmint::feature_table table = segmint::table_from_columns(std::move(t), model.schema, segmint::bad_row_policy::fail);
    segmint::context ctx(compute_options(backend, 0));
    s = segmint::score_rows(ctx, model, table, false);
    for (int64_t line : table.lines) rows.push_back(line - 1);
  }
  const size_t n = s.labels.size();
  nb::object probability = nb::none();
  if (!s.probability.empty()) probability = nb::cast(to_numpy(std::move(s.probability), {n}));
  return nb::make_tuple(to_numpy(std::move(s.labels), {n}), to_numpy(std::move(s.distance), {n}), probability,
                        to_numpy(std::move(rows), {n}));
}

}  // namespace

NB_MODULE(_segmint, m) {
  m.doc() = "segmint's C++ library (use the segmint package, not this module)";
#ifdef SEGMINT_HAVE_CUDA
  segmint::cuda::register_backend();
#endif
  nb::register_exception_translator([](const std::exception_ptr& p, void*) {
    try {
      std::rethrow_exception(p);
    } catch (const segmint::input_error& e) {
      PyErr_SetString(PyExc_ValueError, e.what());
    } catch (const segmint::backend_unavailable_error& e) {
      PyErr_SetString(PyExc_RuntimeError, e.what());
    } catch (const segmint::numerical_error& e) {
      PyErr_SetString(PyExc_ArithmeticError, e.what());
    }
  });
  m.attr("__version__") = segmint::version_string();
  m.def("segment_matrix", &segment_matrix, "x"_a, "algo"_a, "k_min"_a, "k_max"_a, "seed"_a, "n_init"_a, "max_iter"_a, "tol"_a,
        "covariance"_a, "reg_covar"_a, "backend"_a, "threads"_a);
  m.def("predict_nearest", &predict_nearest, "x"_a, "centres"_a, "backend"_a, "threads"_a);
  m.def("predict_mixture", &predict_mixture, "x"_a, "covariance_type"_a, "weights"_a, "means"_a, "covariances"_a, "backend"_a,
        "threads"_a);
  m.def("run_command", &run_command, "args"_a);
  m.def("run_table", &run_table, "args"_a, "names"_a, "numbers"_a, "text"_a);
  m.def("predict_table", &predict_table, "model_json"_a, "source"_a, "names"_a, "numbers"_a, "text"_a, "backend"_a);
}
