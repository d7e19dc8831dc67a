// `segmint tune`'s search: preprocessing outermost (the data is transformed once per choice), then every
// algorithm over the whole k range, each scored on the full data and for stability on a sample.
#include "segmint/tune.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <functional>
#include <limits>
#include <numeric>

#include "../dist/communicator.hpp"
#include "fit_all_k.hpp"
#include "gap.hpp"
#include "recommend.hpp"
#include "segmint/error.hpp"
#include "stability.hpp"

namespace segmint::tune {
namespace {

using clock_type = std::chrono::steady_clock;
constexpr uint64_t gap_stream = 0x6761'7000'0000'0000ull;
constexpr uint64_t stability_stream = 0x7374'6162'0000'0000ull;

double since(clock_type::time_point t0) { return std::chrono::duration<double>(clock_type::now() - t0).count(); }

std::string duration_words(double s) {
  char buf[48];
  const long whole = std::lround(s);
  if (whole < 90) std::snprintf(buf, sizeof buf, "%ld s", whole);
  else std::snprintf(buf, sizeof buf, "%ld min %02ld s", whole / 60, whole % 60);
  return buf;
}

/// Expected seconds of a configuration: the mean of those of its algorithm so far (GMM runs far longer
/// than K-Means), else of every configuration so far.
class time_estimate {
 public:
  void add(algorithm a, double seconds) {
    total_ += seconds;
    ++count_;
    by_algo_[static_cast<int>(a)] += seconds;
    ++count_by_algo_[static_cast<int>(a)];
  }
  [[nodiscard]] double of(algorithm a) const {
    const int i = static_cast<int>(a);
    if (count_by_algo_[i] > 0) return by_algo_[i] / count_by_algo_[i];
    return count_ > 0 ? total_ / count_ : 0.0;
  }

 private:
  double total_ = 0;
  int count_ = 0;
  double by_algo_[4] = {0, 0, 0, 0};
  int count_by_algo_[4] = {0, 0, 0, 0};
};

std::string prep_words(const preprocessing& p) {
  char pca[48];
  if (p.pca == 0) std::snprintf(pca, sizeof pca, "no PCA");
  else if (p.pca < 1) std::snprintf(pca, sizeof pca, "PCA %g of the variance", p.pca);
  else std::snprintf(pca, sizeof pca, "PCA %g components", p.pca);
  return std::string(p.log ? "log auto" : "log none") + ", " + pca;
}

preprocess_params preprocess_of(const params& p, const preprocessing& prep) {
  preprocess_params pp = p.base;
  pp.log_auto = prep.log;
  if (prep.pca > 0 && prep.pca < 1) pp.pca = pca::params{.variance_fraction = prep.pca};
  else if (prep.pca >= 1) pp.pca = pca::params{.components = static_cast<int>(prep.pca)};
  return pp;
}

/// Labels renumbered by decreasing segment size (ties: the lower old number), and the sizes.
std::vector<int32_t> by_size(const std::vector<int32_t>& labels, int k, std::vector<int64_t>& sizes) {
  std::vector<int64_t> count(static_cast<size_t>(k), 0);
  for (int32_t l : labels) ++count[static_cast<size_t>(l)];
  std::vector<int32_t> order(static_cast<size_t>(k));
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](int32_t a, int32_t b) { return count[static_cast<size_t>(a)] > count[static_cast<size_t>(b)]; });
  std::vector<int32_t> rank(static_cast<size_t>(k));
  sizes.clear();
  for (int32_t r = 0; r < k; ++r) {
    rank[static_cast<size_t>(order[static_cast<size_t>(r)])] = r;
    sizes.push_back(count[static_cast<size_t>(order[static_cast<size_t>(r)])]);
  }
  std::vector<int32_t> out(labels.size());
  for (size_t i = 0; i < labels.size(); ++i) out[i] = rank[static_cast<size_t>(labels[i])];
  return out;
}

/// Work on a sample small enough that parallel regions cost more than they save runs on one thread.
void on_sample(context& ctx, matrix_view sample, const std::function<void()>& work) {
  if (sample.rows * sample.cols < context::small_data_values) ctx.run_single_threaded(work);
  else work();
}

/// One configuration over the k range: fits and indices on every row, stability on the sample.
configuration_result run_configuration(context& ctx, matrix_view z, const configuration& c, const params& p,
                                       const std::vector<int64_t>& sample_rows, std::vector<std::string>& warnings) {
  configuration_result out;
  out.config = c;
  out.dimensions = z.cols;
  const detail::fit_settings fs{c.algo, c.covariance, p.kmeans_restarts, p.gmm_restarts, p.seed};
  detail::k_fits fits = detail::fit_all_k(ctx, z, fs, p.k_min, p.k_max);
  if (!fits.stopped.empty()) warnings.push_back(describe(c) + ": k range stopped at " + std::to_string(fits.k.back()) + " (" + fits.stopped + ")");
  metrics::silhouette_params sp = p.silhouette;
  sp.seed = p.seed;
  const std::vector<metrics::scores> scores = metrics::evaluate(ctx, z, fits.labels, sp);
  const matrix sample = detail::take_rows(z, sample_rows);
  std::vector<int> ks;
  std::vector<std::vector<int32_t>> reference;
  for (size_t i = 0; i < fits.k.size(); ++i) {
    k_scores s;
    s.k = fits.k[i];
    s.inertia = scores[i].within_ss;
    s.silhouette = scores[i].silhouette;
    s.calinski_harabasz = scores[i].calinski_harabasz;
    s.davies_bouldin = scores[i].davies_bouldin;
    s.silhouette_rows = scores[i].silhouette_rows;
    s.silhouette_sampled = scores[i].silhouette_sampled;
    s.bic = fits.bic[i];
    s.aic = fits.aic[i];
    s.converged = fits.converged[i];
    const std::vector<int32_t> ordered = by_size(fits.labels[i], s.k, s.sizes);
    s.stability = s.stability_sd = s.min_jaccard = s.seed_agreement = std::numeric_limits<double>::quiet_NaN();
    if (s.k >= 2) {
      ks.push_back(s.k);
      reference.push_back(detail::pick(ordered, sample_rows));
    }
    out.per_k.push_back(std::move(s));
  }
  fits.labels.clear();
  if (!ks.empty()) {
    const detail::stability_settings ss{p.resamples, p.resample_fraction, p.seed_trials, p.seed};
    std::vector<detail::stability_at_k> st;
    on_sample(ctx, sample.view(), [&] { st = detail::measure_stability(ctx, sample.view(), ks, reference, fs, ss); });
    for (size_t i = 0; i < ks.size(); ++i) {
      k_scores& s = out.per_k[static_cast<size_t>(ks[i] - out.per_k.front().k)];
      s.stability = st[i].mean_ari;
      s.stability_sd = st[i].sd_ari;
      s.jaccard = st[i].jaccard;
      s.min_jaccard = *std::min_element(s.jaccard.begin(), s.jaccard.end());
      s.seed_agreement = st[i].seed_agreement;
    }
  }
  return out;
}

/// The preprocessings of the grid, in order, each fitted once (cheap next to clustering); one that would
/// repeat another is skipped with a warning, so the progress lines count the right configurations from the first.
struct planned_preprocessing {
  size_t first = 0, last = 0;  ///< its configurations: all[first..last)
  preprocess_model model;
};

std::vector<planned_preprocessing> plan_preprocessings(context& ctx, const feature_table& t, const params& p,
                                                       const std::vector<configuration>& all, outcome& out) {
  std::vector<planned_preprocessing> plan;
  out.configurations_planned = 0;
  for (size_t first = 0; first < all.size();) {
    const preprocessing prep = all[first].prep;
    size_t last = first;
    while (last < all.size() && all[last].prep.log == prep.log && all[last].prep.pca == prep.pca) ++last;
    std::vector<std::string> notes;
    preprocess_model model = fit_preprocess(ctx, t, preprocess_of(p, prep), notes);
    const bool same_as_no_log = prep.log && model.log_auto_selected.empty();
    const bool same_as_no_pca = model.pca && model.pca->components.cols() == static_cast<int64_t>(model.columns.size());
    if ((same_as_no_log && std::count(p.logs.begin(), p.logs.end(), false) > 0) ||
        (same_as_no_pca && std::count(p.pcas.begin(), p.pcas.end(), 0.0) > 0)) {
      out.warnings.push_back(prep_words(prep) + " skipped: " +
                             (same_as_no_log ? "no column is skewed enough for log auto" : "PCA keeps every dimension") +
                             ", so it would repeat another preprocessing");
    } else {
      out.configurations_planned += static_cast<int>(last - first);
      plan.push_back({first, last, std::move(model)});
    }
    first = last;
  }
  return plan;
}

}  // namespace

std::string describe(const configuration& c) {
  std::string s(algorithm_name(c.algo));
  if (c.algo == algorithm::gmm) s += " (" + std::string(gmm::to_string(c.covariance)) + " covariance)";
  return s + ", " + prep_words(c.prep);
}

void check(const params& p) {
  if (p.algorithms.empty()) throw input_error("tune: the algorithm list is empty (give --algo kmeans,gmm,ward or a part of it)");
  for (const algorithm a : p.algorithms)
    if (a == algorithm::automatic) throw input_error("tune: --algo auto is not a configuration (list kmeans, gmm, ward)");
  if (p.k_min < 1 || p.k_max < p.k_min) throw input_error("tune: --k " + std::to_string(p.k_min) + ".." + std::to_string(p.k_max) + " is not a range 1 ≤ MIN ≤ MAX");
  if (p.k_max < 2) throw input_error("tune: --k must reach at least 2 (k = 1 alone has nothing to compare with)");
  if (p.logs.empty() || p.pcas.empty()) throw input_error("tune: the preprocessing grid is empty (--log and --pca need at least one value)");
  if (p.covariances.empty()) throw input_error("tune: --covariance needs at least one type");
  for (double v : p.pcas)
    if (!(v >= 0) || (v >= 1 && v != std::floor(v)) || v > 10000)
      throw input_error("tune: --pca value " + std::to_string(v) + " is neither 0 (none), a variance fraction in (0, 1) nor a component count");
  if (p.resamples < 1) throw input_error("tune: --bootstrap must be at least 1 (stability needs resamples)");
  if (p.resamples > 1000) throw input_error("tune: --bootstrap " + std::to_string(p.resamples) + " is more resamples than segmint runs (at most 1000)");
  if (!(p.resample_fraction > 0 && p.resample_fraction < 1)) throw input_error("tune: the resample fraction must be in (0, 1)");
  if (p.stability_rows < 20 || p.gap_rows < 20) throw input_error("tune: the stability and gap samples need at least 20 rows");
  if (p.gap_references < 2) throw input_error("tune: the gap statistic needs at least 2 reference sets");
  if (p.gmm_restarts < 1) throw input_error("tune: --restarts must be at least 1 for a Gaussian mixture");
  if (!(p.time_budget >= 0)) throw input_error("tune: --time-budget must be a number of seconds ≥ 0");
}

std::vector<configuration> grid(const params& p) {
  std::vector<configuration> out;
  for (const bool log : p.logs)
    for (const double pca : p.pcas)
      for (const algorithm a : p.algorithms) {
        if (a == algorithm::gmm) {
          for (const auto cov : p.covariances) out.push_back({{log, pca}, a, cov});
        } else {
          out.push_back({{log, pca}, a, gmm::covariance_type::full});
        }
      }
  return out;
}

outcome run(context& ctx, const feature_table& t, const params& p) {
  check(p);
  if (ctx.comm().size() > 1) throw input_error("tune runs in one process (mpirun is for segmint run and value)");
  if (t.rows() < 2) throw input_error(t.source + ": only " + std::to_string(t.rows()) + " usable row; tuning needs at least 2 rows");
  const auto t0 = clock_type::now();
  outcome out;
  out.rows = t.rows();
  out.features = static_cast<int64_t>(t.features.size());
  const std::vector<configuration> all = grid(p);
  const std::vector<int64_t> gap_rows = metrics::sample_rows(t.rows(), p.gap_rows, p.seed, gap_stream);
  const std::vector<int64_t> stability_rows = metrics::sample_rows(t.rows(), p.stability_rows, p.seed, stability_stream);
  time_estimate estimate;
  int done = 0;
  const std::vector<planned_preprocessing> plan = plan_preprocessings(ctx, t, p, all, out);
  for (size_t step = 0; step < plan.size() && !out.stopped_by_time_budget; ++step) {
    const planned_preprocessing& pp = plan[step];
    const preprocessing prep = all[pp.first].prep;
    const matrix z = apply_preprocess(pp.model, t);
    const auto g0 = clock_type::now();
    detail::gap_settings gs{p.k_min, p.k_max, p.gap_references, std::max(1, std::min(5, p.kmeans_restarts == 0 ? 5 : p.kmeans_restarts)), p.seed};
    const matrix gap_sample = detail::take_rows(z.view(), gap_rows);
    gap_curve gap;
    on_sample(ctx, gap_sample.view(), [&] { gap = detail::gap_statistic(ctx, gap_sample.view(), gs); });
    gap.prep = prep;
    out.gaps.push_back(gap);
    out.timings["gap " + prep_words(prep)] = since(g0);
    for (size_t i = pp.first; i < pp.last; ++i) {
      if (p.time_budget > 0 && done > 0) {
        if (since(t0) + estimate.of(all[i].algo) > p.time_budget) {
          out.stopped_by_time_budget = true;
          break;
        }
      }
      const auto c0 = clock_type::now();
      configuration_result r = run_configuration(ctx, z.view(), all[i], p, stability_rows, out.warnings);
      r.log_columns = pp.model.log_auto_selected;
      r.seconds = since(c0);
      detail::choose_own_k(r, gap);
      estimate.add(r.config.algo, r.seconds);
      ++done;
      if (p.time_budget > 0 && done == 1 && since(t0) > p.time_budget)
        throw input_error("tune: --time-budget " + duration_words(p.time_budget) + " is too small: the first configuration alone took " +
                          duration_words(since(t0)) + " (give more time, a smaller grid or fewer --bootstrap resamples)");
      if (p.progress) {
        double left = 0;  // the configurations after this one
        for (size_t j = i + 1; j < pp.last; ++j) left += estimate.of(all[j].algo);
        for (size_t later = step + 1; later < plan.size(); ++later)
          for (size_t j = plan[later].first; j < plan[later].last; ++j) left += estimate.of(all[j].algo);
        const k_scores& best = r.per_k[static_cast<size_t>(r.best_k - r.per_k.front().k)];
        char line[160];
        std::snprintf(line, sizeof line, "[%d/%d] ", done, out.configurations_planned);
        p.progress(line + describe(r.config) + ": k = " + std::to_string(r.best_k) +
                   (r.best_k >= 2 ? " (stability " + std::to_string(best.stability).substr(0, 4) + ")" : std::string(" (nothing stable)")) +
                   " in " + duration_words(r.seconds) + (done < out.configurations_planned ? "; about " + duration_words(left) + " left" : ""));
      }
      out.configurations.push_back(std::move(r));
    }
  }
  out.recommended = detail::recommend(out, p);
  out.timings["total"] = since(t0);
  return out;
}

}  // namespace segmint::tune
