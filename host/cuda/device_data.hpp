#pragma once
// The dataset on the device: resident (uploaded once, reused by every pass of a k sweep, every restart and
// the metrics) when it fits the device-memory budget, otherwise streamed: row chunks are copied from
// page-locked host memory through two device slots on a copy stream while the compute stream works on the
// other slot (events order the two), so transfers overlap compute.
#include <cstdint>
#include <functional>
#include <optional>

#include "launch.hpp"
#include "raii.hpp"
#include "segmint/matrix.hpp"

namespace segmint::cuda::detail {

/// One chunk of rows handed to a pass: its device view and its first row in the dataset.
struct chunk {
  kernels::chunk_view view;
  int64_t row0 = 0;
};

class device_data {
 public:
  device_data(const stream& compute, const stream& copy) : compute_(compute), copy_(copy) {}

  /// Makes `host` (n × d, column-major; it must stay alive while loaded) the dataset. Resident when its
  /// bytes plus `reserved` (the backend's per-row arrays and scratch) fit `budget` and the allocation
  /// succeeds; otherwise streamed in chunks sized to the rest of the budget (at least max_part_rows rows).
  /// Ends with a synchronisation of the compute stream (the upload is complete).
  void load(matrix_view host, int64_t budget, int64_t reserved);
  void clear();

  [[nodiscard]] int64_t rows() const { return host_.rows; }
  [[nodiscard]] int64_t cols() const { return host_.cols; }
  [[nodiscard]] matrix_view host() const { return host_; }
  [[nodiscard]] bool streaming() const { return streaming_; }
  /// Rows per chunk: all rows when resident.
  [[nodiscard]] int64_t chunk_rows() const { return streaming_ ? chunk_rows_ : host_.rows; }
  /// The resident copy (n × d, ld = n); null when streaming.
  [[nodiscard]] const float* resident() const { return streaming_ ? nullptr : resident_.data(); }

  /// Calls `pass` for each chunk in row order; `pass` enqueues work on the compute stream that reads only
  /// that chunk. Nothing is called when there are no rows.
  void for_each_chunk(const std::function<void(const chunk&)>& pass);

 private:
  void start_streaming(int64_t budget);
  void enqueue_copy(int64_t c);

  const stream& compute_;
  const stream& copy_;
  matrix_view host_{};
  bool streaming_ = false;
  int64_t chunk_rows_ = 0;
  device_buffer<float> resident_;
  device_buffer<float> slot_[2];
  event copied_[2];
  event slot_free_[2];
  host_registration registration_;
  pinned_buffer<float> pinned_copy_;  ///< used when the host memory cannot be registered
  const float* source_ = nullptr;     ///< page-locked n × d column-major: the registration or the copy
};

}  // namespace segmint::cuda::detail
