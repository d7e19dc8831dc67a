// Gaussian-mixture passes on the device: parameters packed into one upload, one kernel per chunk, part
// tables combined in part order, one synchronisation per pass.
#include <algorithm>
#include <cmath>
#include <limits>

#include "cuda_backend.hpp"
#include "segmint/error.hpp"

namespace segmint::cuda::detail {
namespace {

using gmm::covariance_type;

kernels::gmm_cov to_kernel(covariance_type t) {
  switch (t) {
    case covariance_type::full: return kernels::gmm_cov::full;
    case covariance_type::diag: return kernels::gmm_cov::diag;
    case covariance_type::spherical: return kernels::gmm_cov::spherical;
    case covariance_type::tied: return kernels::gmm_cov::tied;
  }
  return kernels::gmm_cov::full;
}

size_t prec_size(covariance_type t, int k, int64_t d) {
  switch (t) {
    case covariance_type::full: return static_cast<size_t>(k * d * d);
    case covariance_type::diag: return static_cast<size_t>(k * d);
    case covariance_type::spherical: return static_cast<size_t>(k);
    case covariance_type::tied: return static_cast<size_t>(d * d);
  }
  return 0;
}

/// μ_c·P_c (full/tied) or μ_c∘p_c (diag), k × d column-major: the constant part of y = x·P − μ·P.
std::vector<double> mean_prec(const segmint::detail::gmm_estep_params& m) {
  const int k = m.k;
  const int64_t d = m.d;
  std::vector<double> out(static_cast<size_t>(k * d), 0.0);
  for (int c = 0; c < k; ++c) {
    for (int64_t q = 0; q < d; ++q) {
      double v = 0.0;
      if (m.type == covariance_type::full || m.type == covariance_type::tied) {
        const double* P = m.prec_chol.data() + (m.type == covariance_type::full ? static_cast<int64_t>(c) * d * d : 0);
        for (int64_t j = 0; j < d; ++j) v += m.means[static_cast<size_t>(j * k + c)] * P[q * d + j];
      } else if (m.type == covariance_type::diag) {
        v = m.means[static_cast<size_t>(q * k + c)] * m.prec_chol[static_cast<size_t>(q * k + c)];
      }
      out[static_cast<size_t>(q * k + c)] = v;
    }
  }
  return out;
}

void check_params(const segmint::detail::gmm_estep_params& m) {
  const auto k = static_cast<size_t>(m.k);
  if (m.k < 1 || m.means.size() != k * static_cast<size_t>(m.d) || m.prec_chol.size() != prec_size(m.type, m.k, m.d) ||
      m.log_weights.size() != k || m.log_det.size() != k)
    throw error("internal error: malformed Gaussian-mixture parameters");
}

void check_fits(int k, int64_t d) {
  if (kernels::gmm_block_rows(k, d) == 0)
    throw error("this Gaussian mixture (k = " + std::to_string(k) + ", " + std::to_string(d) +
                " features) is too large for the GPU kernels' shared memory; use --backend cpu");
}

/// The combined part table as gmm_partials: the second moments' lower triangles mirrored from the upper
/// ones (the kernel fills a ≤ b), the least likely row by the CPU's rule (parts in order, strict <).
segmint::detail::gmm_partials unpack_pass(const double* host, const double* least, int64_t parts, covariance_type stats,
                                          int k, int64_t d, bool model) {
  const int64_t stride = kernels::gmm_part_stride(to_kernel(stats), k, d);
  segmint::detail::gmm_partials out;
  out.nk.assign(host, host + k);
  out.sums.assign(host + k, host + k + k * d);
  out.second.assign(host + k + k * d, host + stride - 1);
  out.log_likelihood = host[stride - 1];
  if (stats == covariance_type::full || stats == covariance_type::tied) {
    const int blocks = stats == covariance_type::full ? k : 1;
    for (int c = 0; c < blocks; ++c) {
      double* s = out.second.data() + static_cast<int64_t>(c) * d * d;
      for (int64_t b = 0; b < d; ++b)
        for (int64_t a = 0; a < b; ++a) s[a * d + b] = s[b * d + a];
    }
  }
  double lowest = std::numeric_limits<double>::infinity();
  for (int64_t p = 0; p < parts && model; ++p) {
    if (least[2 * p] < lowest) {
      lowest = least[2 * p];
      out.least_likely_row = static_cast<int64_t>(least[2 * p + 1]);
      out.least_likelihood = lowest;
    }
  }
  return out;
}

}  // namespace

// Packs the parameters (means | prec_chol | mean_prec | log_weights | log_det) into one device upload.
kernels::gmm_model cuda_backend::upload_model(const segmint::detail::gmm_estep_params& m) {
  check_params(m);
  std::vector<double> packed(m.means);
  packed.insert(packed.end(), m.prec_chol.begin(), m.prec_chol.end());
  const std::vector<double> mp = mean_prec(m);
  packed.insert(packed.end(), mp.begin(), mp.end());
  packed.insert(packed.end(), m.log_weights.begin(), m.log_weights.end());
  packed.insert(packed.end(), m.log_det.begin(), m.log_det.end());
  const double* dev = upload(packed.data(), packed.size(), params_d_);
  kernels::gmm_model g;
  g.type = to_kernel(m.type);
  g.k = m.k;
  g.d = m.d;
  g.means = dev;
  g.prec_chol = g.means + m.means.size();
  g.mean_prec = g.prec_chol + m.prec_chol.size();
  g.log_weights = g.mean_prec + mp.size();
  g.log_det = g.log_weights + m.k;
  return g;
}

segmint::detail::gmm_partials cuda_backend::gmm_pass(const segmint::detail::gmm_responsibilities& r,
                                                     covariance_type stats, int k) {
  using kind = segmint::detail::gmm_responsibilities::kind;
  const int64_t n = data_.rows();
  const int64_t d = data_.cols();
  if (r.source == kind::model && (r.model == nullptr || r.model->d != d || r.model->k != k))
    throw error("internal error: gmm_pass parameters do not match the data");
  if (k < 1) throw error("internal error: gmm_pass needs k ≥ 1");
  check_fits(k, d);
  staging_.begin_call();
  const kernels::gmm_cov kstats = to_kernel(stats);
  const int64_t stride = kernels::gmm_part_stride(kstats, k, d);
  const part_plan plan = plan_parts(n, stride);
  double* parts = ensure(parts_, static_cast<size_t>(std::max<int64_t>(plan.parts * stride, 1)), compute_);
  double* least = ensure(parts_aux_, static_cast<size_t>(std::max<int64_t>(2 * plan.parts, 1)), compute_);
  kernels::gmm_model model;
  model.k = k;
  model.d = d;
  if (r.source == kind::model) model = upload_model(*r.model);
  const int32_t* labels = r.source == kind::labels ? upload_labels(r.labels) : nullptr;
  const kernels::gmm_source source = r.source == kind::model    ? kernels::gmm_source::model
                                     : r.source == kind::labels ? kernels::gmm_source::labels
                                                                : kernels::gmm_source::random;
  const int32_t* pairs = pair_table(d);
  for_each_part_chunk(plan, [&](const chunk& c, kernels::part_layout pl) {
    SEGMINT_CUDA_TRY(kernels::launch_gmm_pass(c.view, model, source, labels != nullptr ? labels + c.row0 : nullptr,
                                              r.seed, kstats, pl, parts, least, pairs, d * (d + 1) / 2,
                                              compute_.get()));
  });
  const double* host = combine_to_host(plan, stride, stride);
  auto* least_host = staging_.take<double>(static_cast<size_t>(2 * plan.parts));
  if (plan.parts > 0)
    SEGMINT_CUDA_TRY(cudaMemcpyAsync(least_host, least, static_cast<size_t>(2 * plan.parts) * sizeof(double),
                                     cudaMemcpyDeviceToHost, compute_.get()));
  sync();  // the pass's one synchronisation
  return unpack_pass(host, least_host, plan.parts, stats, k, d, r.source == kind::model);
}

double cuda_backend::gmm_score(const segmint::detail::gmm_estep_params& m, std::span<int32_t> labels,
                               std::span<float> probability, std::span<float> responsibilities) {
  const int64_t n = data_.rows();
  if (m.d != data_.cols()) throw error("internal error: gmm_score dimension mismatch");
  const auto un = static_cast<size_t>(n);
  if ((!labels.empty() && labels.size() < un) || (!probability.empty() && probability.size() < un) ||
      (!responsibilities.empty() && responsibilities.size() < un * static_cast<size_t>(m.k)))
    throw error("internal error: gmm_score output buffers are too small");
  if (n == 0) return 0.0;
  check_fits(m.k, m.d);
  staging_.begin_call();
  const kernels::gmm_model model = upload_model(m);
  const part_plan plan = plan_parts(n, 1);
  double* part_ll = ensure(parts_, static_cast<size_t>(plan.parts), compute_);
  const auto chunk = static_cast<size_t>(data_.chunk_rows());
  int32_t* dev_labels = ensure(out_i_, chunk, compute_);
  float* dev_prob = ensure(out_f_, chunk, compute_);
  float* dev_resp = responsibilities.empty() ? nullptr : ensure(out_f2_, chunk * static_cast<size_t>(m.k), compute_);
  for_each_part_chunk(plan, [&](const struct chunk& c, kernels::part_layout pl) {
    SEGMINT_CUDA_TRY(kernels::launch_gmm_score(c.view, model, dev_labels, dev_prob, dev_resp, pl, part_ll, compute_.get()));
    const auto rows = static_cast<size_t>(c.view.rows);
    // Into the caller's (pageable) arrays: each copy completes before the next chunk reuses the buffers.
    if (!labels.empty())
      SEGMINT_CUDA_TRY(cudaMemcpyAsync(labels.data() + c.row0, dev_labels, rows * sizeof(int32_t),
                                       cudaMemcpyDeviceToHost, compute_.get()));
    if (!probability.empty())
      SEGMINT_CUDA_TRY(cudaMemcpyAsync(probability.data() + c.row0, dev_prob, rows * sizeof(float),
                                       cudaMemcpyDeviceToHost, compute_.get()));
    for (int comp = 0; dev_resp != nullptr && comp < m.k; ++comp)
      SEGMINT_CUDA_TRY(cudaMemcpyAsync(responsibilities.data() + static_cast<size_t>(comp) * un + c.row0,
                                       dev_resp + static_cast<size_t>(comp) * rows, rows * sizeof(float),
                                       cudaMemcpyDeviceToHost, compute_.get()));
  });
  auto* host = staging_.take<double>(static_cast<size_t>(plan.parts));
  SEGMINT_CUDA_TRY(cudaMemcpyAsync(host, part_ll, static_cast<size_t>(plan.parts) * sizeof(double),
                                   cudaMemcpyDeviceToHost, compute_.get()));
  sync();
  double total = 0.0;
  for (int64_t p = 0; p < plan.parts; ++p) total += host[p];  // part order
  return total;
}

}  // namespace segmint::cuda::detail
