// Device and page-locked memory: every allocation in one table, device bytes accounted against the
// configured capacity (so the out-of-memory → streaming path runs), contents poisoned with 0xFF (NaN as
// float or double) so that reading what was never written changes results; every copy and memset is
// range-checked against one allocation. Copies honour CUDA's pageable-memory rules: a host→device copy
// from pageable memory takes its snapshot at the call, a device→host copy into pageable memory returns only
// when it ran; pinned memory is read and written when the stream runs (so reusing it too early shows).
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>
#include <vector>

#include "internal.hpp"

namespace segmint_emu {
struct pool_state {};

namespace {

struct allocation {
  std::byte* base = nullptr;
  size_t size = 0;
  space kind = space::device;
  bool pending_free = false;
  std::string origin;
};

std::mutex table_mutex;
std::map<uintptr_t, allocation> table;  // by base address
size_t device_used = 0;
pool_state default_pool;

constexpr unsigned char poison = 0xFF;

/// The allocation holding p (or null), table_mutex held.
allocation* find(const void* p) {
  const auto key = reinterpret_cast<uintptr_t>(p);
  auto it = table.upper_bound(key);
  if (it == table.begin()) return nullptr;
  --it;
  allocation& a = it->second;
  const auto base = reinterpret_cast<uintptr_t>(a.base);
  return key < base + std::max<size_t>(a.size, 1) ? &a : nullptr;
}

std::string describe(const void* p) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%p", p);
  return buf;
}

std::byte* allocate_poisoned(size_t bytes) {
  void* p = nullptr;
  if (posix_memalign(&p, 256, std::max<size_t>(bytes, 1)) != 0) return nullptr;
  std::memset(p, poison, bytes);
  return static_cast<std::byte*>(p);
}

cudaError_t device_alloc(void** ptr, size_t bytes, const site& w) {
  if (ptr == nullptr) return set_error(cudaErrorInvalidValue);
  *ptr = nullptr;
  if (config().no_device) return set_error(cudaErrorNoDevice);
  std::lock_guard lock(table_mutex);
  if (bytes > config().device_memory - std::min(device_used, config().device_memory))
    return set_error(cudaErrorMemoryAllocation);
  std::byte* p = allocate_poisoned(bytes);
  if (p == nullptr) return set_error(cudaErrorMemoryAllocation);
  table[reinterpret_cast<uintptr_t>(p)] = {p, bytes, space::device, false, where_text(w)};
  device_used += bytes;
  *ptr = p;
  return cudaSuccess;
}

void release(std::byte* base) {
  std::lock_guard lock(table_mutex);
  const auto it = table.find(reinterpret_cast<uintptr_t>(base));
  if (it == table.end()) return;
  std::memset(base, poison, it->second.size);  // stale pointers read NaN, as after a real reuse
  table.erase(it);
  std::free(base);
}

void copy_bytes(void* dst, const void* src, size_t n) {
  if (n > 0) std::memmove(dst, src, n);
}

/// The kind of a cudaMemcpyDefault copy, from the table.
cudaMemcpyKind infer(void* dst, const void* src) {
  std::lock_guard lock(table_mutex);
  const allocation* d = find(dst);
  const allocation* s = find(src);
  const bool dd = d != nullptr && d->kind == space::device;
  const bool sd = s != nullptr && s->kind == space::device;
  return dd ? (sd ? cudaMemcpyDeviceToDevice : cudaMemcpyHostToDevice)
            : (sd ? cudaMemcpyDeviceToHost : cudaMemcpyHostToHost);
}

}  // namespace

void check_device_range(const void* p, size_t bytes, const char* what, const site& w) {
  if (bytes == 0) return;
  std::lock_guard lock(table_mutex);
  const allocation* a = find(p);
  if (a == nullptr || a->kind != space::device)
    fail(std::string(what) + " at " + where_text(w) + ": " + describe(p) + " is not device memory");
  if (a->pending_free)
    fail(std::string(what) + " at " + where_text(w) + ": uses device memory already freed (allocated at " + a->origin + ")");
  const auto offset = static_cast<size_t>(static_cast<const std::byte*>(p) - a->base);
  if (bytes > a->size - offset)
    fail(std::string(what) + " at " + where_text(w) + ": " + std::to_string(bytes) + " bytes at offset " +
         std::to_string(offset) + " run past the end of a " + std::to_string(a->size) +
         "-byte device allocation (made at " + a->origin + ")");
}

bool check_host_range(const void* p, size_t bytes, const char* what, const site& w) {
  std::lock_guard lock(table_mutex);
  const allocation* a = find(p);
  if (a == nullptr) return false;  // pageable host memory: nothing to check it against
  if (a->kind == space::device)
    fail(std::string(what) + " at " + where_text(w) + ": the host pointer " + describe(p) + " is device memory");
  const auto offset = static_cast<size_t>(static_cast<const std::byte*>(p) - a->base);
  if (bytes > a->size - offset)
    fail(std::string(what) + " at " + where_text(w) + ": " + std::to_string(bytes) + " bytes at offset " +
         std::to_string(offset) + " run past the end of a " + std::to_string(a->size) +
         "-byte page-locked host region (from " + a->origin + ")");
  return true;
}

}  // namespace segmint_emu

using namespace segmint_emu;

cudaError_t cudaMalloc(void** ptr, size_t bytes, site w) { return device_alloc(ptr, bytes, w); }

cudaError_t cudaMallocAsync(void** ptr, size_t bytes, cudaStream_t s, site w) {
  if (!valid_stream(s)) return set_error(cudaErrorInvalidResourceHandle);
  return device_alloc(ptr, bytes, w);
}

cudaError_t cudaFree(void* ptr, site w) {
  if (ptr == nullptr) return cudaSuccess;
  drain_all();  // cudaFree synchronises the device
  {
    std::lock_guard lock(table_mutex);
    const auto it = table.find(reinterpret_cast<uintptr_t>(ptr));
    if (it == table.end() || it->second.kind != space::device || it->second.pending_free)
      fail("cudaFree at " + where_text(w) + ": " + describe(ptr) + " is not the start of a live device allocation");
    device_used -= it->second.size;
    it->second.pending_free = true;
  }
  release(static_cast<std::byte*>(ptr));
  return cudaSuccess;
}

cudaError_t cudaFreeAsync(void* ptr, cudaStream_t s, site w) {
  if (ptr == nullptr) return cudaSuccess;
  if (!valid_stream(s)) return set_error(cudaErrorInvalidResourceHandle);
  {
    std::lock_guard lock(table_mutex);
    const auto it = table.find(reinterpret_cast<uintptr_t>(ptr));
    if (it == table.end() || it->second.kind != space::device || it->second.pending_free)
      fail("cudaFreeAsync at " + where_text(w) + ": " + describe(ptr) + " is not the start of a live device allocation");
    // The pool may hand the bytes out again in stream order at once; the memory itself goes when the
    // stream reaches the free, so work queued before it still reads valid memory.
    device_used -= it->second.size;
    it->second.pending_free = true;
  }
  auto* base = static_cast<std::byte*>(ptr);
  enqueue(s, "cudaFreeAsync at " + where_text(w), [base] { release(base); });
  return cudaSuccess;
}

cudaError_t cudaMallocHost(void** ptr, size_t bytes, site w) {
  if (ptr == nullptr) return set_error(cudaErrorInvalidValue);
  std::byte* p = allocate_poisoned(bytes);
  if (p == nullptr) return set_error(cudaErrorMemoryAllocation);
  std::lock_guard lock(table_mutex);
  table[reinterpret_cast<uintptr_t>(p)] = {p, bytes, space::host_pinned, false, "cudaMallocHost at " + where_text(w)};
  *ptr = p;
  return cudaSuccess;
}

cudaError_t cudaFreeHost(void* ptr, site w) {
  if (ptr == nullptr) return cudaSuccess;
  drain_all();  // as the real call: no copy from or to this memory may still be queued
  {
    std::lock_guard lock(table_mutex);
    const auto it = table.find(reinterpret_cast<uintptr_t>(ptr));
    if (it == table.end() || it->second.kind != space::host_pinned)
      fail("cudaFreeHost at " + where_text(w) + ": " + describe(ptr) + " is not from cudaMallocHost");
  }
  release(static_cast<std::byte*>(ptr));
  return cudaSuccess;
}

cudaError_t cudaHostRegister(void* ptr, size_t bytes, unsigned, site w) {
  if (ptr == nullptr || bytes == 0) return set_error(cudaErrorInvalidValue);
  std::lock_guard lock(table_mutex);
  const auto begin = reinterpret_cast<uintptr_t>(ptr);
  for (const auto& [base, a] : table)
    if (base < begin + bytes && begin < base + a.size) return set_error(cudaErrorHostMemoryAlreadyRegistered);
  table[begin] = {static_cast<std::byte*>(ptr), bytes, space::host_registered, false, "cudaHostRegister at " + where_text(w)};
  return cudaSuccess;
}

cudaError_t cudaHostUnregister(void* ptr, site) {
  drain_all();
  std::lock_guard lock(table_mutex);
  const auto it = table.find(reinterpret_cast<uintptr_t>(ptr));
  if (it == table.end() || it->second.kind != space::host_registered) return set_error(cudaErrorHostMemoryNotRegistered);
  table.erase(it);
  return cudaSuccess;
}

cudaError_t cudaMemGetInfo(size_t* free_bytes, size_t* total_bytes) {
  if (free_bytes == nullptr || total_bytes == nullptr) return set_error(cudaErrorInvalidValue);
  if (config().no_device) return set_error(cudaErrorNoDevice);
  std::lock_guard lock(table_mutex);
  *total_bytes = config().device_memory;
  *free_bytes = config().device_memory - std::min(device_used, config().device_memory);
  return cudaSuccess;
}

cudaError_t cudaMemcpyAsync(void* dst, const void* src, size_t n, cudaMemcpyKind kind, cudaStream_t s,
                            site w) {
  if (!valid_stream(s)) return set_error(cudaErrorInvalidResourceHandle);
  if (n == 0) return cudaSuccess;
  if (dst == nullptr || src == nullptr) return set_error(cudaErrorInvalidValue);
  if (kind == cudaMemcpyDefault) kind = infer(dst, src);
  const std::string what = "cudaMemcpyAsync at " + where_text(w);
  switch (kind) {
    case cudaMemcpyHostToDevice: {
      check_device_range(dst, n, "cudaMemcpyAsync (destination)", w);
      if (check_host_range(src, n, "cudaMemcpyAsync (source)", w)) {
        enqueue(s, what, [dst, src, n] { copy_bytes(dst, src, n); });
      } else {
        auto snapshot = std::make_shared<std::vector<std::byte>>(static_cast<const std::byte*>(src),
                                                                 static_cast<const std::byte*>(src) + n);
        enqueue(s, what, [dst, snapshot] { copy_bytes(dst, snapshot->data(), snapshot->size()); });
      }
      return cudaSuccess;
    }
    case cudaMemcpyDeviceToHost: {
      check_device_range(src, n, "cudaMemcpyAsync (source)", w);
      const bool pinned = check_host_range(dst, n, "cudaMemcpyAsync (destination)", w);
      enqueue(s, what, [dst, src, n] { copy_bytes(dst, src, n); });
      if (!pinned) drain(s);  // into pageable memory the call returns only when the copy is done
      return cudaSuccess;
    }
    case cudaMemcpyDeviceToDevice:
      check_device_range(src, n, "cudaMemcpyAsync (source)", w);
      check_device_range(dst, n, "cudaMemcpyAsync (destination)", w);
      enqueue(s, what, [dst, src, n] { copy_bytes(dst, src, n); });
      return cudaSuccess;
    default:
      enqueue(s, what, [dst, src, n] { copy_bytes(dst, src, n); });
      return cudaSuccess;
  }
}

cudaError_t cudaMemcpy(void* dst, const void* src, size_t n, cudaMemcpyKind kind, site w) {
  const cudaError_t e = cudaMemcpyAsync(dst, src, n, kind, nullptr, w);
  drain(nullptr);
  return e;
}

cudaError_t cudaMemsetAsync(void* dst, int value, size_t n, cudaStream_t s, site w) {
  if (!valid_stream(s)) return set_error(cudaErrorInvalidResourceHandle);
  if (n == 0) return cudaSuccess;
  check_device_range(dst, n, "cudaMemsetAsync", w);
  enqueue(s, "cudaMemsetAsync at " + where_text(w), [dst, value, n] { std::memset(dst, value, n); });
  return cudaSuccess;
}

cudaError_t cudaMemset(void* dst, int value, size_t n, site w) {
  const cudaError_t e = cudaMemsetAsync(dst, value, n, nullptr, w);
  drain(nullptr);
  return e;
}

cudaError_t cudaDeviceGetDefaultMemPool(cudaMemPool_t* pool, int device) {
  if (pool == nullptr || device != 0) return set_error(cudaErrorInvalidValue);
  if (config().no_device) return set_error(cudaErrorNoDevice);
  *pool = &default_pool;
  return cudaSuccess;
}

cudaError_t cudaMemPoolSetAttribute(cudaMemPool_t pool, cudaMemPoolAttr, void* value) {
  return pool == nullptr || value == nullptr ? set_error(cudaErrorInvalidValue) : cudaSuccess;
}

cudaError_t cudaMemPoolTrimTo(cudaMemPool_t pool, size_t) {
  return pool == nullptr ? set_error(cudaErrorInvalidValue) : cudaSuccess;
}
