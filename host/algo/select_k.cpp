// The k sweep and the rule that picks k.
#include "segmint/select_k.hpp"

#include <cmath>
#include <cstdio>

#include "segmint/error.hpp"

namespace segmint::select_k {
namespace {

std::string fmt(double v, int digits = 3) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}

std::string explain(const std::vector<k_score>& per_k, size_t best, std::optional<int> elbow) {
  const auto& b = per_k[best];
  std::string s = "k = " + std::to_string(b.k) + " has the highest silhouette (" + fmt(b.scores.silhouette) + ") of k = " +
                  std::to_string(per_k.front().k) + ".." + std::to_string(per_k.back().k);
  if (!elbow) return s + "; the inertia curve shows no clear elbow.";
  if (*elbow == b.k) return s + ", and the inertia curve's elbow is also at k = " + std::to_string(b.k) + ".";
  for (const auto& e : per_k) {
    if (e.k == *elbow)
      return s + "; the inertia curve's elbow is at k = " + std::to_string(e.k) + " (silhouette " +
             fmt(e.scores.silhouette) + ").";
  }
  return s + ".";
}

}  // namespace

std::optional<int> kneedle(const std::vector<int>& ks, const std::vector<double>& values) {
  if (ks.size() < 3 || ks.size() != values.size()) return std::nullopt;
  const double x0 = ks.front();
  const double x1 = ks.back();
  double ymin = values.front();
  double ymax = values.front();
  for (double v : values) {
    ymin = std::min(ymin, v);
    ymax = std::max(ymax, v);
  }
  if (!(ymax > ymin) || !(x1 > x0)) return std::nullopt;
  double best_gap = 0;
  std::optional<int> knee;
  for (size_t i = 1; i + 1 < ks.size(); ++i) {
    const double xn = (ks[i] - x0) / (x1 - x0);
    const double yn = (values[i] - ymin) / (ymax - ymin);
    const double gap = (1.0 - xn) - yn;  // distance below the chord from (0, 1) to (1, 0)
    if (gap > best_gap + 1e-12) {
      best_gap = gap;
      knee = ks[i];
    }
  }
  return knee;
}

choice choose(const std::vector<k_score>& per_k) {
  if (per_k.empty()) throw error("internal error: no k to choose from");
  std::vector<int> ks;
  std::vector<double> inertia;
  for (const auto& e : per_k) {
    ks.push_back(e.k);
    inertia.push_back(e.inertia);
  }
  choice c;
  c.elbow_k = kneedle(ks, inertia);
  size_t best = 0;
  if (per_k.size() == 1) {
    c.reason = "k = " + std::to_string(ks[0]) + " was given.";
  } else {
    bool any = false;
    for (size_t i = 0; i < per_k.size(); ++i) {
      const double s = per_k[i].scores.silhouette;
      if (std::isnan(s)) continue;
      if (!any || s > per_k[best].scores.silhouette) best = i;  // ties keep the smaller k
      any = true;
    }
    if (any) {
      c.reason = explain(per_k, best, c.elbow_k);
    } else if (c.elbow_k) {
      best = static_cast<size_t>(*c.elbow_k - ks[0]);
      c.reason = "k = " + std::to_string(*c.elbow_k) + " is the inertia curve's elbow (no silhouette could be computed).";
    } else {
      c.reason = "k = " + std::to_string(ks[0]) + ": no silhouette and no elbow could be computed; the smallest k was kept.";
    }
  }
  c.index = best;
  return c;
}

result sweep(context& ctx, matrix_view x, const params& p) {
  if (p.k_min < 1 || p.k_max < p.k_min)
    throw input_error("--k: invalid range " + std::to_string(p.k_min) + ".." + std::to_string(p.k_max));
  ctx.load(x);
  const int64_t n = ctx.total_rows();
  if (p.k_min > n)
    throw input_error("k = " + std::to_string(p.k_min) + " is more than the number of rows (" + std::to_string(n) + ")");
  result r;
  std::vector<kmeans::result> fits;
  const int k_max = static_cast<int>(std::min<int64_t>(p.k_max, n));
  if (k_max < p.k_max)
    r.warnings.push_back("k range truncated to " + std::to_string(k_max) + ": only " + std::to_string(n) + " rows");
  for (int k = p.k_min; k <= k_max; ++k) {
    kmeans::params kp = p.base;
    kp.k = k;
    try {
      fits.push_back(kmeans::fit(ctx, x, kp));
    } catch (const input_error& e) {
      if (k == p.k_min) throw;
      r.warnings.push_back("stopped the k range at " + std::to_string(k - 1) + ": " + e.what());
      break;
    }
  }
  std::vector<std::vector<int32_t>> labellings;
  for (const auto& f : fits) labellings.push_back(f.labels);
  const auto scores = metrics::evaluate(ctx, x, labellings, p.silhouette);
  for (size_t i = 0; i < fits.size(); ++i)
    r.per_k.push_back({p.k_min + static_cast<int>(i), fits[i].inertia, scores[i], fits[i].iterations, fits[i].converged});
  const choice c = choose(r.per_k);
  const size_t best = c.index;
  r.elbow_k = c.elbow_k;
  r.reason = c.reason;
  r.chosen_k = r.per_k[best].k;
  r.chosen = std::move(fits[best]);
  return r;
}

}  // namespace segmint::select_k
