#pragma once
// One customer's BG/NBD log-likelihood and its gradient in the log parameters, given the terms that depend
// only on the frequency (tabulated once per evaluation by host/value/bgnbd.cpp). The same code runs in the
// CPU backend and in the CUDA kernel (kernels/value.cu), as rng.hpp does: plain C math, no std::.
#include <math.h>

#if defined(__CUDACC__)
#define SEGMINT_HOST_DEVICE __host__ __device__
#else
#define SEGMINT_HOST_DEVICE
#endif

namespace segmint::detail {

/// Doubles per frequency in the terms table: lnΓ part of the likelihood, ∂r, ∂a, ∂b parts, ln a − ln(b+x−1),
/// 1/(b+x−1) (the last two 0 for x = 0); for MBG/NBD b+x−1 is b+x and the lnΓ/ψ terms take b+x+1, a+b+x+1.
constexpr int bgnbd_terms_per_frequency = 6;
/// Doubles a pass returns: the log-likelihood, then its gradient in (ln r, ln α, ln a, ln b).
constexpr int bgnbd_sums = 5;

struct bgnbd_point {
  double r = 0, alpha = 0, a = 0, b = 0;
  double log_alpha = 0;
  /// MBG/NBD (Batislam et al. 2007): a customer may also drop out right after the first purchase, so the
  /// dropout term applies to one-time buyers too (the terms table then holds MBG/NBD's frequency terms).
  bool modified = false;
};

SEGMINT_HOST_DEVICE inline void bgnbd_add_customer(double x, double tx, double T, const double* f, const bgnbd_point& p, double* acc) {
  const double log_at = log(p.alpha + T);
  const double a3 = -(p.r + x) * log_at;
  double lse = a3;
  double w = 0;  // the weight of the "dropped out after the last purchase" term
  double log_ax = 0;
  const bool may_have_dropped = p.modified || x > 0;
  if (may_have_dropped) {
    log_ax = log(p.alpha + tx);
    const double a4 = f[4] - (p.r + x) * log_ax;
    const double e = exp(-fabs(a3 - a4));  // log-sum-exp with one exponential
    lse = (a3 > a4 ? a3 : a4) + log1p(e);
    w = a4 > a3 ? 1 / (1 + e) : e / (1 + e);
  }
  acc[0] += f[0] + p.r * p.log_alpha + lse;
  const double d_r = f[1] + p.log_alpha - (1 - w) * log_at - w * log_ax;
  const double d_alpha = p.r / p.alpha - (1 - w) * (p.r + x) / (p.alpha + T) - (may_have_dropped ? w * (p.r + x) / (p.alpha + tx) : 0.0);
  const double d_a = f[2] + (may_have_dropped ? w / p.a : 0.0);
  const double d_b = f[3] - w * f[5];
  acc[1] += p.r * d_r;  // d/d(ln p) = p d/dp
  acc[2] += p.alpha * d_alpha;
  acc[3] += p.a * d_a;
  acc[4] += p.b * d_b;
}

}  // namespace segmint::detail
