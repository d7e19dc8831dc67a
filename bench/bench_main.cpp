// Google Benchmark main that records the device and the segmint version in the context.
#include <benchmark/benchmark.h>

#include "segmint/context.hpp"
#include "segmint/version.hpp"

int main(int argc, char** argv) {
  benchmark::AddCustomContext("segmint_version", segmint::version_string());
  segmint::context ctx({segmint::backend_choice::cpu, 0, 0});
  benchmark::AddCustomContext("cpu_backend", ctx.device_description());
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
