// Gaussian-mixture passes on the device, in double (Hopper's FP64 rate is the FP32 rate): the E-step
// through the precision Cholesky factors (never an n × k × d intermediate), log-sum-exp responsibilities,
// and the sufficient statistics per part.
//
// Mapping: one block per part, T threads (T rows per tile); thread r computes row r's log-probabilities and
// responsibilities into shared memory; then each statistic (nk_c, Σ r·x_j, Σ r·x_a·x_b, ...) is owned by
// ONE thread that adds the tile's rows in row order to its accumulator (shared memory, or the part's own
// output slot when too large). Fixed orders everywhere, no atomics: bitwise repeatable, and identical
// whether the data is resident or streamed (parts do not depend on chunks).
#include <cuda_runtime.h>

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "../host/algo/rng.hpp"  // the counter-based RNG, the same code on host and device (constexpr)
#include "common.cuh"

namespace segmint::cuda::kernels {
namespace {

constexpr double log_2pi = 1.8378770664093454835606594728112;

/// Shared memory of one block, carved in this order (doubles first for alignment).
struct gmm_shared {
  double* lp;        // T × k: lp[c·T + r], log-probabilities, then responsibilities
  double* red;       // T
  double* least_v;   // T
  double* acc;       // stride doubles when the accumulators live in shared memory, else null
  int64_t* least_r;  // T
  float* xs;         // T × d: xs[j·T + r]
};

__host__ __device__ inline size_t gmm_shared_bytes(int T, int k, int64_t d, int64_t acc_doubles) {
  return sizeof(double) * (static_cast<size_t>(T) * k + 2 * static_cast<size_t>(T) + static_cast<size_t>(acc_doubles)) +
         sizeof(int64_t) * static_cast<size_t>(T) + sizeof(float) * static_cast<size_t>(T) * static_cast<size_t>(d);
}

__device__ inline gmm_shared carve(double* base, int T, int k, int64_t d, int64_t acc_doubles) {
  gmm_shared s{};
  s.lp = base;
  s.red = s.lp + static_cast<int64_t>(T) * k;
  s.least_v = s.red + T;
  s.acc = acc_doubles > 0 ? s.least_v + T : nullptr;
  s.least_r = reinterpret_cast<int64_t*>(s.least_v + T + acc_doubles);
  s.xs = reinterpret_cast<float*>(s.least_r + T);
  (void)d;
  return s;
}

/// log(w_c) + log N(x_r | c), the CPU's formula: −½(d·log 2π + ‖y‖²) + log det P_c + log w_c with
/// y = x·P_c − μ_c·P_c (full/tied; P upper triangular, so only j ≤ q contribute), y = x∘p − μ∘p (diag),
/// ‖y‖² = ‖x − μ‖²·p² (spherical).
__device__ double component_log_prob(const gmm_model& m, const float* xs, int T, int r, int c) {
  const int64_t d = m.d;
  const int k = m.k;
  double quad = 0.0;
  if (m.type == gmm_cov::full || m.type == gmm_cov::tied) {
    const double* P = m.prec_chol + (m.type == gmm_cov::full ? static_cast<int64_t>(c) * d * d : 0);
    for (int64_t q = 0; q < d; ++q) {
      double y = 0.0;
      for (int64_t j = 0; j <= q; ++j) y += static_cast<double>(xs[j * T + r]) * P[q * d + j];
      y -= m.mean_prec[q * k + c];
      quad += y * y;
    }
  } else if (m.type == gmm_cov::diag) {
    for (int64_t j = 0; j < d; ++j) {
      const double y = static_cast<double>(xs[j * T + r]) * m.prec_chol[j * k + c] - m.mean_prec[j * k + c];
      quad += y * y;
    }
  } else {
    double s = 0.0;
    for (int64_t j = 0; j < d; ++j) {
      const double diff = static_cast<double>(xs[j * T + r]) - m.means[j * k + c];
      s += diff * diff;
    }
    const double p = m.prec_chol[c];
    quad = s * (p * p);
  }
  return -0.5 * (static_cast<double>(d) * log_2pi + quad) + m.log_det[c] + m.log_weights[c];
}

/// Row r's log-probabilities into lp; returns the log-sum-exp (the row's log-likelihood).
__device__ double log_probs(const gmm_model& m, const float* xs, double* lp, int T, int r) {
  double mx = -INFINITY;
  for (int c = 0; c < m.k; ++c) {
    const double v = component_log_prob(m, xs, T, r, c);
    lp[c * T + r] = v;
    if (v > mx) mx = v;
  }
  if (!isfinite(mx)) return mx;
  double s = 0.0;
  for (int c = 0; c < m.k; ++c) s += exp(lp[c * T + r] - mx);
  return mx + log(s);
}

/// Row r's responsibilities into lp (see gmm_source); returns its log-likelihood (model) or 0.
__device__ double responsibilities(const gmm_model& m, gmm_source src, const int32_t* labels, uint64_t seed,
                                   int64_t local_row, int64_t global_row, const float* xs, double* lp, int T, int r,
                                   int k) {
  if (src == gmm_source::model) {
    const double norm = log_probs(m, xs, lp, T, r);
    for (int c = 0; c < k; ++c) lp[c * T + r] = exp(lp[c * T + r] - norm);
    return norm;
  }
  if (src == gmm_source::labels) {
    const int32_t l = labels[local_row];
    for (int c = 0; c < k; ++c) lp[c * T + r] = c == l ? 1.0 : 0.0;
    return 0.0;
  }
  double s = 0.0;  // random: the CPU's draws (same counter-based generator), normalised per row
  for (int c = 0; c < k; ++c) {
    const double u = segmint::detail::random_uniform(seed, segmint::detail::rng_purpose::gmm_init,
                                                     static_cast<uint64_t>(global_row), static_cast<uint64_t>(c));
    lp[c * T + r] = u;
    s += u;
  }
  for (int c = 0; c < k; ++c) lp[c * T + r] /= s;
  return 0.0;
}

__host__ __device__ inline int64_t second_size(gmm_cov stats, int k, int64_t d) {
  return stats == gmm_cov::full ? k * d * d : stats == gmm_cov::tied ? d * d : k * d;
}
__host__ __device__ inline int64_t owned_count(gmm_cov stats, int k, int64_t d, int64_t npairs) {
  const int64_t second = stats == gmm_cov::full ? k * npairs : stats == gmm_cov::tied ? npairs : k * d;
  return k + k * d + second;
}

/// Each statistic o is owned by one thread, which adds the tile's nr rows in order (the CPU's product
/// forms: Σ r, Σ r·x_j, Σ x_a·(x_b·r), Σ x_a·x_b, Σ r·x_j²). Output positions: nk at c, sums at k + j·k + c,
/// second at k + k·d + (full: c·d·d + b·d + a; tied: b·d + a; diag/spherical: j·k + c).
__device__ void accumulate_tile(double* acc, gmm_cov stats, int k, int64_t d, const int32_t* pairs, int64_t npairs,
                                const float* xs, const double* R, int T, int nr) {
  const int64_t nsum = k + k * d;
  const int64_t owned = owned_count(stats, k, d, npairs);
  for (int64_t o = threadIdx.x; o < owned; o += blockDim.x) {
    double s;
    int64_t pos = o;
    if (o < k) {
      s = acc[pos];
      for (int r = 0; r < nr; ++r) s += R[o * T + r];
    } else if (o < nsum) {
      const int64_t c = (o - k) % k;
      const int64_t j = (o - k) / k;
      s = acc[pos];
      for (int r = 0; r < nr; ++r) s += R[c * T + r] * static_cast<double>(xs[j * T + r]);
    } else if (stats == gmm_cov::full || stats == gmm_cov::tied) {
      const int64_t o2 = o - nsum;
      const int64_t c = stats == gmm_cov::full ? o2 / npairs : 0;
      const int64_t p = stats == gmm_cov::full ? o2 % npairs : o2;
      const int64_t a = pairs[2 * p];
      const int64_t b = pairs[2 * p + 1];
      pos = nsum + c * d * d + b * d + a;
      s = acc[pos];
      if (stats == gmm_cov::full) {
        for (int r = 0; r < nr; ++r)
          s += static_cast<double>(xs[a * T + r]) * (static_cast<double>(xs[b * T + r]) * R[c * T + r]);
      } else {
        for (int r = 0; r < nr; ++r) s += static_cast<double>(xs[a * T + r]) * static_cast<double>(xs[b * T + r]);
      }
    } else {
      const int64_t c = (o - nsum) % k;
      const int64_t j = (o - nsum) / k;
      s = acc[pos];
      for (int r = 0; r < nr; ++r) {
        const double v = static_cast<double>(xs[j * T + r]);
        s += R[c * T + r] * (v * v);
      }
    }
    acc[pos] = s;
  }
}

/// Loads the tile's rows [t0, t0 + nr) into xs[j·T + r] (consecutive threads read consecutive rows).
__device__ void load_tile(const chunk_view& x, int64_t t0, int nr, float* xs, int T) {
  for (int64_t e = threadIdx.x; e < static_cast<int64_t>(nr) * x.d; e += blockDim.x) {
    const int64_t r = e % nr;
    const int64_t j = e / nr;
    xs[j * T + r] = x.x[j * x.ld + t0 + r];
  }
}

/// The lowest (value, row) of the block, ties → lower row; every thread must call it.
__device__ void block_least(double& v, int64_t& row, double* sv, int64_t* sr) {
  const int t = static_cast<int>(threadIdx.x);
  sv[t] = v;
  sr[t] = row;
  __syncthreads();
  for (int s = static_cast<int>(blockDim.x) / 2; s > 0; s >>= 1) {
    if (t < s && (sv[t + s] < sv[t] || (sv[t + s] == sv[t] && sr[t + s] < sr[t]))) {
      sv[t] = sv[t + s];
      sr[t] = sr[t + s];
    }
    __syncthreads();
  }
  v = sv[0];
  row = sr[0];
  __syncthreads();
}

__global__ void gmm_pass(chunk_view x, gmm_model m, gmm_source src, const int32_t* labels, uint64_t seed,
                         gmm_cov stats, const int32_t* pairs, int64_t npairs, part_layout parts, int64_t stride,
                         bool acc_shared, double* part_out, double* part_least) {
  extern __shared__ double smem[];
  const int T = static_cast<int>(blockDim.x);
  const int t = static_cast<int>(threadIdx.x);
  const int k = m.k;
  const gmm_shared sh = carve(smem, T, k, x.d, acc_shared ? stride : 0);
  double* out = part_out + (parts.first_part + blockIdx.x) * stride;
  double* acc = acc_shared ? sh.acc : out;
  for (int64_t e = t; e < stride; e += T) acc[e] = 0.0;
  const part_range pr = block_part(x.rows, parts);
  const int64_t row0 = parts.first_part * parts.part_rows;  // the chunk's first row in the dataset
  double ll = 0.0;
  double least_v = INFINITY;  // the CPU's rule: strict <, so the first (lowest) row wins ties
  int64_t least_r = -1;
  for (int64_t t0 = pr.begin; t0 < pr.end; t0 += T) {
    const int nr = static_cast<int>(min(static_cast<int64_t>(T), pr.end - t0));
    load_tile(x, t0, nr, sh.xs, T);
    __syncthreads();
    if (t < nr) {
      const double norm = responsibilities(m, src, labels, seed, t0 + t, row0 + t0 + t, sh.xs, sh.lp, T, t, k);
      if (src == gmm_source::model) {
        ll += norm;
        if (norm < least_v) {
          least_v = norm;
          least_r = row0 + t0 + t;
        }
      }
    }
    __syncthreads();
    accumulate_tile(acc, stats, k, x.d, pairs, npairs, sh.xs, sh.lp, T, nr);
    __syncthreads();
  }
  if (acc_shared)
    for (int64_t e = t; e < stride; e += T) out[e] = acc[e];
  const double total = block_sum(ll, sh.red);  // synchronises: the copy above is complete
  block_least(least_v, least_r, sh.least_v, sh.least_r);
  if (t == 0) {
    out[stride - 1] = total;
    part_least[2 * (parts.first_part + blockIdx.x)] = least_v;
    part_least[2 * (parts.first_part + blockIdx.x) + 1] = static_cast<double>(least_r);
  }
}

__global__ void gmm_score(chunk_view x, gmm_model m, int32_t* labels, float* probability, float* resp,
                          part_layout parts, double* part_ll) {
  extern __shared__ double smem[];
  const int T = static_cast<int>(blockDim.x);
  const int t = static_cast<int>(threadIdx.x);
  const gmm_shared sh = carve(smem, T, m.k, x.d, 0);
  const part_range pr = block_part(x.rows, parts);
  double ll = 0.0;
  for (int64_t t0 = pr.begin; t0 < pr.end; t0 += T) {
    const int nr = static_cast<int>(min(static_cast<int64_t>(T), pr.end - t0));
    load_tile(x, t0, nr, sh.xs, T);
    __syncthreads();
    if (t < nr) {
      const int64_t row = t0 + t;
      const double norm = log_probs(m, sh.xs, sh.lp, T, t);
      ll += norm;
      int best = 0;  // the first maximum: ties go to the lower component
      for (int c = 1; c < m.k; ++c)
        if (sh.lp[c * T + t] > sh.lp[best * T + t]) best = c;
      labels[row] = best;
      probability[row] = static_cast<float>(exp(sh.lp[best * T + t] - norm));
      if (resp != nullptr)
        for (int c = 0; c < m.k; ++c) resp[c * x.rows + row] = static_cast<float>(exp(sh.lp[c * T + t] - norm));
    }
    __syncthreads();
  }
  const double total = block_sum(ll, sh.red);
  if (t == 0) part_ll[parts.first_part + blockIdx.x] = total;
}

}  // namespace

int64_t gmm_part_stride(gmm_cov stats, int k, int64_t d) { return k + k * d + second_size(stats, k, d) + 1; }

int gmm_block_rows(int k, int64_t d) {
  const size_t optin = shared_optin_bytes();
  for (int T : {128, 64, 32})
    if (gmm_shared_bytes(T, k, d, 0) <= optin / 2) return T;
  for (int T : {64, 32})
    if (gmm_shared_bytes(T, k, d, 0) <= optin) return T;
  return 0;
}

cudaError_t launch_gmm_pass(chunk_view x, const gmm_model& m, gmm_source source, const int32_t* labels, uint64_t seed,
                            gmm_cov stats, part_layout parts, double* part_out, double* part_least,
                            const int32_t* pairs, int64_t npairs, cudaStream_t stream) {
  if (x.rows <= 0) return cudaSuccess;
  const int T = gmm_block_rows(m.k, x.d);
  if (T == 0) return cudaErrorInvalidConfiguration;
  const int64_t stride = gmm_part_stride(stats, m.k, x.d);
  const bool acc_shared = gmm_shared_bytes(T, m.k, x.d, stride) <= shared_optin_bytes();
  const size_t smem = gmm_shared_bytes(T, m.k, x.d, acc_shared ? stride : 0);
  const cudaError_t e = allow_shared(gmm_pass, smem);
  if (e != cudaSuccess) return e;
  gmm_pass<<<parts_in(x.rows, parts.part_rows), T, smem, stream>>>(x, m, source, labels, seed, stats, pairs, npairs,
                                                                   parts, stride, acc_shared, part_out, part_least);
  return cudaGetLastError();
}

cudaError_t launch_gmm_score(chunk_view x, const gmm_model& m, int32_t* labels, float* probability,
                             float* responsibilities, part_layout parts, double* part_ll, cudaStream_t stream) {
  if (x.rows <= 0) return cudaSuccess;
  const int T = gmm_block_rows(m.k, x.d);
  if (T == 0) return cudaErrorInvalidConfiguration;
  const size_t smem = gmm_shared_bytes(T, m.k, x.d, 0);
  const cudaError_t e = allow_shared(gmm_score, smem);
  if (e != cudaSuccess) return e;
  gmm_score<<<parts_in(x.rows, parts.part_rows), T, smem, stream>>>(x, m, labels, probability, responsibilities,
                                                                    parts, part_ll);
  return cudaGetLastError();
}

}  // namespace segmint::cuda::kernels
