#include "device_data.hpp"

#include <algorithm>
#include <cstring>
#include <string>

namespace segmint::cuda::detail {
namespace {
constexpr int64_t float_bytes = static_cast<int64_t>(sizeof(float));
}

void device_data::clear() {
  resident_ = {};
  slot_[0] = {};
  slot_[1] = {};
  registration_ = {};
  pinned_copy_ = {};
  source_ = nullptr;
  host_ = {};
  streaming_ = false;
  chunk_rows_ = 0;
}

void device_data::load(matrix_view host, int64_t budget, int64_t reserved) {
  compute_.synchronize();  // nothing may still read the previous dataset's memory
  copy_.synchronize();
  clear();
  host_ = host;
  const int64_t n = host.rows;
  const int64_t d = host.cols;
  if (n == 0 || d == 0) return;
  const int64_t bytes = n * d * float_bytes;
  if (bytes + reserved <= budget) {
    try {
      resident_ = device_buffer<float>(static_cast<size_t>(n * d), compute_);
      SEGMINT_CUDA_TRY(cudaMemcpyAsync(resident_.data(), host.data, static_cast<size_t>(bytes), cudaMemcpyHostToDevice,
                                       compute_.get()));
      compute_.synchronize();  // load complete
      return;
    } catch (const device_memory_error&) {
      // Did not fit after all (other users of the device, or a budget above the memory): stream instead,
      // with chunks sized to what is actually free.
      resident_ = {};
      size_t free_bytes = 0;
      size_t total_bytes = 0;
      SEGMINT_CUDA_TRY(cudaMemGetInfo(&free_bytes, &total_bytes));
      budget = std::min(budget, static_cast<int64_t>(static_cast<double>(free_bytes) * 0.8));
    }
  }
  start_streaming(budget - reserved);
}

void device_data::start_streaming(int64_t budget) {
  const int64_t n = host_.rows;
  const int64_t d = host_.cols;
  const int64_t quantum = kernels::max_part_rows;  // chunks start on part boundaries for every part size
  const int64_t per_row = 2 * d * float_bytes;     // two slots
  int64_t rows = std::max<int64_t>(budget, 0) / per_row / quantum * quantum;
  rows = std::clamp<int64_t>(rows, quantum, (n + quantum - 1) / quantum * quantum);
  try {
    for (auto& s : slot_) s = device_buffer<float>(static_cast<size_t>(rows * d), compute_);
  } catch (const device_memory_error&) {
    throw device_memory_error("not enough device memory to stream the table: two chunks of " + std::to_string(rows) +
                              " rows × " + std::to_string(d) + " features need " +
                              std::to_string(2 * rows * d * float_bytes) + " bytes");
  }
  streaming_ = true;
  chunk_rows_ = rows;
  const size_t bytes = static_cast<size_t>(n * d * float_bytes);
  registration_ = host_registration::try_register(host_.data, bytes);
  if (registration_.registered()) {
    source_ = host_.data;
  } else {
    try {
      pinned_copy_ = pinned_buffer<float>(static_cast<size_t>(n * d));
    } catch (const device_memory_error&) {
      throw device_memory_error("cannot page-lock " + std::to_string(bytes) + " bytes of host memory to stream the table");
    }
    std::memcpy(pinned_copy_.data(), host_.data, bytes);
    source_ = pinned_copy_.data();
  }
  compute_.synchronize();  // the slots' stream-ordered allocations are complete before the copy stream uses them
}

// Chunk c → slot c % 2, once the compute stream has finished with the slot's previous chunk.
void device_data::enqueue_copy(int64_t c) {
  const int s = static_cast<int>(c % 2);
  const int64_t n = host_.rows;
  const int64_t row0 = c * chunk_rows_;
  const int64_t rows = std::min(chunk_rows_, n - row0);
  slot_free_[s].wait_on(copy_.get());
  for (int64_t j = 0; j < host_.cols; ++j)  // one copy per column: no 2D pitch limit, any n
    SEGMINT_CUDA_TRY(cudaMemcpyAsync(slot_[s].data() + j * rows, source_ + j * n + row0,
                                     static_cast<size_t>(rows * float_bytes), cudaMemcpyHostToDevice, copy_.get()));
  copied_[s].record(copy_);
}

void device_data::for_each_chunk(const std::function<void(const chunk&)>& pass) {
  const int64_t n = host_.rows;
  if (n == 0) return;
  if (!streaming_) {
    pass(chunk{{resident_.data(), n, n, host_.cols}, 0});
    return;
  }
  const int64_t chunks = (n + chunk_rows_ - 1) / chunk_rows_;
  enqueue_copy(0);
  for (int64_t c = 0; c < chunks; ++c) {
    if (c + 1 < chunks) enqueue_copy(c + 1);  // prefetch into the other slot
    const int s = static_cast<int>(c % 2);
    const int64_t row0 = c * chunk_rows_;
    const int64_t rows = std::min(chunk_rows_, n - row0);
    copied_[s].wait_on(compute_.get());
    pass(chunk{{slot_[s].data(), rows, rows, host_.cols}, row0});
    slot_free_[s].record(compute_);
  }
}

}  // namespace segmint::cuda::detail
