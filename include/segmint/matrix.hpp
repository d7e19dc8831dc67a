#pragma once
// Dense float32 matrices. Layout is COLUMN-MAJOR everywhere in segmint: element (i, j) lives at
// data[j * rows + i], so each feature is one contiguous array (the columnar table of docs/architecture.md §1).
#include <cstdint>
#include <span>
#include <utility>
#include <vector>

namespace segmint {

namespace detail {
/// A number no other matrix of this process has had (1, 2, ...).
uint64_t next_matrix_serial();
}  // namespace detail

/// Read-only column-major view of rows × cols float32 values; element (i, j) at data[j * rows + i].
struct matrix_view {
  const float* data = nullptr;
  int64_t rows = 0;
  int64_t cols = 0;
  /// The matrix shown (matrix::view), 0 for other memory: a backend that keeps a copy of the data (CUDA) tells
  /// by it a matrix from a later one allocated at the same address (context::load).
  uint64_t origin = 0;

  [[nodiscard]] const float* col(int64_t j) const { return data + j * rows; }
  [[nodiscard]] float operator()(int64_t i, int64_t j) const { return data[j * rows + i]; }
  [[nodiscard]] bool empty() const { return rows == 0 || cols == 0; }
};

/// Owning column-major rows × cols float32 matrix (zero-initialised). Each matrix has its own serial number
/// (a copy gets a new one, a move takes it along), carried by its views.
class matrix {
 public:
  matrix() = default;
  matrix(int64_t rows, int64_t cols)
      : values_(static_cast<size_t>(rows * cols), 0.0f), rows_(rows), cols_(cols), serial_(detail::next_matrix_serial()) {}
  matrix(const matrix& o) : values_(o.values_), rows_(o.rows_), cols_(o.cols_), serial_(detail::next_matrix_serial()) {}
  matrix(matrix&& o) noexcept
      : values_(std::move(o.values_)), rows_(std::exchange(o.rows_, 0)), cols_(std::exchange(o.cols_, 0)),
        serial_(std::exchange(o.serial_, 0)) {}
  matrix& operator=(const matrix& o) {
    if (this != &o) *this = matrix(o);
    return *this;
  }
  matrix& operator=(matrix&& o) noexcept {
    values_ = std::move(o.values_);
    rows_ = std::exchange(o.rows_, 0);
    cols_ = std::exchange(o.cols_, 0);
    serial_ = std::exchange(o.serial_, 0);
    return *this;
  }
  ~matrix() = default;

  [[nodiscard]] int64_t rows() const { return rows_; }
  [[nodiscard]] int64_t cols() const { return cols_; }
  [[nodiscard]] float* data() { return values_.data(); }
  [[nodiscard]] const float* data() const { return values_.data(); }
  [[nodiscard]] float* col(int64_t j) { return values_.data() + j * rows_; }
  [[nodiscard]] const float* col(int64_t j) const { return values_.data() + j * rows_; }
  [[nodiscard]] float& operator()(int64_t i, int64_t j) { return values_[static_cast<size_t>(j * rows_ + i)]; }
  [[nodiscard]] float operator()(int64_t i, int64_t j) const { return values_[static_cast<size_t>(j * rows_ + i)]; }
  [[nodiscard]] matrix_view view() const { return {values_.data(), rows_, cols_, serial_}; }
  [[nodiscard]] std::span<const float> values() const { return values_; }

 private:
  std::vector<float> values_;
  int64_t rows_ = 0;
  int64_t cols_ = 0;
  uint64_t serial_ = 0;
};

}  // namespace segmint
