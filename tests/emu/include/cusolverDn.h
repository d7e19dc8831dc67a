#pragma once
// The emulator's cuSOLVER: handles only (segmint links cuSOLVER but calls no solver).
#include "cuda_runtime.h"

namespace segmint_emu {
struct solver_state;
}
using cusolverDnHandle_t = segmint_emu::solver_state*;
enum cusolverStatus_t : int { CUSOLVER_STATUS_SUCCESS = 0, CUSOLVER_STATUS_NOT_INITIALIZED = 1 };

cusolverStatus_t cusolverDnCreate(cusolverDnHandle_t* handle);
cusolverStatus_t cusolverDnDestroy(cusolverDnHandle_t handle);
cusolverStatus_t cusolverDnSetStream(cusolverDnHandle_t handle, cudaStream_t stream);
