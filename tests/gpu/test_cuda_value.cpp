// CPU ↔ CUDA parity of the customer-value pass (BG/NBD likelihood and gradient) and of a whole fit through
// the backend, on synthetic customers of every size class and on the bundled CDNOW summary.
#include <random>

#include "../../host/value/bgnbd_customer.hpp"
#include "../support/test_support.hpp"
#include "gpu_support.hpp"
#include "segmint/cuda.hpp"
#include "segmint/io.hpp"
#include "segmint/value.hpp"

namespace segmint::gpu_test {
namespace {

value::rfm_summary customers(int64_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> age(5, 40), share(0, 1);
  std::geometric_distribution<int> repeats(0.4);
  value::rfm_summary s;
  for (int64_t i = 0; i < n; ++i) {
    const double t = age(rng);
    const int x = repeats(rng);
    s.frequency.push_back(x);
    s.recency.push_back(x == 0 ? 0.0 : t * share(rng));
    s.age.push_back(t);
  }
  return s;
}

/// The terms table host/value/bgnbd.cpp builds, for a fixed parameter point (the value does not matter for
/// parity; the same table goes to both backends).
std::vector<double> some_terms(double max_frequency) {
  std::vector<double> t((static_cast<size_t>(max_frequency) + 1) * detail::bgnbd_terms_per_frequency);
  for (size_t i = 0; i < t.size(); ++i) t[i] = 0.01 * static_cast<double>(i % 97) - 0.3;
  for (size_t x = 0; x * detail::bgnbd_terms_per_frequency < t.size(); ++x) t[x * 6 + 5] = 1.0 / (2.4 + static_cast<double>(x));
  return t;
}

TEST(CudaValue, BgnbdPassMatchesCpu) {
  SEGMINT_REQUIRE_DEVICE();
  for (const bool modified : {false, true}) {
    for (int64_t n : sizes()) {
      const detail::bgnbd_point p{0.24, 4.4, 0.79, 2.4, std::log(4.4), modified};
      const auto s = customers(n, static_cast<uint32_t>(n));
      double top = 0;
      for (double x : s.frequency) top = std::max(top, x);
      const auto terms = some_terms(top);
      detail::cpu_backend cpu(1);
      auto gpu = make_gpu();
      cpu.value_load(s.frequency, s.recency, s.age);
      gpu->value_load(s.frequency, s.recency, s.age);
      const auto a = cpu.bgnbd_pass(p, terms);
      const auto b = gpu->bgnbd_pass(p, terms);
      double scale = 0;
      for (double v : a) scale = std::max(scale, std::fabs(v));
      expect_close(a, b, sum_rel, std::max(scale, 1.0), "n=" + std::to_string(n) + (modified ? " MBG/NBD" : " BG/NBD"));
      // Bitwise repeatable on the device: the part sums have a fixed order.
      EXPECT_EQ(b, gpu->bgnbd_pass(p, terms));
      gpu->value_unload();
    }
  }
}

TEST(CudaValue, CdnowFitOnTheDeviceEqualsTheCpuFit) {
  SEGMINT_REQUIRE_DEVICE();
  const raw_table raw = read_csv(test::example("cdnow/cdnow_customers_summary.csv").string(), {}, [](const auto& header) {
    csv_plan plan;
    for (const char* name : {"frequency", "recency", "T"})
      for (const auto& c : header)
        if (c.name == name) plan.numeric.push_back(c.index);
    return plan;
  });
  value::rfm_summary s;
  for (size_t i = 0; i < static_cast<size_t>(raw.rows()); ++i) {
    s.frequency.push_back(raw.columns[0].numbers[i]);
    s.recency.push_back(raw.columns[1].numbers[i]);
    s.age.push_back(raw.columns[2].numbers[i]);
  }
  cuda::register_backend();
  context gpu_ctx({backend_choice::cuda, 0, 0, 0});
  const auto on_gpu = value::fit_bgnbd(gpu_ctx, s);
  const auto on_cpu = value::fit_bgnbd(s);
  EXPECT_NEAR(on_gpu.params.r, on_cpu.params.r, 1e-7 * on_cpu.params.r);
  EXPECT_NEAR(on_gpu.params.alpha, on_cpu.params.alpha, 1e-7 * on_cpu.params.alpha);
  EXPECT_NEAR(on_gpu.params.a, on_cpu.params.a, 1e-7 * on_cpu.params.a);
  EXPECT_NEAR(on_gpu.params.b, on_cpu.params.b, 1e-7 * on_cpu.params.b);
  EXPECT_NEAR(on_gpu.report.log_likelihood, on_cpu.report.log_likelihood, 1e-9 * std::fabs(on_cpu.report.log_likelihood));
  EXPECT_NEAR(on_gpu.params.r, 0.243, 5e-4);  // the published figure, on the device too
}

}  // namespace
}  // namespace segmint::gpu_test
