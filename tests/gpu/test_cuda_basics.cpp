// CUDA foundation: device detection, RAII wrappers, one kernel against the CPU. Cases that need a device
// skip with the reason when none is visible (CI has none).
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "../../host/cuda/buffers.hpp"
#include "../../host/cuda/devices.hpp"
#include "../../host/cuda/raii.hpp"
#include "launch.hpp"
#include "segmint/context.hpp"
#include "segmint/cuda.hpp"
#include "segmint/error.hpp"

namespace {

bool have_device(std::string& why) {
  return !segmint::cuda::detail::list_devices(why).empty();
}

TEST(CudaBasics, DeviceDetectionNeverThrows) {
  std::string status;
  const auto devices = segmint::cuda::detail::list_devices(status);
  EXPECT_FALSE(status.empty());
  for (const auto& d : devices) {
    EXPECT_GE(d.cc_major, 7);
    EXPECT_GT(d.memory_bytes, 0);
  }
}

TEST(CudaBasics, RegisteredBackendShowsInBuildInfo) {
  segmint::cuda::register_backend();
  const auto info = segmint::describe_build();
  EXPECT_TRUE(info.cuda_compiled);
  EXPECT_NE(info.cuda_architectures.find("90"), std::string::npos);
}

TEST(CudaBasics, CudaBackendRequestWithoutDeviceIsUnavailable) {
  std::string why;
  if (have_device(why)) GTEST_SKIP() << "a device is present";
  segmint::cuda::register_backend();
  EXPECT_THROW(segmint::context({segmint::backend_choice::cuda, 0, 0}), segmint::backend_unavailable_error);
  EXPECT_EQ(segmint::context({segmint::backend_choice::automatic, 0, 0}).backend_name(), "cpu");
}

TEST(CudaBasics, RowNormsMatchTheCpu) {
  std::string why;
  if (!have_device(why)) GTEST_SKIP() << "no CUDA device: " << why;
  for (int64_t n : {1, 255, 256, 257, 100003}) {
    for (int64_t d : {1, 31, 32, 33}) {
      std::vector<float> x(static_cast<size_t>(n * d));
      std::mt19937 gen(static_cast<uint32_t>(n + d));
      std::normal_distribution<float> dist;
      for (auto& v : x) v = dist(gen);
      segmint::cuda::stream s;
      segmint::cuda::device_buffer<float> dx(x.size(), s);
      segmint::cuda::device_buffer<float> dout(static_cast<size_t>(n), s);
      SEGMINT_CUDA_TRY(cudaMemcpyAsync(dx.data(), x.data(), x.size() * sizeof(float), cudaMemcpyHostToDevice, s.get()));
      SEGMINT_CUDA_TRY(segmint::cuda::kernels::launch_row_sq_norms(dx.data(), n, d, dout.data(), s.get()));
      std::vector<float> out(static_cast<size_t>(n));
      SEGMINT_CUDA_TRY(cudaMemcpyAsync(out.data(), dout.data(), out.size() * sizeof(float), cudaMemcpyDeviceToHost, s.get()));
      s.synchronize();
      for (int64_t i = 0; i < n; ++i) {
        double ref = 0;
        for (int64_t j = 0; j < d; ++j) ref += double(x[static_cast<size_t>(j * n + i)]) * x[static_cast<size_t>(j * n + i)];
        ASSERT_NEAR(out[static_cast<size_t>(i)], ref, 8.0 * static_cast<double>(d) * 6e-8 * ref + 1e-30) << "n=" << n << " d=" << d << " i=" << i;
      }
    }
  }
}

// The fixed partition needs no device: powers of two that divide every streamed chunk, a bounded table.
TEST(CudaBasics, PartPlansDivideChunksAndBoundTheTable) {
  using segmint::cuda::detail::plan_parts;
  for (int64_t n : std::vector<int64_t>{0, 1, 1023, 1024, 1025, 4194304, 100000000, 4000000000}) {
    for (int64_t per_part : std::vector<int64_t>{1, 17, 137, 16401, 1000000}) {
      const auto p = plan_parts(n, per_part);
      EXPECT_GE(p.part_rows, 1024);
      EXPECT_LE(p.part_rows, segmint::cuda::kernels::max_part_rows);
      EXPECT_EQ(segmint::cuda::kernels::max_part_rows % p.part_rows, 0) << n << " " << per_part;
      EXPECT_EQ(p.parts, (n + p.part_rows - 1) / p.part_rows);
      if (p.part_rows < segmint::cuda::kernels::max_part_rows) {
        EXPECT_LE(p.parts, 4096);
        EXPECT_LE(p.parts * per_part, int64_t{64} << 17);
      }
    }
  }
}

TEST(CudaBasics, FusedCrossover) {
  using segmint::cuda::kernels::fused_fits;
  EXPECT_TRUE(fused_fits(8, 16));
  EXPECT_TRUE(fused_fits(63, 16));
  EXPECT_FALSE(fused_fits(64, 16));      // k ≥ 64: SGEMM
  EXPECT_FALSE(fused_fits(1, 12288));    // padded centroids beyond 48 KB of shared memory
  EXPECT_TRUE(fused_fits(1, 1536));
}

}  // namespace
