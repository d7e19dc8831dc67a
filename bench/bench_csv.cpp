// CSV ingestion throughput (MB/s of file parsed into the columnar float32 table).
#include <benchmark/benchmark.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "bench_data.hpp"
#include "segmint/table.hpp"

namespace {

/// A customers CSV of n rows: an id and 16 numeric features with 2-4 decimals (written once, cached).
std::string customers_csv(int64_t n) {
  const auto path = std::filesystem::temp_directory_path() / ("segmint_bench_" + std::to_string(n) + "x16.csv");
  if (std::filesystem::exists(path)) return path.string();
  const segmint::matrix x = segmint::bench::clustered_matrix(n, 16, 8);
  std::ofstream out(path.string() + ".tmp");
  out << "customer_id";
  for (int j = 0; j < 16; ++j) out << ",f" << j;
  out << "\n";
  char buf[32];
  for (int64_t i = 0; i < n; ++i) {
    out << "C" << i;
    for (int j = 0; j < 16; ++j) {
      std::snprintf(buf, sizeof buf, ",%.3f", 50.0 + 10.0 * x(i, j));
      out << buf;
    }
    out << "\n";
  }
  out.close();
  std::filesystem::rename(path.string() + ".tmp", path);
  return path.string();
}

void BM_read_customers_csv(benchmark::State& state) {
  const std::string path = customers_csv(state.range(0));
  const auto bytes = static_cast<int64_t>(std::filesystem::file_size(path));
  for (auto _ : state) {
    const auto t = segmint::load_feature_table(path, {});
    benchmark::DoNotOptimize(t.values.data());
  }
  state.SetBytesProcessed(state.iterations() * bytes);
  state.SetItemsProcessed(state.iterations() * state.range(0));
  state.counters["file_MB"] = static_cast<double>(bytes) / 1e6;
}
BENCHMARK(BM_read_customers_csv)->Arg(100000)->Arg(1000000)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
