// cuBLAS SGEMM as a plain CPU GEMM in stream order, its operands range-checked against their device
// allocations (the k ≥ 64 K-Means assignment path). Bits differ from real cuBLAS (another summation
// order); the tests compare that path to the CPU within the documented expansion bound.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "cublas_v2.h"
#include "internal.hpp"

namespace segmint_emu {
struct blas_state {
  cudaStream_t stream = nullptr;
};
}  // namespace segmint_emu

using namespace segmint_emu;

cublasStatus_t cublasCreate(cublasHandle_t* h) {
  if (h == nullptr) return CUBLAS_STATUS_INVALID_VALUE;
  if (config().no_device) return CUBLAS_STATUS_NOT_INITIALIZED;
  *h = new blas_state;
  return CUBLAS_STATUS_SUCCESS;
}

cublasStatus_t cublasDestroy(cublasHandle_t h) {
  if (h == nullptr) return CUBLAS_STATUS_NOT_INITIALIZED;
  delete h;
  return CUBLAS_STATUS_SUCCESS;
}

cublasStatus_t cublasSetStream(cublasHandle_t h, cudaStream_t s) {
  if (h == nullptr) return CUBLAS_STATUS_NOT_INITIALIZED;
  if (!valid_stream(s)) return CUBLAS_STATUS_INVALID_VALUE;
  h->stream = s;
  return CUBLAS_STATUS_SUCCESS;
}

cublasStatus_t cublasSetMathMode(cublasHandle_t h, cublasMath_t) {
  return h == nullptr ? CUBLAS_STATUS_NOT_INITIALIZED : CUBLAS_STATUS_SUCCESS;
}

const char* cublasGetStatusString(cublasStatus_t s) {
  switch (s) {
    case CUBLAS_STATUS_SUCCESS: return "CUBLAS_STATUS_SUCCESS";
    case CUBLAS_STATUS_NOT_INITIALIZED: return "CUBLAS_STATUS_NOT_INITIALIZED";
    case CUBLAS_STATUS_ALLOC_FAILED: return "CUBLAS_STATUS_ALLOC_FAILED";
    case CUBLAS_STATUS_INVALID_VALUE: return "CUBLAS_STATUS_INVALID_VALUE";
    case CUBLAS_STATUS_EXECUTION_FAILED: return "CUBLAS_STATUS_EXECUTION_FAILED";
  }
  return "CUBLAS_STATUS_UNKNOWN";
}

// C (m × n, ldc) = alpha · op(A) · op(B) + beta · C, column-major; op(A) is m × k, op(B) is k × n. With
// beta = 0, C is not read (BLAS semantics: it may hold anything, here the allocation's poison).
cublasStatus_t cublasSgemm(cublasHandle_t h, cublasOperation_t ta, cublasOperation_t tb, int m, int n, int k,
                           const float* alpha, const float* a, int lda, const float* b, int ldb, const float* beta,
                           float* c, int ldc, site w) {
  if (h == nullptr) return CUBLAS_STATUS_NOT_INITIALIZED;
  if (m < 0 || n < 0 || k < 0 || alpha == nullptr || beta == nullptr || ta == CUBLAS_OP_C || tb == CUBLAS_OP_C)
    return CUBLAS_STATUS_INVALID_VALUE;
  const int a_rows = ta == CUBLAS_OP_N ? m : k;
  const int a_cols = ta == CUBLAS_OP_N ? k : m;
  const int b_rows = tb == CUBLAS_OP_N ? k : n;
  const int b_cols = tb == CUBLAS_OP_N ? n : k;
  if (lda < std::max(1, a_rows) || ldb < std::max(1, b_rows) || ldc < std::max(1, m)) return CUBLAS_STATUS_INVALID_VALUE;
  if (m == 0 || n == 0) return CUBLAS_STATUS_SUCCESS;
  auto extent = [](int rows, int cols, int ld) {
    return (static_cast<size_t>(cols - 1) * static_cast<size_t>(ld) + static_cast<size_t>(rows)) * sizeof(float);
  };
  if (k > 0) {
    check_device_range(a, extent(a_rows, a_cols, lda), "cublasSgemm (A)", w);
    check_device_range(b, extent(b_rows, b_cols, ldb), "cublasSgemm (B)", w);
  }
  check_device_range(c, extent(m, n, ldc), "cublasSgemm (C)", w);
  const float al = *alpha;  // host pointer mode: read at the call
  const float be = *beta;
  enqueue(h->stream, "cublasSgemm at " + where_text(w), [=] {
    // Column by column; each C element is an FMA chain over l in order (loop order only for the cache).
    std::vector<float> acc(static_cast<size_t>(m));
    for (int j = 0; j < n; ++j) {
      std::fill(acc.begin(), acc.end(), 0.0f);
      for (int l = 0; l < k; ++l) {
        const float bv = tb == CUBLAS_OP_N ? b[static_cast<int64_t>(j) * ldb + l] : b[static_cast<int64_t>(l) * ldb + j];
        for (int i = 0; i < m; ++i) {
          const float av = ta == CUBLAS_OP_N ? a[static_cast<int64_t>(l) * lda + i] : a[static_cast<int64_t>(i) * lda + l];
          acc[static_cast<size_t>(i)] = std::fma(av, bv, acc[static_cast<size_t>(i)]);
        }
      }
      for (int i = 0; i < m; ++i) {
        float& out = c[static_cast<int64_t>(j) * ldc + i];
        out = be == 0.0f ? al * acc[static_cast<size_t>(i)] : al * acc[static_cast<size_t>(i)] + be * out;
      }
    }
  });
  return CUBLAS_STATUS_SUCCESS;
}

