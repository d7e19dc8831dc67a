#pragma once
// The compute context: owns the backend (CPU reference or CUDA) and the resident dataset.
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "segmint/matrix.hpp"

namespace segmint {
namespace detail {
class backend;
class communicator;
}

enum class backend_choice { automatic, cpu, cuda };

/// "auto", "cpu" or "cuda"; anything else is an input_error.
backend_choice parse_backend_choice(std::string_view text);

struct context_options {
  backend_choice backend = backend_choice::automatic;  ///< auto = CUDA when compiled in and a device is visible
  int threads = 0;                                     ///< CPU threads; 0 = all cores (or OMP_NUM_THREADS)
  int device = 0;                                      ///< CUDA device ordinal
  /// CUDA: device-memory budget in bytes for the dataset and its per-row arrays; 0 = 80% of the memory
  /// free when the backend starts. A table that does not fit is streamed from page-locked host memory in
  /// row chunks (same results); `--max-device-memory` sets it (e.g. to force streaming).
  int64_t max_device_memory = 0;
  /// The processes sharing the rows (MPI); empty = this process alone. With several, the backend sees one
  /// shard of the rows per process and combines partial results in rank order.
  std::shared_ptr<const detail::communicator> comm;
};

/// Owns one backend. Algorithms take a context and a dataset; the dataset is made resident once and
/// reused while the same matrix is passed again (same data pointer and shape).
///   segmint::context ctx({.backend = segmint::backend_choice::cpu});
///   auto km = segmint::kmeans::fit(ctx, x.view(), {.k = 5});
class context {
 public:
  explicit context(const context_options& options = {});
  ~context();
  context(const context&) = delete;
  context& operator=(const context&) = delete;

  [[nodiscard]] std::string backend_name() const;
  [[nodiscard]] std::string device_description() const;
  [[nodiscard]] int threads() const { return threads_; }

  /// Small data on one thread: below `small_data_values` values (rows × columns, this process's share) a
  /// parallel region costs more than it saves, and on a busy machine threads waiting at its barrier cost far
  /// more (Mall's 200 rows: up to 9 s on 2 threads beside two CPU-bound processes, 0.04 s on one). Only when
  /// the thread count was not set (context_options::threads, OMP_NUM_THREADS); results are the same bytes.
  /// OpenMP's default thread count is restored when the context ends.
  void fit_threads_to(int64_t rows, int64_t cols);
  static constexpr int64_t small_data_values = 100000;

  /// Runs `work` on one thread, then goes back to the context's count: for many fits of small samples inside a
  /// larger job (`segmint tune`'s stability refits and gap statistic), where every parallel region would cost
  /// more than it saves. Results are the same bytes on any thread count.
  void run_single_threaded(const std::function<void()>& work);

  /// Makes `data` resident unless it already is (a view of the same matrix: matrix_view::origin; a view of
  /// other memory is loaded every time). `data` must stay alive and unchanged while it is resident.
  void load(matrix_view data);
  /// Forgets the resident dataset (call before the loaded matrix is destroyed).
  void unload();
  [[nodiscard]] detail::backend& backend() { return *backend_; }
  [[nodiscard]] const detail::communicator& comm() const { return *comm_; }
  [[nodiscard]] const std::shared_ptr<const detail::communicator>& comm_ptr() const { return comm_; }
  /// Rows of the resident dataset over all processes (the local rows when running alone).
  [[nodiscard]] int64_t total_rows() const;

 private:
  std::unique_ptr<detail::backend> backend_;
  std::shared_ptr<const detail::communicator> comm_;
  matrix_view resident_{};
  int threads_ = 1;
  bool threads_chosen_ = false;  ///< by the caller (options or OMP_NUM_THREADS): fit_threads_to leaves them
  int restore_omp_threads_ = 0;  ///< OpenMP's thread count before fit_threads_to, restored when the context ends
};

/// A CUDA device as `segmint info` lists it.
struct device_info {
  int ordinal = 0;
  std::string name;
  int64_t memory_bytes = 0;
  int multiprocessors = 0;
  int cc_major = 0;
  int cc_minor = 0;
  /// Peak DRAM bandwidth (bytes/s) from the memory clock and bus width; 0 when the driver does not say.
  double memory_bandwidth = 0;
  /// Peak FP32 rate (FLOP/s, an FMA counted as 2) from the SM count, the SM clock and the FP32 lanes
  /// per SM of the compute capability; 0 when unknown.
  double fp32_flops = 0;
};

/// Build configuration and the devices visible now.
struct build_info {
  std::string version;
  std::string compiler;
  bool cuda_compiled = false;
  std::string cuda_architectures;
  std::string cuda_status;  ///< e.g. "1 device" or why none is usable
  bool mpi_compiled = false;
  int cpu_threads = 0;
  std::vector<device_info> devices;
};
build_info describe_build();

}  // namespace segmint
