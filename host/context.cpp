#include "segmint/context.hpp"

#include <omp.h>

#include <algorithm>
#include <cstdlib>
#include <optional>

#include "algo/backend_registry.hpp"
#include "cpu/cpu_backend.hpp"
#include "dist/communicator.hpp"
#include "dist/sharded_backend.hpp"
#include "segmint/error.hpp"
#include "segmint/version.hpp"

namespace segmint {
namespace detail {
namespace {
std::optional<cuda_provider>& provider_slot() {
  static std::optional<cuda_provider> slot;
  return slot;
}
}  // namespace

void register_cuda_provider(cuda_provider provider) { provider_slot() = std::move(provider); }
const cuda_provider* registered_cuda_provider() {
  const auto& slot = provider_slot();
  return slot ? &*slot : nullptr;
}
}  // namespace detail

backend_choice parse_backend_choice(std::string_view text) {
  if (text == "auto") return backend_choice::automatic;
  if (text == "cpu") return backend_choice::cpu;
  if (text == "cuda" || text == "gpu") return backend_choice::cuda;
  throw input_error("--backend: unknown backend " + quote_value(text) + " (use auto, cpu or cuda)");
}

namespace {

/// This process's index among the ranks on its machine, and their number, from the launcher's variables
/// (Open MPI, MPICH/Hydra, Slurm); 0 and 1 when unknown.
std::pair<int, int> local_rank_and_size() {
  auto env = [](std::initializer_list<const char*> names) {
    for (const char* n : names)
      if (const char* v = std::getenv(n)) return std::atoi(v);
    return -1;
  };
  const int rank = env({"OMPI_COMM_WORLD_LOCAL_RANK", "MPI_LOCALRANKID", "SLURM_LOCALID"});
  const int size = env({"OMPI_COMM_WORLD_LOCAL_SIZE", "MPI_LOCALNRANKS", "SLURM_NTASKS_PER_NODE"});
  return {std::max(rank, 0), std::max(size, 1)};
}

/// Data-parallel runs share the machine: each rank takes its share of the cores (unless told otherwise),
/// and its own GPU (local rank modulo the devices).
context_options for_this_rank(context_options o) {
  if (!o.comm || o.comm->size() == 1) return o;
  const auto [local_rank, local_size] = local_rank_and_size();
  if (o.threads == 0 && std::getenv("OMP_NUM_THREADS") == nullptr) {
    o.threads = std::max(1, omp_get_num_procs() / local_size);
    omp_set_num_threads(o.threads);
  }
  if (const auto* cuda = detail::registered_cuda_provider(); cuda != nullptr && o.device == 0) {
    std::string status;
    const auto devices = cuda->list_devices(status);
    if (!devices.empty()) o.device = devices[static_cast<size_t>(local_rank) % devices.size()].ordinal;
  }
  return o;
}

}  // namespace

context::context(const context_options& requested) {
  const context_options options = for_this_rank(requested);
  threads_ = options.threads > 0 ? options.threads : omp_get_max_threads();
  threads_chosen_ = requested.threads > 0 || std::getenv("OMP_NUM_THREADS") != nullptr;
  const detail::cuda_provider* cuda = detail::registered_cuda_provider();
  if (options.backend == backend_choice::cuda) {
    if (cuda == nullptr)
      throw backend_unavailable_error("--backend cuda: this segmint was built without the CUDA backend "
                                      "(SEGMINT_CUDA=OFF or no nvcc at build time)");
    std::string status;
    const auto devices = cuda->list_devices(status);
    if (devices.empty()) throw backend_unavailable_error("--backend cuda: no usable CUDA device: " + status);
    if (!cuda->create)
      throw backend_unavailable_error("--backend cuda: this segmint detects CUDA devices but has no CUDA kernels yet; "
                                      "use --backend cpu");
    backend_ = cuda->create(options);
  } else if (options.backend == backend_choice::automatic && cuda != nullptr && cuda->create) {
    std::string status;
    if (!cuda->list_devices(status).empty()) backend_ = cuda->create(options);
  }
  if (!backend_) backend_ = std::make_unique<detail::cpu_backend>(threads_);
  comm_ = options.comm ? options.comm : detail::single_process();
  if (comm_->size() > 1) backend_ = std::make_unique<detail::sharded_backend>(std::move(backend_), comm_);
}

int64_t context::total_rows() const { return backend_->rows(); }

void context::fit_threads_to(int64_t rows, int64_t cols) {
  if (threads_chosen_ || threads_ == 1 || rows * std::max<int64_t>(cols, 1) >= small_data_values) return;
  threads_ = 1;
  restore_omp_threads_ = omp_get_max_threads();
  omp_set_num_threads(1);
  backend_->limit_threads(1);
}

void context::run_single_threaded(const std::function<void()>& work) {
  if (threads_ == 1) {
    work();
    return;
  }
  struct restore {
    context& ctx;
    int omp_threads;
    ~restore() {
      omp_set_num_threads(omp_threads);
      ctx.backend_->limit_threads(ctx.threads_);
    }
  } back{*this, omp_get_max_threads()};
  omp_set_num_threads(1);
  backend_->limit_threads(1);
  work();
}

context::~context() {
  if (restore_omp_threads_ > 0) omp_set_num_threads(restore_omp_threads_);
}

std::string context::backend_name() const { return backend_->name(); }
std::string context::device_description() const { return backend_->device(); }

void context::load(matrix_view data) {
  // The same address is not the same data: a matrix freed and another allocated in its place (tune's
  // resamples) would be clustered from the CUDA backend's copy of the first. Only a view of the same matrix
  // (its serial; none for other memory) is taken as resident already.
  if (data.origin != 0 && data.origin == resident_.origin && data.data == resident_.data && data.rows == resident_.rows &&
      data.cols == resident_.cols && backend_->rows() == data.rows)
    return;
  backend_->load(data);
  resident_ = data;
}

void context::unload() {
  backend_->load(matrix_view{});
  resident_ = {};
}

build_info describe_build() {
  build_info info;
  info.version = version_string();
  info.compiler = "g++ " __VERSION__;
#if defined(__clang__)
  info.compiler = "clang " __clang_version__;
#endif
  info.cpu_threads = omp_get_max_threads();
#ifdef SEGMINT_WITH_MPI
  info.mpi_compiled = true;
#endif
  if (const auto* cuda = detail::registered_cuda_provider()) {
    info.cuda_compiled = true;
    info.cuda_architectures = cuda->architectures;
    info.devices = cuda->list_devices(info.cuda_status);
  } else {
    info.cuda_status = "not built (SEGMINT_CUDA=OFF or no nvcc at build time)";
  }
  return info;
}

}  // namespace segmint
