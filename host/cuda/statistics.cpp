// Column moments (PCA, Calinski-Harabasz), per-cluster sums and dispersion for host-given labels. Each is
// a pass (two for the moments: mean, then centred cross-products, as the CPU, to avoid E[xxᵀ] − μμᵀ
// cancellation) whose per-part partials are combined in part order.
#include <algorithm>
#include <cmath>
#include <limits>

#include "cuda_backend.hpp"
#include "segmint/error.hpp"

namespace segmint::cuda::detail {

segmint::detail::moments cuda_backend::column_moments() {
  const int64_t n = data_.rows();
  const int64_t d = data_.cols();
  segmint::detail::moments m;
  m.rows = n;
  m.mean.assign(static_cast<size_t>(d), 0.0);
  m.covariance.assign(static_cast<size_t>(d * d), 0.0);
  if (n == 0 || d == 0) return m;
  staging_.begin_call();
  const part_plan sums_plan = plan_parts(n, d);
  double* parts = ensure(parts_, static_cast<size_t>(sums_plan.parts * d), compute_);
  for_each_part_chunk(sums_plan, [&](const chunk& c, kernels::part_layout pl) {
    SEGMINT_CUDA_TRY(kernels::launch_column_sums(c.view, pl, parts, compute_.get()));
  });
  const double* sums = combine_to_host(sums_plan, d, d);
  sync();  // the mean is needed on the host (the CPU's arithmetic: Σ in part order, then / n)
  for (int64_t j = 0; j < d; ++j) m.mean[static_cast<size_t>(j)] = sums[j] / static_cast<double>(n);

  const int64_t npairs = d * (d + 1) / 2;
  const int32_t* pairs = pair_table(d);
  const double* mean = upload(m.mean.data(), m.mean.size(), params_d_);
  const part_plan products_plan = plan_parts(n, npairs);
  parts = ensure(parts_, static_cast<size_t>(products_plan.parts * npairs), compute_);
  for_each_part_chunk(products_plan, [&](const chunk& c, kernels::part_layout pl) {
    SEGMINT_CUDA_TRY(kernels::launch_centred_products(c.view, mean, pairs, npairs, pl, parts, compute_.get()));
  });
  const double* products = combine_to_host(products_plan, npairs, npairs);
  sync();
  int64_t e = 0;
  for (int64_t b = 0; b < d; ++b) {
    for (int64_t a = 0; a <= b; ++a, ++e) {
      const double v = products[e] / static_cast<double>(n);
      m.covariance[static_cast<size_t>(b * d + a)] = v;
      m.covariance[static_cast<size_t>(a * d + b)] = v;
    }
  }
  return m;
}

segmint::detail::assign_partials cuda_backend::cluster_sums(std::span<const int32_t> labels, int64_t k) {
  const int64_t n = data_.rows();
  const int64_t d = data_.cols();
  if (static_cast<int64_t>(labels.size()) != n) throw error("internal error: cluster_sums shape mismatch");
  if (k < 0 || k > std::numeric_limits<int32_t>::max()) throw error("internal error: invalid number of clusters");
  segmint::detail::assign_partials out;
  out.sums.assign(static_cast<size_t>(k * d), 0.0);
  out.counts.assign(static_cast<size_t>(k), 0);
  if (n == 0 || k == 0) return out;
  staging_.begin_call();
  const int32_t* dev_labels = upload_labels(labels);
  const int64_t stride = kernels::kmeans_part_stride(k, d);
  const part_plan plan = plan_parts(n, stride);
  double* parts = ensure(parts_, static_cast<size_t>(plan.parts * stride), compute_);
  for_each_part_chunk(plan, [&](const chunk& c, kernels::part_layout pl) {
    SEGMINT_CUDA_TRY(kernels::launch_label_sums(c.view, dev_labels + c.row0, nullptr, static_cast<int>(k), pl, parts,
                                                compute_.get()));
  });
  const double* host = combine_to_host(plan, stride, k * d + k);
  sync();
  std::copy(host, host + k * d, out.sums.begin());
  for (int64_t c = 0; c < k; ++c) out.counts[static_cast<size_t>(c)] = std::llround(host[k * d + c]);
  return out;
}

segmint::detail::dispersion_partials cuda_backend::dispersion(std::span<const int32_t> labels, matrix_view centres) {
  const int64_t n = data_.rows();
  const int64_t d = data_.cols();
  if (static_cast<int64_t>(labels.size()) != n || centres.cols != d)
    throw error("internal error: dispersion shape mismatch");
  if (centres.rows > std::numeric_limits<int32_t>::max()) throw error("internal error: invalid number of clusters");
  const int64_t k = centres.rows;
  segmint::detail::dispersion_partials out;
  out.dist_sums.assign(static_cast<size_t>(k), 0.0);
  out.sq_dist_sums.assign(static_cast<size_t>(k), 0.0);
  out.counts.assign(static_cast<size_t>(k), 0);
  if (n == 0 || k == 0) return out;
  staging_.begin_call();
  const int32_t* dev_labels = upload_labels(labels);
  const float* dev_centres = upload(centres.data, static_cast<size_t>(k * d), params_);
  const int64_t stride = kernels::kmeans_part_stride(k, 2);
  const part_plan plan = plan_parts(n, stride);
  double* parts = ensure(parts_, static_cast<size_t>(plan.parts * stride), compute_);
  for_each_part_chunk(plan, [&](const chunk& c, kernels::part_layout pl) {
    SEGMINT_CUDA_TRY(kernels::launch_dispersion_sums(c.view, dev_labels + c.row0, dev_centres, static_cast<int>(k), pl,
                                                     parts, compute_.get()));
  });
  const double* host = combine_to_host(plan, stride, 3 * k);  // Σ sq (k), Σ dist (k), counts (k)
  sync();
  for (int64_t c = 0; c < k; ++c) {
    out.sq_dist_sums[static_cast<size_t>(c)] = host[c];
    out.dist_sums[static_cast<size_t>(c)] = host[k + c];
    out.counts[static_cast<size_t>(c)] = std::llround(host[2 * k + c]);
  }
  return out;
}

}  // namespace segmint::cuda::detail
