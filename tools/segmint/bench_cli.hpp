#pragma once
// `segmint bench`: CPU vs GPU throughput of the backend passes for a size sweep, each figure also as a
// percentage of the hardware limit (memory bandwidth, FP32 rate), as markdown, CSV or JSON.
#include <cstdint>
#include <iosfwd>
#include <string>

namespace CLI {
class App;
}

namespace segmint::cli {

struct bench_args {
  std::string sizes = "100000,1000000";  ///< rows per run, comma-separated
  int64_t d = 16;
  int k = 8;
  int repeat = 5;                    ///< timed calls per stage (the median is reported)
  int64_t silhouette_rows = 20000;   ///< rows of the exact silhouette (O(rows²))
  std::string format = "md";         ///< md, csv or json
  std::string backend = "all";       ///< all, cpu or cuda
  int threads = 0;
  std::string max_device_memory;
};

CLI::App* add_bench_command(CLI::App& app, bench_args& a);
int command_bench(const bench_args& a, std::ostream& out, std::ostream& err);

}  // namespace segmint::cli
