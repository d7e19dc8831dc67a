#include "segment_gmm.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>

#include "../dist/communicator.hpp"
#include "segment_kmeans.hpp"
#include "segmint/error.hpp"
#include "../io/printf_number.hpp"

namespace segmint::detail {
namespace {

std::string fmt(double v, const char* f = "%.1f") { return printf_number(v, f); }

struct fitted {
  int k = 0;
  gmm::result r;
  std::map<std::string, double> bic_by_type;
};

/// Best covariance type (lowest BIC) at one k.
fitted fit_k(context& ctx, matrix_view z, const run_options& o, int k) {
  fitted f;
  f.k = k;
  bool first = true;
  for (const auto type : o.covariance_types) {
    gmm::params p = o.gmm;
    p.k = k;
    p.covariance = type;
    gmm::result r = gmm::fit(ctx, z, p);
    f.bic_by_type["bic_" + std::string(gmm::to_string(type))] = r.bic;
    if (first || r.bic < f.r.bic) f.r = std::move(r);
    first = false;
  }
  return f;
}

/// Components renumbered by decreasing size, rows rescored with the reordered mixture so the labels are
/// exactly what `segmint predict` computes from the stored model.
segmentation finish(context& ctx, matrix_view z, const run_options& o, fitted best) {
  const int k = best.k;
  std::vector<int64_t> sizes(static_cast<size_t>(k), 0);
  for (int32_t l : best.r.labels) ++sizes[static_cast<size_t>(l)];
  ctx.comm().sum(std::span<int64_t>(sizes));  // over every process's rows
  std::vector<int64_t> order(static_cast<size_t>(k));
  std::iota(order.begin(), order.end(), int64_t{0});
  std::stable_sort(order.begin(), order.end(), [&](int64_t a, int64_t b) { return sizes[static_cast<size_t>(a)] > sizes[static_cast<size_t>(b)]; });
  segmentation s;
  s.algorithm = "gmm";
  s.k = k;
  s.mixture = permute_components(best.r.model, order);
  s.labels.resize(static_cast<size_t>(z.rows));
  s.probability.resize(static_cast<size_t>(z.rows));
  if (o.probabilities) s.responsibilities.resize(static_cast<size_t>(z.rows * k));
  gmm::predict(ctx, z, *s.mixture, s.labels, s.probability, s.responsibilities);
  s.centres = matrix(k, z.cols);
  for (int c = 0; c < k; ++c)
    for (int64_t j = 0; j < z.cols; ++j) s.centres(c, j) = static_cast<float>(s.mixture->means[static_cast<size_t>(j * k + c)]);
  s.sizes.assign(static_cast<size_t>(k), 0);  // this process's rows first, summed below
  s.distance.resize(static_cast<size_t>(z.rows));
  for (int64_t i = 0; i < z.rows; ++i) {
    const int32_t l = s.labels[static_cast<size_t>(i)];
    ++s.sizes[static_cast<size_t>(l)];
    float d2 = 0;
    for (int64_t j = 0; j < z.cols; ++j) {
      const float diff = z(i, j) - s.centres(l, j);
      d2 += diff * diff;
    }
    s.distance[static_cast<size_t>(i)] = std::sqrt(d2);
  }
  ctx.comm().sum(std::span<int64_t>(s.sizes));
  s.facts = {{"covariance_" + std::string(gmm::to_string(s.mixture->type)), 1.0},
             {"reg_covar", o.gmm.reg_covar},
             {"mean_log_likelihood", best.r.mean_log_likelihood},
             {"bic", best.r.bic},
             {"aic", best.r.aic},
             {"iterations", best.r.iterations},
             {"converged", best.r.converged ? 1.0 : 0.0},
             {"n_init", best.r.n_init},
             {"collapsed_components_reseeded", static_cast<double>(best.r.collapsed_components)},
             {"covariance_regularisation_raises", static_cast<double>(best.r.regularisation_raises)}};
  return s;
}

}  // namespace

gmm::mixture permute_components(const gmm::mixture& m, const std::vector<int64_t>& order) {
  gmm::mixture p = m;
  const int64_t k = m.k;
  const int64_t d = m.d;
  for (int64_t c = 0; c < k; ++c) {
    const int64_t o = order[static_cast<size_t>(c)];
    p.weights[static_cast<size_t>(c)] = m.weights[static_cast<size_t>(o)];
    for (int64_t j = 0; j < d; ++j) p.means[static_cast<size_t>(j * k + c)] = m.means[static_cast<size_t>(j * k + o)];
    switch (m.type) {
      case gmm::covariance_type::full:
        std::copy_n(m.covariances.begin() + o * d * d, d * d, p.covariances.begin() + c * d * d);
        break;
      case gmm::covariance_type::diag:
        for (int64_t j = 0; j < d; ++j) p.covariances[static_cast<size_t>(j * k + c)] = m.covariances[static_cast<size_t>(j * k + o)];
        break;
      case gmm::covariance_type::spherical:
        p.covariances[static_cast<size_t>(c)] = m.covariances[static_cast<size_t>(o)];
        break;
      case gmm::covariance_type::tied:
        break;
    }
  }
  return p;
}

segmentation segment_gmm(context& ctx, matrix_view z, const run_options& o) {
  std::vector<fitted> fits;
  std::vector<std::string> warnings;
  const int64_t n = ctx.comm().sum(z.rows);  // every rank's rows, as select_k bounds k: the same range on every rank
  const int k_max = static_cast<int>(std::min<int64_t>(o.k_max, n));
  if (o.k_min > n) throw input_error("k = " + std::to_string(o.k_min) + " is more than the number of rows (" + std::to_string(n) + ")");
  for (int k = o.k_min; k <= k_max; ++k) {
    try {
      fits.push_back(fit_k(ctx, z, o, k));
    } catch (const input_error& e) {
      if (k == o.k_min) throw;
      warnings.push_back("stopped the k range at " + std::to_string(k - 1) + ": " + e.what());
      break;
    }
  }
  std::vector<std::vector<int32_t>> labellings;
  for (const auto& f : fits) labellings.push_back(f.r.labels);
  metrics::silhouette_params sp = o.silhouette;
  sp.seed = o.gmm.seed;
  const auto scores = metrics::evaluate(ctx, z, labellings, sp);
  size_t best = 0;
  for (size_t i = 1; i < fits.size(); ++i)
    if (fits[i].r.bic < fits[best].r.bic) best = i;  // ties keep the smaller k
  std::vector<candidate_score> per_k;
  for (size_t i = 0; i < fits.size(); ++i) {
    candidate_score cs{fits[i].k, scores[i].within_ss, scores[i], fits[i].bic_by_type, fits[i].r.iterations, fits[i].r.converged};
    cs.extra["bic"] = fits[i].r.bic;
    cs.extra["aic"] = fits[i].r.aic;
    cs.extra["mean_log_likelihood"] = fits[i].r.mean_log_likelihood;
    per_k.push_back(cs);
  }
  const std::string types = o.covariance_types.size() == 1 ? std::string(gmm::to_string(o.covariance_types[0])) + " covariance"
                                                           : "the best covariance type per k";
  std::string reason = "k = " + std::to_string(fits[best].k) + " (" + std::string(gmm::to_string(fits[best].r.model.type)) +
                       " covariance) has the lowest BIC (" + fmt(fits[best].r.bic) + ")";
  if (fits.size() > 1)
    reason += " of k = " + std::to_string(fits.front().k) + ".." + std::to_string(fits.back().k) + " with " + types;
  reason += "; its silhouette is " + fmt(scores[best].silhouette, "%.3f") + ".";
  segmentation s = finish(ctx, z, o, std::move(fits[best]));
  s.per_k = std::move(per_k);
  s.rule = "lowest BIC (Bayesian information criterion) over k and covariance type";
  s.reason = fits.size() == 1 && o.covariance_types.size() == 1 ? "k = " + std::to_string(s.k) + " was given (" + types + ")."
                                                                 : reason;
  s.warnings = std::move(warnings);
  // The chosen k's scores from the final (renumbered, rescored) labels, so per-segment silhouettes line up.
  const auto final_scores = metrics::evaluate(ctx, z, {s.labels}, sp);
  for (auto& c : s.per_k)
    if (c.k == s.k) c.scores = final_scores[0];
  return s;
}

segmentation segment_auto(context& ctx, matrix_view z, const run_options& o) {
  segmentation km = segment_kmeans(ctx, z, o);
  run_options at_k = o;
  at_k.k_min = at_k.k_max = km.k;
  segmentation gm = segment_gmm(ctx, z, at_k);
  const double s_km = km.chosen().scores.silhouette;
  const double s_gm = gm.chosen().scores.silhouette;
  const bool keep_gmm = s_gm > s_km;
  std::string why = "auto: K-Means chose k = " + std::to_string(km.k) + " (" + km.reason + ") At k = " +
                    std::to_string(km.k) + " the silhouette is " + fmt(s_km, "%.3f") + " for K-Means and " + fmt(s_gm, "%.3f") +
                    " for the Gaussian mixture (" + std::string(gmm::to_string(gm.mixture->type)) + " covariance): kept " +
                    (keep_gmm ? "the Gaussian mixture." : "K-Means.");
  segmentation& kept = keep_gmm ? gm : km;
  if (keep_gmm) {
    const candidate_score gmm_at_k = gm.chosen();
    gm.per_k = km.per_k;  // the k sweep was K-Means'
    for (auto& c : gm.per_k)
      if (c.k == gm.k) c = gmm_at_k;
  }
  kept.facts["auto_silhouette_kmeans"] = s_km;
  kept.facts["auto_silhouette_gmm"] = s_gm;
  kept.rule = "auto: k by K-Means' rule (highest silhouette), then K-Means or GMM at that k by the higher silhouette";
  kept.reason = why;
  for (const auto& w : (keep_gmm ? km : gm).warnings) kept.warnings.push_back(w);
  return std::move(kept);
}

}  // namespace segmint::detail
