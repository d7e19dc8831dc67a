// The BG/NBD likelihood pass (host/value): one block per part of customers, each thread summing its
// customers' terms (the same function as the CPU backend: host/value/bgnbd_customer.hpp) in stride order,
// then a fixed block tree, so the part sums do not depend on scheduling; parts are combined in part order.
#include <cuda_runtime.h>

#include <cstdint>

#include "../host/value/bgnbd_customer.hpp"  // shared with the CPU backend (plain C math, host and device)
#include "common.cuh"

namespace segmint::cuda::kernels {
namespace {

constexpr int threads = block_threads;

__global__ void bgnbd_pass(const double* __restrict__ frequency, const double* __restrict__ recency, const double* __restrict__ age,
                           int64_t n, const double* __restrict__ terms, bgnbd_device_point point, part_layout parts,
                           double* __restrict__ part_out) {
  __shared__ double red[threads];
  const part_range pr = block_part(n, parts);
  const segmint::detail::bgnbd_point p{point.r, point.alpha, point.a, point.b, point.log_alpha, point.modified};
  double acc[segmint::detail::bgnbd_sums] = {0, 0, 0, 0, 0};
  for (int64_t i = pr.begin + threadIdx.x; i < pr.end; i += blockDim.x) {
    const double x = frequency[i];
    segmint::detail::bgnbd_add_customer(x, recency[i], age[i], terms + static_cast<int64_t>(x) * segmint::detail::bgnbd_terms_per_frequency,
                                        p, acc);
  }
  for (int k = 0; k < segmint::detail::bgnbd_sums; ++k) {
    const double total = block_sum(acc[k], red);
    if (threadIdx.x == 0) part_out[(parts.first_part + blockIdx.x) * segmint::detail::bgnbd_sums + k] = total;
  }
}

}  // namespace

cudaError_t launch_bgnbd_pass(const double* frequency, const double* recency, const double* age, int64_t n, const double* terms,
                              bgnbd_device_point p, part_layout parts, double* part_out, cudaStream_t stream) {
  if (n <= 0) return cudaSuccess;
  bgnbd_pass<<<parts_in(n, parts.part_rows), threads, 0, stream>>>(frequency, recency, age, n, terms, p, parts, part_out);
  return cudaGetLastError();
}

}  // namespace segmint::cuda::kernels
