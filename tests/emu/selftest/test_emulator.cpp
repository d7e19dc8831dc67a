// The CUDA emulator's self-tests: each deliberately broken kernel must be caught (a wrong result, or an
// abort naming the kernel, block, threads and source lines), and each correct twin must pass. Without
// these the emulated GPU suite could pass by being lenient.
#include <gtest/gtest.h>

#include <cmath>
#include <numeric>
#include <vector>

#include "broken_kernels.hpp"
#include "segmint_emu/control.hpp"

namespace {
using namespace segmint_emu_selftest;

// The tests set the modes they need; the environment may have chosen others for the whole run.
class Emulator : public ::testing::Test {
 protected:
  void SetUp() override {
    segmint_emu::set_run_order(0);
    segmint_emu::set_lazy_streams(true);
    ASSERT_EQ(cudaStreamCreateWithFlags(&s_, cudaStreamNonBlocking), cudaSuccess);
  }
  void TearDown() override {
    cudaStreamDestroy(s_);
    for (void* p : device_) cudaFree(p);
  }
  template <class T>
  T* device(size_t n) {
    void* p = nullptr;
    EXPECT_EQ(cudaMalloc(&p, n * sizeof(T)), cudaSuccess);
    device_.push_back(p);
    return static_cast<T*>(p);
  }
  template <class T>
  T* upload(const std::vector<T>& host) {
    T* d = device<T>(host.size());
    EXPECT_EQ(cudaMemcpy(d, host.data(), host.size() * sizeof(T), cudaMemcpyHostToDevice), cudaSuccess);
    return d;
  }
  template <class T>
  std::vector<T> download(const T* d, size_t n) {
    std::vector<T> h(n);
    EXPECT_EQ(cudaMemcpyAsync(h.data(), d, n * sizeof(T), cudaMemcpyDeviceToHost, s_), cudaSuccess);
    EXPECT_EQ(cudaStreamSynchronize(s_), cudaSuccess);
    return h;
  }
  float block_sum(bool barrier) {
    std::vector<float> in(256);
    std::iota(in.begin(), in.end(), 1.0f);
    float* out = device<float>(1);
    EXPECT_EQ(launch_block_sum(upload(in), out, barrier, s_), cudaSuccess);
    return download(out, 1)[0];
  }
  cudaStream_t s_ = nullptr;
  std::vector<void*> device_;
};

constexpr float sum_1_to_256 = 256.0f * 257.0f / 2.0f;

TEST_F(Emulator, BlockReductionWithItsBarriersIsExactInEveryOrder) {
  for (int order : {0, 1, 2}) {
    segmint_emu::set_run_order(order);
    EXPECT_EQ(block_sum(true), sum_1_to_256) << "order " << order;
  }
}

TEST_F(Emulator, MissingBarrierInBlockReductionIsCaught) {
  if (segmint_emu::built_with_tsan()) {
    // ThreadSanitizer names the race between the threads of the block.
    EXPECT_DEATH(block_sum(false), "data race");
    return;
  }
  // Threads run to their next barrier one after the other: thread 0 adds partial sums not yet formed.
  EXPECT_NE(block_sum(false), sum_1_to_256);
}

TEST_F(Emulator, VoteInsideDivergentBranchIsCaught) {
  unsigned* out = device<unsigned>(32);
  EXPECT_DEATH(
      {
        launch_vote(out, 16, s_);
        cudaStreamSynchronize(s_);
      },
      "kernel `vote`.*block \\(0,0,0\\).*lane 16 .*exited while lane 0 waits for it in __ballot_sync");
}

TEST_F(Emulator, FullWarpVoteGivesTheBallot) {
  unsigned* out = device<unsigned>(32);
  ASSERT_EQ(launch_vote(out, 32, s_), cudaSuccess);
  for (unsigned v : download(out, 32)) EXPECT_EQ(v, 0xAAAAAAAAu);
}

TEST_F(Emulator, SharedTileOneElementShortIsCaught) {
  std::vector<float> in(256, 1.0f);
  const float* d_in = upload(in);
  float* out = device<float>(256);
  EXPECT_DEATH(
      {
        launch_tile_copy(d_in, out, 255, s_);
        cudaStreamSynchronize(s_);
      },
      "past the end of the __shared__ variable declared at .*broken_kernels.cu:25|heap-buffer-overflow");
}

TEST_F(Emulator, SharedTileOfTheRightSizePasses) {
  std::vector<float> in(256);
  std::iota(in.begin(), in.end(), 0.0f);
  float* out = device<float>(256);
  ASSERT_EQ(launch_tile_copy(upload(in), out, 256, s_), cudaSuccess);
  const auto got = download(out, 256);
  for (int i = 0; i < 256; ++i) EXPECT_EQ(got[static_cast<size_t>(i)], static_cast<float>(255 - i));
}

// A copy on one stream, a kernel reading its result on another: without an event between them the lazy
// streams run the kernel first (it reads the poison), with the event the copy runs first.
std::vector<float> cross_stream(bool with_event, std::vector<void*>& owned) {
  cudaStream_t copy = nullptr;
  cudaStream_t compute = nullptr;
  cudaEvent_t copied = nullptr;
  EXPECT_EQ(cudaStreamCreateWithFlags(&copy, cudaStreamNonBlocking), cudaSuccess);
  EXPECT_EQ(cudaStreamCreateWithFlags(&compute, cudaStreamNonBlocking), cudaSuccess);
  EXPECT_EQ(cudaEventCreateWithFlags(&copied, cudaEventDisableTiming), cudaSuccess);
  float* pinned = nullptr;
  EXPECT_EQ(cudaMallocHost(reinterpret_cast<void**>(&pinned), 256 * sizeof(float)), cudaSuccess);
  for (int i = 0; i < 256; ++i) pinned[i] = static_cast<float>(i);
  void* in = nullptr;
  void* out = nullptr;
  EXPECT_EQ(cudaMalloc(&in, 256 * sizeof(float)), cudaSuccess);
  EXPECT_EQ(cudaMalloc(&out, 256 * sizeof(float)), cudaSuccess);
  owned.push_back(in);
  owned.push_back(out);
  EXPECT_EQ(cudaMemcpyAsync(in, pinned, 256 * sizeof(float), cudaMemcpyHostToDevice, copy), cudaSuccess);
  EXPECT_EQ(cudaEventRecord(copied, copy), cudaSuccess);
  if (with_event) EXPECT_EQ(cudaStreamWaitEvent(compute, copied, 0), cudaSuccess);
  EXPECT_EQ(launch_double(static_cast<float*>(in), static_cast<float*>(out), compute), cudaSuccess);
  std::vector<float> host(256);
  EXPECT_EQ(cudaMemcpyAsync(host.data(), out, 256 * sizeof(float), cudaMemcpyDeviceToHost, compute), cudaSuccess);
  EXPECT_EQ(cudaStreamSynchronize(compute), cudaSuccess);
  EXPECT_EQ(cudaStreamSynchronize(copy), cudaSuccess);
  cudaFreeHost(pinned);
  cudaEventDestroy(copied);
  cudaStreamDestroy(copy);
  cudaStreamDestroy(compute);
  return host;
}

TEST_F(Emulator, MissingCrossStreamEventWaitGivesWrongResults) {
  const auto got = cross_stream(false, device_);
  EXPECT_TRUE(std::isnan(got[1])) << got[1];
}

TEST_F(Emulator, CrossStreamEventWaitOrdersTheWork) {
  const auto got = cross_stream(true, device_);
  for (int i = 0; i < 256; ++i) EXPECT_EQ(got[static_cast<size_t>(i)], 2.0f * static_cast<float>(i));
}

TEST_F(Emulator, ThreadsAtDifferentBarriersAbortNamingBoth) {
  float* out = device<float>(256);
  EXPECT_DEATH(
      {
        launch_split_barrier(out, s_);
        cudaStreamSynchronize(s_);
      },
      "kernel `split_barrier`.*block \\((0|1),0,0\\): threads wait at different __syncthreads(.|\n)*threads 0-127 wait at "
      "__syncthreads, .*broken_kernels.cu:37(.|\n)*threads 128-255 wait at __syncthreads, .*broken_kernels.cu:39");
}

TEST_F(Emulator, BarrierThatExitedThreadsNeverReachAborts) {
  float* out = device<float>(256);
  EXPECT_DEATH(
      {
        launch_early_exit_barrier(out, s_);
        cudaStreamSynchronize(s_);
      },
      "a __syncthreads that some threads never reach(.|\n)*threads 128-255 have exited");
}

TEST_F(Emulator, MismatchedWarpCollectivesAbort) {
  unsigned* out = device<unsigned>(32);
  EXPECT_DEATH(
      {
        launch_mismatched_collectives(out, s_);
        cudaStreamSynchronize(s_);
      },
      "mismatched warp collectives");
}

TEST_F(Emulator, ShufflesMoveValuesBetweenLanes) {
  int* rotated = device<int>(64);
  int* reduced = device<int>(2);
  ASSERT_EQ(launch_shuffles(rotated, reduced, s_), cudaSuccess);
  const auto r = download(rotated, 64);
  for (int i = 0; i < 64; ++i) EXPECT_EQ(r[static_cast<size_t>(i)], ((i % 32 + 1) % 32) * 10);
  for (int v : download(reduced, 2)) EXPECT_EQ(v, 32);
}

TEST_F(Emulator, DynamicSharedMemoryAbove48KbNeedsTheAttribute) {
  float* out = device<float>(1);
  const size_t bytes = 64 * 1024;
  EXPECT_EQ(launch_dynamic_shared(out, bytes, false, s_), cudaErrorInvalidValue);
  EXPECT_EQ(cudaGetLastError(), cudaSuccess);  // reading the error cleared it
  ASSERT_EQ(launch_dynamic_shared(out, bytes, true, s_), cudaSuccess);
  EXPECT_EQ(download(out, 1)[0], static_cast<float>(bytes / sizeof(float) - 1));
  EXPECT_EQ(launch_dynamic_shared(out, 240 * 1024, true, s_), cudaErrorInvalidValue);  // above sm_90's 227 KB
  EXPECT_EQ(cudaGetLastError(), cudaErrorInvalidValue);  // the refused attribute is the last error too
  EXPECT_EQ(cudaGetLastError(), cudaSuccess);
}

TEST_F(Emulator, UninitialisedSharedMemoryReadsThePoison) {
  float* out = device<float>(1);
  ASSERT_EQ(launch_read_uninitialised(out, s_), cudaSuccess);
  EXPECT_TRUE(std::isnan(download(out, 1)[0]));
}

TEST_F(Emulator, DeviceMemoryIsAccountedAgainstTheCapacity) {
  size_t free_bytes = 0;
  size_t total = 0;
  ASSERT_EQ(cudaMemGetInfo(&free_bytes, &total), cudaSuccess);
  void* p = nullptr;
  EXPECT_EQ(cudaMalloc(&p, total + 1), cudaErrorMemoryAllocation);
  EXPECT_EQ(cudaGetLastError(), cudaErrorMemoryAllocation);
  float* small = device<float>(1000);
  size_t after = 0;
  ASSERT_EQ(cudaMemGetInfo(&after, &total), cudaSuccess);
  EXPECT_EQ(free_bytes - after, 1000 * sizeof(float));
  (void)small;
}

TEST_F(Emulator, CopyPastTheEndOfAnAllocationAborts) {
  float* d = device<float>(10);
  std::vector<float> host(11, 1.0f);
  EXPECT_DEATH(cudaMemcpyAsync(d, host.data(), 11 * sizeof(float), cudaMemcpyHostToDevice, s_),
               "44 bytes at offset 0 run past the end of a 40-byte device allocation");
}

TEST_F(Emulator, InvalidLaunchConfigurationIsALaunchError) {
  float* buffer = device<float>(2048);
  EXPECT_EQ(launch_double_threads(buffer, buffer, 2048, s_), cudaErrorInvalidConfiguration);  // > 1024 threads
  EXPECT_EQ(cudaGetLastError(), cudaSuccess);
  EXPECT_EQ(launch_double_threads(buffer, buffer, 0, s_), cudaErrorInvalidConfiguration);
  EXPECT_EQ(cudaGetLastError(), cudaSuccess);
}

}  // namespace
