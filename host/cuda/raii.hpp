#pragma once
// RAII owners for every CUDA resource segmint uses. Raw cudaMalloc/cudaFree appear only here.
#include <cstddef>
#include <cstdint>
#include <utility>

#include "check.hpp"

namespace segmint::cuda {

/// A CUDA stream (non-blocking with respect to the legacy default stream).
class stream {
 public:
  stream() { SEGMINT_CUDA_TRY(cudaStreamCreateWithFlags(&s_, cudaStreamNonBlocking)); }
  ~stream() {
    if (s_ != nullptr) SEGMINT_CUDA_TRY_NOTHROW(cudaStreamDestroy(s_));
  }
  stream(const stream&) = delete;
  stream& operator=(const stream&) = delete;
  [[nodiscard]] cudaStream_t get() const { return s_; }
  /// The one explicit, named synchronisation point.
  void synchronize() const { SEGMINT_CUDA_TRY(cudaStreamSynchronize(s_)); }

 private:
  cudaStream_t s_ = nullptr;
};

/// A CUDA event (timing disabled unless asked for).
class event {
 public:
  explicit event(bool timing = false) {
    SEGMINT_CUDA_TRY(cudaEventCreateWithFlags(&e_, timing ? cudaEventDefault : cudaEventDisableTiming));
  }
  ~event() {
    if (e_ != nullptr) SEGMINT_CUDA_TRY_NOTHROW(cudaEventDestroy(e_));
  }
  event(const event&) = delete;
  event& operator=(const event&) = delete;
  [[nodiscard]] cudaEvent_t get() const { return e_; }
  void record(const stream& s) { SEGMINT_CUDA_TRY(cudaEventRecord(e_, s.get())); }
  void record(cudaStream_t s) { SEGMINT_CUDA_TRY(cudaEventRecord(e_, s)); }
  /// Makes `s` wait (on the device) for the work recorded in this event; no host synchronisation.
  void wait_on(cudaStream_t s) const { SEGMINT_CUDA_TRY(cudaStreamWaitEvent(s, e_, 0)); }

 private:
  cudaEvent_t e_ = nullptr;
};

/// Device memory for `count` elements of T, allocated and freed in stream order.
template <typename T>
class device_buffer {
 public:
  device_buffer() = default;
  device_buffer(size_t count, const stream& s) : count_(count), stream_(s.get()) {
    if (count_ > 0) SEGMINT_CUDA_TRY(cudaMallocAsync(reinterpret_cast<void**>(&ptr_), count_ * sizeof(T), stream_));
  }
  ~device_buffer() { release(); }
  device_buffer(device_buffer&& o) noexcept { swap(o); }
  device_buffer& operator=(device_buffer&& o) noexcept {
    if (this != &o) {
      release();
      swap(o);
    }
    return *this;
  }
  device_buffer(const device_buffer&) = delete;
  device_buffer& operator=(const device_buffer&) = delete;

  [[nodiscard]] T* data() { return ptr_; }
  [[nodiscard]] const T* data() const { return ptr_; }
  [[nodiscard]] size_t size() const { return count_; }

 private:
  void release() noexcept {
    if (ptr_ != nullptr) SEGMINT_CUDA_TRY_NOTHROW(cudaFreeAsync(ptr_, stream_));
    ptr_ = nullptr;
    count_ = 0;
  }
  void swap(device_buffer& o) noexcept {
    std::swap(ptr_, o.ptr_);
    std::swap(count_, o.count_);
    std::swap(stream_, o.stream_);
  }
  T* ptr_ = nullptr;
  size_t count_ = 0;
  cudaStream_t stream_ = nullptr;
};

/// Page-locked host memory (fast, asynchronous host↔device copies).
template <typename T>
class pinned_buffer {
 public:
  pinned_buffer() = default;
  explicit pinned_buffer(size_t count) : count_(count) {
    if (count_ > 0) SEGMINT_CUDA_TRY(cudaMallocHost(reinterpret_cast<void**>(&ptr_), count_ * sizeof(T)));
  }
  ~pinned_buffer() {
    if (ptr_ != nullptr) SEGMINT_CUDA_TRY_NOTHROW(cudaFreeHost(ptr_));
  }
  pinned_buffer(pinned_buffer&& o) noexcept : ptr_(std::exchange(o.ptr_, nullptr)), count_(std::exchange(o.count_, 0)) {}
  pinned_buffer& operator=(pinned_buffer&& o) noexcept {
    std::swap(ptr_, o.ptr_);
    std::swap(count_, o.count_);
    return *this;
  }
  pinned_buffer(const pinned_buffer&) = delete;
  pinned_buffer& operator=(const pinned_buffer&) = delete;
  [[nodiscard]] T* data() { return ptr_; }
  [[nodiscard]] const T* data() const { return ptr_; }
  [[nodiscard]] size_t size() const { return count_; }

 private:
  T* ptr_ = nullptr;
  size_t count_ = 0;
};

/// Host memory owned by someone else, page-locked for the lifetime of this object (fast asynchronous
/// host→device copies without a staging copy). try_register() returns an empty registration when the
/// driver refuses (e.g. the range is already registered): callers then stage through pinned_buffer.
class host_registration {
 public:
  host_registration() = default;
  static host_registration try_register(const void* p, size_t bytes) {
    host_registration r;
    if (p == nullptr || bytes == 0) return r;
    // cudaHostRegister takes void*; it does not write to the memory.
    if (cudaHostRegister(const_cast<void*>(p), bytes, cudaHostRegisterDefault) == cudaSuccess) {
      r.p_ = const_cast<void*>(p);
    } else {
      (void)cudaGetLastError();  // clear the refusal: it is handled, not an error
    }
    return r;
  }
  ~host_registration() { release(); }
  host_registration(host_registration&& o) noexcept : p_(std::exchange(o.p_, nullptr)) {}
  host_registration& operator=(host_registration&& o) noexcept {
    if (this != &o) {
      release();
      p_ = std::exchange(o.p_, nullptr);
    }
    return *this;
  }
  host_registration(const host_registration&) = delete;
  host_registration& operator=(const host_registration&) = delete;
  [[nodiscard]] bool registered() const { return p_ != nullptr; }

 private:
  void release() noexcept {
    if (p_ != nullptr) SEGMINT_CUDA_TRY_NOTHROW(cudaHostUnregister(p_));
    p_ = nullptr;
  }
  void* p_ = nullptr;
};

/// Grows `b` to at least `count` elements (stream-ordered: the old allocation is freed after the work
/// already queued on the stream that allocated it) and returns its data.
template <typename T>
T* ensure(device_buffer<T>& b, size_t count, const stream& s) {
  if (b.size() < count || b.data() == nullptr) b = device_buffer<T>(count > 0 ? count : 1, s);
  return b.data();
}

/// cuBLAS handle bound to a stream, math mode pinned to CUBLAS_DEFAULT_MATH (never TF32).
class cublas_handle {
 public:
  explicit cublas_handle(const stream& s) {
    SEGMINT_CUBLAS_TRY(cublasCreate(&h_));
    SEGMINT_CUBLAS_TRY(cublasSetStream(h_, s.get()));
    SEGMINT_CUBLAS_TRY(cublasSetMathMode(h_, CUBLAS_DEFAULT_MATH));
  }
  ~cublas_handle() {
    if (h_ != nullptr && cublasDestroy(h_) != CUBLAS_STATUS_SUCCESS) std::fprintf(stderr, "segmint: cublasDestroy failed\n");
  }
  cublas_handle(const cublas_handle&) = delete;
  cublas_handle& operator=(const cublas_handle&) = delete;
  [[nodiscard]] cublasHandle_t get() const { return h_; }

 private:
  cublasHandle_t h_ = nullptr;
};

}  // namespace segmint::cuda
