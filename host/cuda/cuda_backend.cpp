// The CUDA backend: construction, the dataset, and the helpers every operation shares (part plans,
// uploads through page-locked memory, the part-order combination of partials).
#include "cuda_backend.hpp"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <limits>

#include "segmint/error.hpp"

namespace segmint::cuda::detail {

device_selection::device_selection(int ordinal_) : ordinal(ordinal_) {
  int count = 0;
  SEGMINT_CUDA_TRY(cudaGetDeviceCount(&count));
  if (ordinal < 0 || ordinal >= count)
    throw backend_unavailable_error("CUDA device " + std::to_string(ordinal) + " does not exist (" +
                                    std::to_string(count) + " visible)");
  SEGMINT_CUDA_TRY(cudaSetDevice(ordinal));
  cudaDeviceProp p{};
  SEGMINT_CUDA_TRY(cudaGetDeviceProperties(&p, ordinal));
  name = p.name;
  memory_bytes = static_cast<int64_t>(p.totalGlobalMem);
}

cuda_backend::cuda_backend(const context_options& options)
    : device_(options.device), compute_(), copy_(), blas_(compute_), data_(compute_, copy_) {
  // Stream-ordered allocations are reused from the pool instead of returning to the driver at each sync.
  cudaMemPool_t pool = nullptr;
  SEGMINT_CUDA_TRY(cudaDeviceGetDefaultMemPool(&pool, device_.ordinal));
  uint64_t keep = std::numeric_limits<uint64_t>::max();
  SEGMINT_CUDA_TRY(cudaMemPoolSetAttribute(pool, cudaMemPoolAttrReleaseThreshold, &keep));
  if (options.max_device_memory > 0) {
    budget_ = options.max_device_memory;
  } else {
    size_t free_bytes = 0;
    size_t total_bytes = 0;
    SEGMINT_CUDA_TRY(cudaMemGetInfo(&free_bytes, &total_bytes));
    budget_ = static_cast<int64_t>(static_cast<double>(free_bytes) * 0.8);
  }
  counter_ = device_buffer<unsigned long long>(1, compute_);
  ward_.best = device_buffer<kernels::ward_best>(1, compute_);
}

cuda_backend::~cuda_backend() {
  // Work still queued may read buffers about to be freed: wait for it (no-throw; errors are reported).
  SEGMINT_CUDA_TRY_NOTHROW(cudaStreamSynchronize(copy_.get()));
  SEGMINT_CUDA_TRY_NOTHROW(cudaStreamSynchronize(compute_.get()));
}

std::string cuda_backend::device() const {
  char gib[32];
  std::snprintf(gib, sizeof gib, "%.1f GiB", static_cast<double>(device_.memory_bytes) / (1 << 30));
  std::string s = device_.name + " (CUDA device " + std::to_string(device_.ordinal) + ", " + gib;
  if (data_.rows() > 0)
    s += data_.streaming() ? ", streamed in chunks of " + std::to_string(data_.chunk_rows()) + " rows" : ", resident";
  return s + ")";
}

void cuda_backend::load(matrix_view data) {
  const auto n = static_cast<size_t>(data.rows);
  // Per-row arrays (labels, squared distances, k-means++ distances, host labels) plus room for scratch.
  constexpr int64_t scratch_reserve = int64_t{256} << 20;
  const int64_t reserved = data.rows * 16 + std::min<int64_t>(scratch_reserve, budget_ / 4);
  data_.load(data, budget_, reserved);
  try {
    labels_ = device_buffer<int32_t>(std::max<size_t>(n, 1), compute_);
    sq_dist_ = device_buffer<float>(std::max<size_t>(n, 1), compute_);
    min_d2_ = device_buffer<float>(std::max<size_t>(n, 1), compute_);
    host_labels_ = device_buffer<int32_t>(std::max<size_t>(n, 1), compute_);
  } catch (const device_memory_error&) {
    throw device_memory_error("not enough device memory for the per-row arrays (16 bytes × " + std::to_string(n) +
                              " rows, kept on the device even when the table is streamed); use --backend cpu");
  }
  // The CPU's initial state: no labels, zero distances (so nothing reads uninitialised memory).
  SEGMINT_CUDA_TRY(cudaMemsetAsync(labels_.data(), 0xFF, labels_.size() * sizeof(int32_t), compute_.get()));
  SEGMINT_CUDA_TRY(cudaMemsetAsync(sq_dist_.data(), 0, sq_dist_.size() * sizeof(float), compute_.get()));
  SEGMINT_CUDA_TRY(cudaMemsetAsync(min_d2_.data(), 0, min_d2_.size() * sizeof(float), compute_.get()));
  last_k_ = 0;
  seed_parts_.clear();
  sync();
}

void cuda_backend::check_row(int64_t row) const {
  if (row < 0 || row >= data_.rows()) throw error("internal error: row " + std::to_string(row) + " out of range");
}

void cuda_backend::for_each_part_chunk(const part_plan& plan,
                                       const std::function<void(const chunk&, kernels::part_layout)>& pass) {
  data_.for_each_chunk([&](const chunk& c) {
    if (c.row0 % plan.part_rows != 0) throw error("internal error: a chunk does not start on a part boundary");
    pass(c, kernels::part_layout{plan.part_rows, c.row0 / plan.part_rows});
  });
}

const double* cuda_backend::combine_to_host(const part_plan& plan, int64_t stride, int64_t count) {
  double* out = ensure(combined_, static_cast<size_t>(std::max<int64_t>(count, 1)), compute_);
  SEGMINT_CUDA_TRY(kernels::launch_combine_parts(parts_.data(), plan.parts, stride, count, out, compute_.get()));
  auto* host = staging_.take<double>(static_cast<size_t>(count));
  if (count > 0)
    SEGMINT_CUDA_TRY(cudaMemcpyAsync(host, out, static_cast<size_t>(count) * sizeof(double), cudaMemcpyDeviceToHost,
                                     compute_.get()));
  return host;
}

template <typename T>
T* cuda_backend::upload(const T* host, size_t count, device_buffer<T>& dev) {
  T* staged = staging_.take<T>(count);
  if (count > 0) std::memcpy(staged, host, count * sizeof(T));
  T* d = ensure(dev, count, compute_);
  if (count > 0)
    SEGMINT_CUDA_TRY(cudaMemcpyAsync(d, staged, count * sizeof(T), cudaMemcpyHostToDevice, compute_.get()));
  return d;
}
template float* cuda_backend::upload(const float*, size_t, device_buffer<float>&);
template double* cuda_backend::upload(const double*, size_t, device_buffer<double>&);
template int32_t* cuda_backend::upload(const int32_t*, size_t, device_buffer<int32_t>&);
template int64_t* cuda_backend::upload(const int64_t*, size_t, device_buffer<int64_t>&);

const int32_t* cuda_backend::upload_labels(std::span<const int32_t> labels) {
  if (static_cast<int64_t>(labels.size()) != data_.rows()) throw error("internal error: labels do not match the rows");
  return upload(labels.data(), labels.size(), host_labels_);
}

const float* cuda_backend::device_rows(std::span<const int64_t> rows) {
  const auto m = static_cast<int64_t>(rows.size());
  const int64_t d = data_.cols();
  for (int64_t r : rows) check_row(r);
  if (const float* x = data_.resident(); x != nullptr) {
    const int64_t* idx = upload(rows.data(), rows.size(), row_index_);
    float* out = ensure(gathered_, static_cast<size_t>(std::max<int64_t>(m * d, 1)), compute_);
    SEGMINT_CUDA_TRY(kernels::launch_gather_rows(x, data_.rows(), d, idx, m, out, compute_.get()));
    return out;
  }
  // Streaming: the rows come from the host table (which stays alive while loaded).
  std::vector<float> host(static_cast<size_t>(m * d));
  const matrix_view x = data_.host();
  for (int64_t r = 0; r < m; ++r)
    for (int64_t j = 0; j < d; ++j) host[static_cast<size_t>(j * m + r)] = x(rows[static_cast<size_t>(r)], j);
  return upload(host.data(), host.size(), gathered_);
}

// (a, b) with a ≤ b, column by column: the upper triangle of a symmetric d × d matrix.
const int32_t* cuda_backend::pair_table(int64_t d) {
  if (pairs_d_ != d) {
    std::vector<int32_t> pairs;
    pairs.reserve(static_cast<size_t>(d * (d + 1)));
    for (int64_t b = 0; b < d; ++b)
      for (int64_t a = 0; a <= b; ++a) {
        pairs.push_back(static_cast<int32_t>(a));
        pairs.push_back(static_cast<int32_t>(b));
      }
    upload(pairs.data(), pairs.size(), pairs_);
    pairs_d_ = d;
  }
  return pairs_.data();
}

matrix cuda_backend::gather_rows(std::span<const int64_t> rows) {
  const auto m = static_cast<int64_t>(rows.size());
  const int64_t d = data_.cols();
  matrix out(m, d);
  if (data_.resident() == nullptr) {  // streaming: straight from the host table
    for (int64_t r : rows) check_row(r);
    const matrix_view x = data_.host();
    for (int64_t r = 0; r < m; ++r)
      for (int64_t j = 0; j < d; ++j) out(r, j) = x(rows[static_cast<size_t>(r)], j);
    return out;
  }
  staging_.begin_call();
  const float* dev = device_rows(rows);
  auto* host = staging_.take<float>(static_cast<size_t>(m * d));
  if (m * d > 0)
    SEGMINT_CUDA_TRY(cudaMemcpyAsync(host, dev, static_cast<size_t>(m * d) * sizeof(float), cudaMemcpyDeviceToHost,
                                     compute_.get()));
  sync();
  if (m * d > 0) std::memcpy(out.data(), host, static_cast<size_t>(m * d) * sizeof(float));
  return out;
}

std::unique_ptr<segmint::detail::backend> make_backend(const context_options& options) {
  return std::make_unique<cuda_backend>(options);
}

}  // namespace segmint::cuda::detail
