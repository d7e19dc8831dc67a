// The customer-value passes of the CPU backend: per-customer terms (host/value/bgnbd_customer.hpp) summed per
// fixed row block (row_blocks.hpp), blocks in order, so the sums have the same bits on any thread count.
#include "cpu_backend.hpp"
#include "segmint/error.hpp"

namespace segmint::detail {

void cpu_backend::value_load(std::span<const double> frequency, std::span<const double> recency, std::span<const double> age) {
  if (recency.size() != frequency.size() || age.size() != frequency.size()) throw error("internal error: value columns differ in length");
  value_x_.assign(frequency.begin(), frequency.end());
  value_tx_.assign(recency.begin(), recency.end());
  value_age_.assign(age.begin(), age.end());
}

void cpu_backend::value_unload() {
  value_x_ = {};
  value_tx_ = {};
  value_age_ = {};
}

std::vector<double> cpu_backend::bgnbd_pass(const bgnbd_point& p, std::span<const double> terms) {
  const auto n = static_cast<int64_t>(value_x_.size());
  const row_blocks blocks = make_row_blocks(n);
  const int64_t nb = blocks.count();
  std::vector<double> partial(static_cast<size_t>(nb * bgnbd_sums), 0.0);
  double top = 0;
  for (double x : value_x_) top = x > top ? x : top;
  if (top >= static_cast<double>(terms.size() / bgnbd_terms_per_frequency)) throw error("internal error: a frequency beyond the terms table");
#pragma omp parallel for num_threads(threads_) schedule(static)
  for (int64_t b = 0; b < nb; ++b) {
    double* acc = partial.data() + b * bgnbd_sums;
    for (int64_t i = blocks.begin(b); i < blocks.end(b); ++i) {
      const double x = value_x_[static_cast<size_t>(i)];
      const auto f = static_cast<int64_t>(x);
      bgnbd_add_customer(x, value_tx_[static_cast<size_t>(i)], value_age_[static_cast<size_t>(i)],
                         terms.data() + f * bgnbd_terms_per_frequency, p, acc);
    }
  }
  std::vector<double> total(bgnbd_sums, 0.0);
  for (int64_t b = 0; b < nb; ++b)
    for (int k = 0; k < bgnbd_sums; ++k) total[static_cast<size_t>(k)] += partial[static_cast<size_t>(b * bgnbd_sums + k)];
  return total;
}

}  // namespace segmint::detail
