#include "segmint/context.hpp"

#include <omp.h>

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

context::context(const context_options& options)
    : threads_(options.threads > 0 ? options.threads : omp_get_max_threads()) {
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

context::~context() = default;

std::string context::backend_name() const { return backend_->name(); }
std::string context::device_description() const { return backend_->device(); }

void context::load(matrix_view data) {
  if (data.data == resident_.data && data.rows == resident_.rows && data.cols == resident_.cols &&
      backend_->rows() == data.rows)
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
