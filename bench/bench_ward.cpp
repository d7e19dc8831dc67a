// Exact Ward linkage (nearest-neighbour chain, CPU backend) on clustered data, n × d. The target:
// 40,000 rows in ≤ 10 s on 2 cores. Counter: nearest-neighbour scans per second. Peak memory of the whole
// run: /usr/bin/time -v build/ci/bench/segmint_bench_cpu --benchmark_filter=ward (or bench/peers/scipy_ward.py).
#include <benchmark/benchmark.h>

#include "bench_data.hpp"
#include "segmint/ward.hpp"

namespace {

void BM_ward_exact(benchmark::State& state) {
  const int64_t n = state.range(0);
  const int64_t d = state.range(1);
  const segmint::matrix x = segmint::bench::clustered_matrix(n, d, 8);
  segmint::context ctx({segmint::backend_choice::cpu, 0, 0});
  int64_t searches = 0;
  for (auto _ : state) {
    const auto r = segmint::ward::fit(ctx, x.view(), {.how = segmint::ward::mode::exact});
    searches = r.nn_searches;
    benchmark::DoNotOptimize(r.linkage.back().height);
  }
  state.counters["nn_searches"] = static_cast<double>(searches);
  state.SetItemsProcessed(state.iterations() * n);
}
BENCHMARK(BM_ward_exact)
    ->Args({5000, 8})
    ->Args({10000, 8})
    ->Args({40000, 2})
    ->Args({40000, 8})
    ->Args({40000, 16})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Iterations(1);

}  // namespace
