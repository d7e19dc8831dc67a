// One EM iteration (E-step + sufficient statistics + M-step) on the CPU backend.
#include <benchmark/benchmark.h>

#include "../host/algo/backend.hpp"
#include "../host/algo/gmm_math.hpp"
#include "bench_data.hpp"
#include "segmint/gmm.hpp"

namespace {

void BM_gmm_em_iteration(benchmark::State& state) {
  const int64_t n = state.range(0);
  const int64_t d = state.range(1);
  const int k = static_cast<int>(state.range(2));
  const auto type = static_cast<segmint::gmm::covariance_type>(state.range(3));
  const segmint::matrix x = segmint::bench::clustered_matrix(n, d, k);
  segmint::context ctx({segmint::backend_choice::cpu, 0, 0});
  // Parameters after a couple of iterations from k-means, then time single iterations.
  auto fit = segmint::gmm::fit(ctx, x.view(), {.k = k, .covariance = type, .max_iter = 2});
  segmint::gmm::mixture m = fit.model;
  auto& be = ctx.backend();
  int64_t raises = 0;
  for (auto _ : state) {
    const auto e = segmint::detail::estep_params(m, 1e-6, raises);
    const segmint::detail::gmm_responsibilities r{segmint::detail::gmm_responsibilities::kind::model, &e, {}, 0};
    const auto s = be.gmm_pass(r, type, k);
    m = segmint::detail::mixture_from_stats(s, type, k, d, n, 1e-6);
    benchmark::DoNotOptimize(s.log_likelihood);
  }
  state.SetItemsProcessed(state.iterations() * n);
  state.SetBytesProcessed(state.iterations() * n * d * static_cast<int64_t>(sizeof(float)));
}
BENCHMARK(BM_gmm_em_iteration)
    ->Args({200000, 16, 8, 0})
    ->Args({1000000, 16, 8, 0})
    ->Args({1000000, 16, 8, 1})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
