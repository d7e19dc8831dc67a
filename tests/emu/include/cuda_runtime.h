#pragma once
// segmint's CUDA emulator (tests/emu, SEGMINT_CUDA=EMULATOR): the subset of the CUDA runtime API and
// device language that segmint uses, executed on the CPU as a checker. Not a product: never installed or
// shipped. Settings (environment): SEGMINT_EMU_ORDER=forward|reverse|random, SEGMINT_EMU_SEED,
// SEGMINT_EMU_STREAMS=lazy|eager, SEGMINT_EMU_DEVICE_MEMORY (bytes, K/M/G), SEGMINT_EMU_NO_DEVICE=1.

#include "segmint_emu/device.hpp"
#include "segmint_emu/types.hpp"

#define CUDART_VERSION 12000

#define SEGMINT_EMU_HERE segmint_emu::site where = SEGMINT_EMU_SITE

// ---- errors and devices ----
cudaError_t cudaGetLastError();
cudaError_t cudaPeekAtLastError();
const char* cudaGetErrorString(cudaError_t e);
const char* cudaGetErrorName(cudaError_t e);
cudaError_t cudaGetDeviceCount(int* count);
cudaError_t cudaGetDevice(int* device);
cudaError_t cudaSetDevice(int device);
cudaError_t cudaGetDeviceProperties(cudaDeviceProp* prop, int device);
cudaError_t cudaDeviceGetAttribute(int* value, cudaDeviceAttr attr, int device);
cudaError_t cudaDeviceSynchronize();
cudaError_t cudaDeviceReset();
cudaError_t cudaFuncSetAttribute(const void* entry, cudaFuncAttribute attr, int value);
template <class T>
cudaError_t cudaFuncSetAttribute(T* entry, cudaFuncAttribute attr, int value) {
  return cudaFuncSetAttribute(reinterpret_cast<const void*>(entry), attr, value);
}

// ---- memory ----
cudaError_t cudaMalloc(void** ptr, size_t bytes, SEGMINT_EMU_HERE);
cudaError_t cudaFree(void* ptr, SEGMINT_EMU_HERE);
cudaError_t cudaMallocAsync(void** ptr, size_t bytes, cudaStream_t stream, SEGMINT_EMU_HERE);
cudaError_t cudaFreeAsync(void* ptr, cudaStream_t stream, SEGMINT_EMU_HERE);
cudaError_t cudaMallocHost(void** ptr, size_t bytes, SEGMINT_EMU_HERE);
cudaError_t cudaFreeHost(void* ptr, SEGMINT_EMU_HERE);
cudaError_t cudaHostRegister(void* ptr, size_t bytes, unsigned flags, SEGMINT_EMU_HERE);
cudaError_t cudaHostUnregister(void* ptr, SEGMINT_EMU_HERE);
cudaError_t cudaMemGetInfo(size_t* free_bytes, size_t* total_bytes);
cudaError_t cudaMemcpy(void* dst, const void* src, size_t bytes, cudaMemcpyKind kind, SEGMINT_EMU_HERE);
cudaError_t cudaMemcpyAsync(void* dst, const void* src, size_t bytes, cudaMemcpyKind kind, cudaStream_t stream = nullptr,
                            SEGMINT_EMU_HERE);
cudaError_t cudaMemset(void* dst, int value, size_t bytes, SEGMINT_EMU_HERE);
cudaError_t cudaMemsetAsync(void* dst, int value, size_t bytes, cudaStream_t stream = nullptr, SEGMINT_EMU_HERE);
cudaError_t cudaDeviceGetDefaultMemPool(cudaMemPool_t* pool, int device);
cudaError_t cudaMemPoolSetAttribute(cudaMemPool_t pool, cudaMemPoolAttr attr, void* value);
cudaError_t cudaMemPoolTrimTo(cudaMemPool_t pool, size_t min_bytes_to_keep);

// ---- streams and events ----
cudaError_t cudaStreamCreate(cudaStream_t* stream);
cudaError_t cudaStreamCreateWithFlags(cudaStream_t* stream, unsigned flags);
cudaError_t cudaStreamDestroy(cudaStream_t stream);
cudaError_t cudaStreamSynchronize(cudaStream_t stream);
cudaError_t cudaStreamWaitEvent(cudaStream_t stream, cudaEvent_t event, unsigned flags = 0);
cudaError_t cudaEventCreate(cudaEvent_t* event);
cudaError_t cudaEventCreateWithFlags(cudaEvent_t* event, unsigned flags);
cudaError_t cudaEventDestroy(cudaEvent_t event);
cudaError_t cudaEventRecord(cudaEvent_t event, cudaStream_t stream = nullptr);
cudaError_t cudaEventSynchronize(cudaEvent_t event);
cudaError_t cudaEventQuery(cudaEvent_t event);
cudaError_t cudaEventElapsedTime(float* ms, cudaEvent_t start, cudaEvent_t end);

#undef SEGMINT_EMU_HERE
