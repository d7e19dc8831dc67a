// K-Means stages on the CPU backend: one Lloyd iteration (assignment + sums, one read of the data) and a
// full fit. Bytes counted = the float32 data read once per pass (the floor for a memory-bound pass).
#include <benchmark/benchmark.h>

#include "../host/algo/backend.hpp"
#include "bench_data.hpp"
#include "segmint/kmeans.hpp"

namespace {

void BM_lloyd_iteration(benchmark::State& state) {
  const int64_t n = state.range(0);
  const int64_t d = state.range(1);
  const int k = static_cast<int>(state.range(2));
  const segmint::matrix x = segmint::bench::clustered_matrix(n, d, k);
  segmint::matrix c(k, d);
  for (int ci = 0; ci < k; ++ci)
    for (int64_t j = 0; j < d; ++j) c(ci, j) = x(ci * 7919 % n, j);
  segmint::context ctx({segmint::backend_choice::cpu, 0, 0});
  ctx.load(x.view());
  auto& be = ctx.backend();
  for (auto _ : state) {
    const auto p = be.assign(c.view());
    benchmark::DoNotOptimize(p.inertia);
  }
  state.SetBytesProcessed(state.iterations() * n * d * static_cast<int64_t>(sizeof(float)));
  state.SetItemsProcessed(state.iterations() * n);
  state.counters["GFLOP/s"] = benchmark::Counter(static_cast<double>(3 * n * d * k) * static_cast<double>(state.iterations()),
                                                 benchmark::Counter::kIsRate, benchmark::Counter::kIs1000);
}
BENCHMARK(BM_lloyd_iteration)
    ->Args({1000000, 12, 6})
    ->Args({1000000, 16, 8})
    ->Args({1000000, 16, 64})
    ->Args({1000000, 64, 8})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

void BM_kmeans_fit(benchmark::State& state) {
  const int64_t n = state.range(0);
  const int64_t d = state.range(1);
  const int k = static_cast<int>(state.range(2));
  const segmint::matrix x = segmint::bench::clustered_matrix(n, d, k);
  segmint::context ctx({segmint::backend_choice::cpu, 0, 0});
  int iterations = 0;
  for (auto _ : state) {
    const auto r = segmint::kmeans::fit(ctx, x.view(), {.k = k, .n_init = 1, .seed = 1});
    iterations = r.iterations;
    benchmark::DoNotOptimize(r.inertia);
  }
  state.counters["lloyd_iterations"] = iterations;
  state.SetItemsProcessed(state.iterations() * n);
}
BENCHMARK(BM_kmeans_fit)->Args({1000000, 16, 8})->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);

}  // namespace
