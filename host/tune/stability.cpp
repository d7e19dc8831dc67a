#include "stability.hpp"

#include <cmath>

#include "segmint/metrics.hpp"

namespace segmint::detail {
namespace {

/// Streams of metrics::sample_rows kept apart from the silhouette's (sub 0) and from each other.
constexpr uint64_t resample_stream = 0x7475'6e65'0000'0000ull;
constexpr int max_refit_restarts = 5;

}  // namespace

std::vector<stability_at_k> measure_stability(context& ctx, matrix_view sample, const std::vector<int>& ks,
                                              const std::vector<std::vector<int32_t>>& reference, const fit_settings& fit,
                                              const stability_settings& s) {
  const size_t nk = ks.size();
  std::vector<std::vector<double>> ari(nk);
  std::vector<stability_at_k> out(nk);
  for (size_t i = 0; i < nk; ++i) out[i].jaccard.assign(static_cast<size_t>(ks[i]), 0.0);
  fit_settings capped = fit;  // refits of a sample: a few restarts find the same optimum the full fit's many did
  if (capped.kmeans_restarts == 0 || capped.kmeans_restarts > max_refit_restarts) capped.kmeans_restarts = max_refit_restarts;
  const auto subset = static_cast<int64_t>(std::floor(s.fraction * static_cast<double>(sample.rows)));
  for (int b = 0; b < s.resamples; ++b) {
    const std::vector<int64_t> rows = metrics::sample_rows(sample.rows, subset, s.seed, resample_stream + static_cast<uint64_t>(b));
    const matrix part = take_rows(sample, rows);
    fit_settings f = capped;
    f.seed = fit.seed + 0x9E37'79B9ull * static_cast<uint64_t>(b + 1);
    const k_fits refit = fit_all_k(ctx, part.view(), f, ks.front(), ks.back());
    for (size_t i = 0; i < nk; ++i) {
      const std::vector<int32_t> ref = pick(reference[i], rows);
      if (i >= refit.k.size()) {  // the subset could not hold this k: count it as dissolved
        ari[i].push_back(0.0);
        continue;
      }
      ari[i].push_back(metrics::adjusted_rand_index(ref, refit.labels[i]));
      const std::vector<double> j = metrics::best_jaccard(ref, ks[i], refit.labels[i]);
      for (size_t c = 0; c < j.size(); ++c) out[i].jaccard[c] += j[c] / s.resamples;
    }
  }
  std::vector<double> agreement(nk, 0.0);
  for (int t = 0; t < s.seed_trials; ++t) {
    fit_settings f = capped;
    f.seed = fit.seed + 0x5EED'0000ull + static_cast<uint64_t>(t + 1);
    const k_fits refit = fit_all_k(ctx, sample, f, ks.front(), ks.back());
    for (size_t i = 0; i < nk && i < refit.k.size(); ++i)
      agreement[i] += metrics::adjusted_rand_index(reference[i], refit.labels[i]) / s.seed_trials;
  }
  for (size_t i = 0; i < nk; ++i) {
    double mean = 0, var = 0;
    for (double a : ari[i]) mean += a;
    mean /= static_cast<double>(ari[i].size());
    for (double a : ari[i]) var += (a - mean) * (a - mean);
    out[i].mean_ari = mean;
    out[i].sd_ari = ari[i].size() > 1 ? std::sqrt(var / static_cast<double>(ari[i].size() - 1)) : 0.0;
    out[i].seed_agreement = s.seed_trials > 0 ? agreement[i] : std::nan("");
  }
  return out;
}

}  // namespace segmint::detail
