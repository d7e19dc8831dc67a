#pragma once
// Dense float32 matrices. Layout is COLUMN-MAJOR everywhere in segmint: element (i, j) lives at
// data[j * rows + i], so each feature is one contiguous array (the columnar table of docs/architecture.md §1).
#include <cstdint>
#include <span>
#include <vector>

namespace segmint {

/// Read-only column-major view of rows × cols float32 values; element (i, j) at data[j * rows + i].
struct matrix_view {
  const float* data = nullptr;
  int64_t rows = 0;
  int64_t cols = 0;

  [[nodiscard]] const float* col(int64_t j) const { return data + j * rows; }
  [[nodiscard]] float operator()(int64_t i, int64_t j) const { return data[j * rows + i]; }
  [[nodiscard]] bool empty() const { return rows == 0 || cols == 0; }
};

/// Owning column-major rows × cols float32 matrix (zero-initialised).
class matrix {
 public:
  matrix() = default;
  matrix(int64_t rows, int64_t cols) : values_(static_cast<size_t>(rows * cols), 0.0f), rows_(rows), cols_(cols) {}

  [[nodiscard]] int64_t rows() const { return rows_; }
  [[nodiscard]] int64_t cols() const { return cols_; }
  [[nodiscard]] float* data() { return values_.data(); }
  [[nodiscard]] const float* data() const { return values_.data(); }
  [[nodiscard]] float* col(int64_t j) { return values_.data() + j * rows_; }
  [[nodiscard]] const float* col(int64_t j) const { return values_.data() + j * rows_; }
  [[nodiscard]] float& operator()(int64_t i, int64_t j) { return values_[static_cast<size_t>(j * rows_ + i)]; }
  [[nodiscard]] float operator()(int64_t i, int64_t j) const { return values_[static_cast<size_t>(j * rows_ + i)]; }
  [[nodiscard]] matrix_view view() const { return {values_.data(), rows_, cols_}; }
  [[nodiscard]] std::span<const float> values() const { return values_; }

 private:
  std::vector<float> values_;
  int64_t rows_ = 0;
  int64_t cols_ = 0;
};

}  // namespace segmint
