// The customer-value passes on the device: the customers' frequency, recency and age stay resident (three
// doubles each) and each likelihood evaluation uploads only its small terms table and returns five sums.
#include <algorithm>

#include "cuda_backend.hpp"
#include "segmint/error.hpp"

namespace segmint::cuda::detail {

void cuda_backend::value_load(std::span<const double> frequency, std::span<const double> recency, std::span<const double> age) {
  if (recency.size() != frequency.size() || age.size() != frequency.size()) throw error("internal error: value columns differ in length");
  staging_.begin_call();
  value_n_ = static_cast<int64_t>(frequency.size());
  upload(frequency.data(), frequency.size(), value_x_);
  upload(recency.data(), recency.size(), value_tx_);
  upload(age.data(), age.size(), value_age_);
  value_max_frequency_ = frequency.empty() ? 0.0 : *std::max_element(frequency.begin(), frequency.end());
  sync();  // the staged copies must land before the next call reuses the staging arena
}

void cuda_backend::value_unload() {
  value_x_ = {};
  value_tx_ = {};
  value_age_ = {};
  value_n_ = 0;
}

std::vector<double> cuda_backend::bgnbd_pass(const segmint::detail::bgnbd_point& p, std::span<const double> terms) {
  using segmint::detail::bgnbd_sums;
  if (value_max_frequency_ >= static_cast<double>(terms.size() / segmint::detail::bgnbd_terms_per_frequency))
    throw error("internal error: a frequency beyond the terms table");
  staging_.begin_call();
  const double* table = upload(terms.data(), terms.size(), value_terms_);
  const part_plan plan = plan_parts(value_n_, bgnbd_sums);
  double* parts = ensure(parts_, static_cast<size_t>(std::max<int64_t>(plan.parts, 1) * bgnbd_sums), compute_);
  SEGMINT_CUDA_TRY(kernels::launch_bgnbd_pass(value_x_.data(), value_tx_.data(), value_age_.data(), value_n_, table,
                                              {p.r, p.alpha, p.a, p.b, p.log_alpha, p.modified}, kernels::part_layout{plan.part_rows, 0}, parts,
                                              compute_.get()));
  const double* sums = combine_to_host(plan, bgnbd_sums, bgnbd_sums);
  sync();  // the call's one synchronisation: five doubles come back
  return {sums, sums + bgnbd_sums};
}

}  // namespace segmint::cuda::detail
