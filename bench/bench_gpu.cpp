// GPU stages (built only with CUDA; run on the GPU machine by tools/gpu_check.sh). Timing: CUDA events on
// the backend's stream around each call (manual time), after a warm-up call. Counters: GB/s of the bytes
// a pass must read (the data once; the floor of a memory-bound pass), FLOP/s of the arithmetic it must do,
// and the hardware ceilings measured here (device-to-device copy, pinned host→device copy).
#include <benchmark/benchmark.h>
#include <omp.h>

#include <cmath>
#include <map>
#include <memory>
#include <tuple>

#include "../host/algo/rng.hpp"
#include "../host/cuda/cuda_backend.hpp"
#include "../host/cuda/devices.hpp"
#include "segmint/version.hpp"

namespace {

using segmint::matrix;
using segmint::cuda::detail::cuda_backend;

/// `groups` separated groups plus uniform noise, generated in parallel from the counter-based RNG (fast
/// enough for 10M × 64 tables). Cached: every benchmark of a shape shares one table.
const matrix& table(int64_t n, int64_t d, int groups = 8) {
  static std::map<std::tuple<int64_t, int64_t, int>, std::unique_ptr<matrix>> cache;
  auto& slot = cache[{n, d, groups}];
  if (!slot) {
    slot = std::make_unique<matrix>(n, d);
    matrix& x = *slot;
#pragma omp parallel for schedule(static)
    for (int64_t j = 0; j < d; ++j) {
      for (int64_t i = 0; i < n; ++i) {
        const uint64_t g = static_cast<uint64_t>(i % groups);
        const double centre = 8.0 * segmint::detail::random_uniform(99, segmint::detail::rng_purpose::report_sample, g, static_cast<uint64_t>(j));
        const double noise = segmint::detail::random_uniform(7, segmint::detail::rng_purpose::report_sample, static_cast<uint64_t>(j), static_cast<uint64_t>(i));
        x(i, j) = static_cast<float>(centre + 2.0 * noise - 1.0);
      }
    }
  }
  return *slot;
}

matrix centroids_of(const matrix& x, int k) {
  matrix c(k, x.cols());
  for (int ci = 0; ci < k; ++ci)
    for (int64_t j = 0; j < x.cols(); ++j) c(ci, j) = x((static_cast<int64_t>(ci) * 7919 + 3) % x.rows(), j);
  return c;
}

std::unique_ptr<cuda_backend> backend(int64_t budget = 0) {
  segmint::context_options o;
  o.backend = segmint::backend_choice::cuda;
  o.max_device_memory = budget;
  return std::make_unique<cuda_backend>(o);
}

/// Times `f` (one backend call) with events on the backend's stream, one warm-up call first.
template <typename F>
void time_calls(benchmark::State& state, cudaStream_t s, F&& f) {
  segmint::cuda::event start(true);
  segmint::cuda::event stop(true);
  f();
  for (auto _ : state) {
    start.record(s);
    f();
    stop.record(s);
    SEGMINT_CUDA_TRY(cudaEventSynchronize(stop.get()));
    float ms = 0;
    SEGMINT_CUDA_TRY(cudaEventElapsedTime(&ms, start.get(), stop.get()));
    state.SetIterationTime(static_cast<double>(ms) * 1e-3);
  }
}

void counters(benchmark::State& state, double bytes, double flops) {
  state.counters["GB/s"] = benchmark::Counter(bytes * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate,
                                              benchmark::Counter::kIs1000);
  state.counters["GFLOP/s"] = benchmark::Counter(flops * 1e-9 * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}

// One Lloyd iteration: assignment + per-centroid sums (one read of the data on the fused path).
// range(3): 0 = default path, 1 = SGEMM forced (the crossover measurement), 2 = streamed (1 GB budget).
void BM_gpu_lloyd(benchmark::State& state) {
  const int64_t n = state.range(0);
  const int64_t d = state.range(1);
  const int k = static_cast<int>(state.range(2));
  const matrix& x = table(n, d);
  const matrix c = centroids_of(x, k);
  auto be = backend(state.range(3) == 2 ? int64_t{1} << 30 : 0);
  if (state.range(3) == 1) be->set_gemm_min_k(1);
  be->load(x.view());
  time_calls(state, be->stream(), [&] { benchmark::DoNotOptimize(be->assign(c.view()).inertia); });
  counters(state, static_cast<double>(n * d) * sizeof(float), 3.0 * static_cast<double>(n * d) * k);
  state.counters["streamed"] = be->streaming() ? 1 : 0;
}
BENCHMARK(BM_gpu_lloyd)
    ->ArgNames({"n", "d", "k", "mode"})
    ->Args({10000000, 16, 8, 0})
    ->Args({10000000, 64, 8, 0})
    ->Args({10000000, 16, 32, 0})
    ->Args({10000000, 16, 32, 1})
    ->Args({10000000, 16, 63, 0})
    ->Args({10000000, 16, 64, 0})
    ->Args({10000000, 16, 128, 0})
    ->Args({10000000, 16, 1024, 0})
    ->Args({10000000, 16, 8, 2})
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond);

void BM_gpu_column_moments(benchmark::State& state) {
  const int64_t n = state.range(0);
  const int64_t d = state.range(1);
  auto be = backend();
  be->load(table(n, d).view());
  time_calls(state, be->stream(), [&] { benchmark::DoNotOptimize(be->column_moments().rows); });
  counters(state, 2.0 * static_cast<double>(n * d) * sizeof(float), static_cast<double>(n) * static_cast<double>(d * (d + 3)));
}
BENCHMARK(BM_gpu_column_moments)->ArgNames({"n", "d"})->Args({10000000, 16})->UseManualTime()->Unit(benchmark::kMillisecond);

// One EM pass (E-step through Cholesky factors + sufficient statistics), full covariance, unit precisions.
void BM_gpu_gmm_pass(benchmark::State& state) {
  const int64_t n = state.range(0);
  const int64_t d = state.range(1);
  const int k = static_cast<int>(state.range(2));
  const matrix c = centroids_of(table(n, d), k);
  segmint::detail::gmm_estep_params m;
  m.k = k;
  m.d = d;
  for (int64_t j = 0; j < d; ++j)
    for (int ci = 0; ci < k; ++ci) m.means.push_back(c(ci, j));
  m.prec_chol.assign(static_cast<size_t>(k * d * d), 0.0);
  for (int ci = 0; ci < k; ++ci)
    for (int64_t j = 0; j < d; ++j) m.prec_chol[static_cast<size_t>(ci * d * d + j * d + j)] = 1.0;
  m.log_weights.assign(static_cast<size_t>(k), -std::log(static_cast<double>(k)));
  m.log_det.assign(static_cast<size_t>(k), 0.0);
  auto be = backend();
  be->load(table(n, d).view());
  const segmint::detail::gmm_responsibilities r{segmint::detail::gmm_responsibilities::kind::model, &m, {}, 0};
  time_calls(state, be->stream(), [&] { benchmark::DoNotOptimize(be->gmm_pass(r, segmint::gmm::covariance_type::full, k).log_likelihood); });
  // E-step: k·d(d+1) FLOP (triangular y = x·P) ; statistics: ≈ 1.5·k·d(d+1) + 2·k·d.
  counters(state, static_cast<double>(n * d) * sizeof(float),
           static_cast<double>(n) * k * (2.5 * static_cast<double>(d * (d + 1)) + 2.0 * static_cast<double>(d)));
}
BENCHMARK(BM_gpu_gmm_pass)
    ->ArgNames({"n", "d", "k"})
    ->Args({10000000, 16, 8})
    ->Args({10000000, 16, 64})
    ->Args({1000000, 64, 64})
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond);

// Exact silhouette over m rows, one labelling (k = 8): 3·m²·d FLOP of distances.
void BM_gpu_silhouette(benchmark::State& state) {
  const int64_t m = state.range(0);
  const int64_t d = state.range(1);
  auto be = backend();
  be->load(table(m, d).view());
  std::vector<int64_t> rows(static_cast<size_t>(m));
  for (int64_t i = 0; i < m; ++i) rows[static_cast<size_t>(i)] = i;
  std::vector<std::vector<int32_t>> labels(1, std::vector<int32_t>(static_cast<size_t>(m)));
  for (int64_t i = 0; i < m; ++i) labels[0][static_cast<size_t>(i)] = static_cast<int32_t>(i % 8);
  time_calls(state, be->stream(), [&] { benchmark::DoNotOptimize(be->silhouette(rows, labels)[0][0]); });
  counters(state, static_cast<double>(m * d) * sizeof(float), 3.0 * static_cast<double>(m) * static_cast<double>(m) * static_cast<double>(d));
}
BENCHMARK(BM_gpu_silhouette)->ArgNames({"m", "d"})->Args({200000, 16})->Args({1000000, 16})->Iterations(1)->UseManualTime()->Unit(benchmark::kMillisecond);

// One Ward nearest-neighbour scan over m clusters (double costs, no FMA).
void BM_gpu_ward_search(benchmark::State& state) {
  const int64_t m = state.range(0);
  const int64_t d = state.range(1);
  const matrix& x = table(m, d);
  std::vector<double> c(x.values().begin(), x.values().end());
  std::vector<double> sizes(static_cast<size_t>(m), 1.0);
  auto be = backend();
  be->ward_begin(c, sizes, d);
  int64_t q = 0;
  time_calls(state, be->stream(), [&] { benchmark::DoNotOptimize(be->ward_nearest(q++ % m, -1).cost); });
  counters(state, static_cast<double>(m * (d + 1)) * sizeof(double), 3.0 * static_cast<double>(m * d) + 4.0 * static_cast<double>(m));
}
BENCHMARK(BM_gpu_ward_search)->ArgNames({"m", "d"})->Args({200000, 16})->UseManualTime()->Unit(benchmark::kMicrosecond);

// Ceilings: a device-to-device copy (bytes read + written) and a pinned host→device copy.
void BM_gpu_ceiling_copy(benchmark::State& state) {
  const bool host = state.range(0) == 1;
  const size_t bytes = size_t{1} << (host ? 30 : 32);
  segmint::cuda::stream s;
  segmint::cuda::device_buffer<std::byte> a(bytes, s);
  segmint::cuda::device_buffer<std::byte> b(host ? 1 : bytes, s);
  segmint::cuda::pinned_buffer<std::byte> h(host ? bytes : 1);
  SEGMINT_CUDA_TRY(cudaMemsetAsync(a.data(), 1, bytes, s.get()));
  auto copy = [&] {
    if (host) SEGMINT_CUDA_TRY(cudaMemcpyAsync(a.data(), h.data(), bytes, cudaMemcpyHostToDevice, s.get()));
    else SEGMINT_CUDA_TRY(cudaMemcpyAsync(b.data(), a.data(), bytes, cudaMemcpyDeviceToDevice, s.get()));
  };
  time_calls(state, s.get(), copy);
  counters(state, static_cast<double>(bytes) * (host ? 1.0 : 2.0), 0);
}
BENCHMARK(BM_gpu_ceiling_copy)->ArgNames({"host_to_device"})->Arg(0)->Arg(1)->UseManualTime()->Unit(benchmark::kMillisecond);

}  // namespace

int main(int argc, char** argv) {
  std::string why;
  const auto devices = segmint::cuda::detail::list_devices(why);
  if (devices.empty()) {
    std::printf("segmint_bench_gpu: no CUDA device (%s): nothing measured\n", why.c_str());
    return 0;
  }
  benchmark::AddCustomContext("segmint_version", segmint::version_string());
  benchmark::AddCustomContext("device", devices.front().name);
  benchmark::AddCustomContext("peak_bandwidth_GBps", std::to_string(devices.front().memory_bandwidth / 1e9));
  benchmark::AddCustomContext("peak_fp32_TFLOPs", std::to_string(devices.front().fp32_flops / 1e12));
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
